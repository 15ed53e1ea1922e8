import assert from 'node:assert/strict';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { within } from './wait';

/** An absolute URL of the tsx loader, so that a program also runs from another working directory. */
export const TSX_LOADER = import.meta.resolve('tsx');

/** Node arguments that run a TypeScript entry point from source (tsx and the `@chain/source` condition). */
export function sourceArgs(entry: string, args: readonly string[] = []): string[] {
  return ['--conditions=@chain/source', `--import=${TSX_LOADER}`, entry, ...args];
}

export type Stream = 'stdout' | 'stderr';

export interface WaitOptions {
  /** Look only at output after this mark ({@link TestProcess.mark}). */
  readonly from?: number;
  readonly stream?: Stream;
  /** Deadline. Default 15 000 ms. */
  readonly ms?: number;
}

const LIVE = new Set<TestProcess>();

/**
 * A program a test runs in its own process: stdout and stderr collected as
 * text, waited on by pattern with a deadline (never by sleeping), killed by
 * its pid after the test.
 */
export class TestProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #waiters = new Set<() => void>();

  constructor(command: string, args: readonly string[], options: SpawnOptions & { stdin?: 'pipe' | 'ignore' } = {}) {
    const { stdin = 'pipe', ...spawnOptions } = options;
    this.child = spawn(command, args, { stdio: [stdin, 'pipe', 'pipe'], ...spawnOptions });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => this.#append('stdout', d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => this.#append('stderr', d));
    this.child.stdin?.on('error', () => {});
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        LIVE.delete(this);
        resolve({ code, signal });
        this.#wake();
      }),
    );
    LIVE.add(this);
  }

  /** A TypeScript program run from source with this Node. */
  static source(entry: string, args: readonly string[] = [], options: SpawnOptions & { stdin?: 'pipe' | 'ignore' } = {}): TestProcess {
    return new TestProcess(process.execPath, sourceArgs(entry, args), options);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  #append(stream: Stream, data: string): void {
    this[stream] += data;
    this.#wake();
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Where the output ends now: wait for text after this mark. */
  mark(stream: Stream = 'stdout'): number {
    return this[stream].length;
  }

  /** The first match of `pattern` in the output after `from`; rejects at the deadline or when the process exits first. */
  waitFor(pattern: RegExp, opts: WaitOptions = {}): Promise<RegExpExecArray> {
    const stream = opts.stream ?? 'stdout';
    const ms = opts.ms ?? 15_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(this[stream].slice(opts.from ?? 0));
        if (m) return done(() => resolve(m));
        if (!this.running)
          done(() =>
            reject(
              new Error(
                `process exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern} appeared on ${stream}\n${this.#output()}`,
              ),
            ),
          );
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${pattern} on ${stream}\n${this.#output()}`))),
        ms,
      );
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        fn();
      };
      this.#waiters.add(check);
      check();
    });
  }

  #output(): string {
    return `stdout:\n${this.stdout.slice(-3000)}\nstderr:\n${this.stderr.slice(-3000)}`;
  }

  /** Write one line to stdin. */
  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** Send a line and wait for the answer matching `reply` that follows it. */
  async command(line: string, reply: RegExp, ms?: number): Promise<RegExpExecArray> {
    const from = this.mark();
    this.send(line);
    return this.waitFor(reply, { from, ms });
  }

  /** Wait for `listening on HOST:PORT`; returns the port. */
  async listening(ms = 20_000): Promise<number> {
    const m = await this.waitFor(/listening on (\S+):(\d+)/, { ms });
    return Number(m[2]);
  }

  /** Resident set size in bytes, from /proc. */
  rss(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    assert.ok(m, 'VmRSS in /proc/<pid>/status');
    return Number(m[1]) * 1024;
  }

  /** Send a signal (by pid) and wait for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) process.kill(this.pid, signal);
    return within(this.exited, 20_000, `exit after ${signal}`);
  }
}

/** Kill every process started through this kit that still runs, and wait for them. */
export async function killAll(): Promise<void> {
  const running = [...LIVE].filter((p) => p.running);
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.all(running.map((p) => p.exited));
}

/** Run a program to its end; resolves with its exit code and output. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const p = new TestProcess(command, args, { ...options, stdin: 'ignore' });
  const { code } = await p.exited;
  return { code, out: p.stdout, err: p.stderr };
}
