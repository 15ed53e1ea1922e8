/**
 * Child processes of the benchmarks: TypeScript sources through tsx, with a request/reply over IPC.
 * With BENCH_BUILT=1 the packages come from their builds (dist), not their sources: only the
 * benchmark's own script goes through tsx, so CPU profiles show the code users run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { TSX_LOADER } from '@chain/testkit';

export class Proc {
  readonly child: ChildProcess;
  #waiting: ((m: unknown) => void)[] = [];
  readonly ready: Promise<unknown>;

  constructor(script: string, execArgv: string[] = [], args: string[] = []) {
    this.child = fork(script, args, {
      execArgv: ['--import', TSX_LOADER, ...(process.env.BENCH_BUILT ? [] : ['--conditions=@chain/source']), ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = this.next();
    this.child.on('message', (m) => {
      const w = this.#waiting.shift();
      if (w) w(m);
    });
    this.child.on('exit', (code) => {
      for (const w of this.#waiting.splice(0)) w({ error: `process exited with code ${code}` });
    });
  }

  next(): Promise<unknown> {
    return new Promise((r) => this.#waiting.push(r));
  }

  async call<T = Record<string, unknown>>(msg: unknown): Promise<T> {
    const p = this.next();
    this.child.send(msg as never);
    const reply = (await p) as { error?: string };
    if (reply && typeof reply === 'object' && 'error' in reply && reply.error) throw new Error(reply.error);
    return reply as T;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
