/** A worker thread of `runTasks`: runs the tasks it is sent, one at a time, and posts back what they gave. */
import { parentPort } from 'node:worker_threads';
import { runTask, type TaskSpec } from './task';
import type { FromWorker } from './pool';

const port = parentPort;
if (port === null) throw new Error('the simulator worker runs in a worker thread');
port.on('message', (task: TaskSpec) => {
  const post = (m: FromWorker) => port.postMessage(m);
  runTask(task, (progress) => post({ type: 'progress', progress })).then(
    (record) => post({ type: 'done', record }),
    (err: unknown) =>
      post({
        type: 'failed',
        task: task.index,
        message: err instanceof Error ? err.message : String(err),
        stack: (err as Error)?.stack ?? '',
      }),
  );
});
port.postMessage({ type: 'ready' } satisfies FromWorker);
