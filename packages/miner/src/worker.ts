/**
 * Worker thread entry of the pool: claims chunks of the current search from a shared counter,
 * scans them with the fast kernel in slices, and stops at once when the search is cancelled,
 * replaced, or a lower chunk already holds a proof.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKernel } from './kernel/create';
import { BEST_CHUNK, CANCELLED, NEXT_CHUNK, type JobMessage, type WorkerInit, type WorkerMessage } from './pool-protocol';

/** Proofs scanned between two looks at the shared control words. */
const SLICE = 8192;

const port = parentPort;
if (!port) throw new Error('@chain/miner worker must run in a worker thread');
const init = workerData as WorkerInit;
const kernel = createKernel(init.kernel);
const post = (message: WorkerMessage): void => port.postMessage(message);

function run(msg: JobMessage): void {
  const control = new BigInt64Array(msg.control);
  if (Atomics.load(control, CANCELLED) !== 0n) return;
  try {
    kernel.setJob(msg.job);
  } catch (error) {
    post({ type: 'failed', id: msg.id, message: (error as Error).message });
    return;
  }
  for (;;) {
    const chunk = Atomics.add(control, NEXT_CHUNK, 1n);
    if (chunk >= Atomics.load(control, BEST_CHUNK)) return;
    const first = msg.start + Number(chunk) * msg.chunkSize;
    if (first > msg.end) return;
    const last = Math.min(msg.end, first + msg.chunkSize - 1);
    let p = first;
    let hit = -1;
    let abandoned = false;
    while (p <= last) {
      if (Atomics.load(control, CANCELLED) !== 0n || Atomics.load(control, BEST_CHUNK) < chunk) {
        abandoned = true;
        break;
      }
      const count = Math.min(SLICE, last - p + 1);
      hit = kernel.scan(p, count);
      if (hit >= 0) break;
      p += count;
    }
    const attempts = hit >= 0 ? hit - first + 1 : p - first;
    if (hit >= 0) {
      // Lower the shared best chunk so that other workers stop at chunks beyond this one.
      let best = Atomics.load(control, BEST_CHUNK);
      while (chunk < best) {
        const seen = Atomics.compareExchange(control, BEST_CHUNK, best, chunk);
        if (seen === best) break;
        best = seen;
      }
    }
    post({ type: 'chunk', id: msg.id, chunk: Number(chunk), attempts, hit, complete: !abandoned });
    if (abandoned || hit >= 0) return;
  }
}

port.on('message', (msg: JobMessage) => {
  if (msg.type === 'job') run(msg);
});
post({ type: 'ready', kernel: kernel.name });
