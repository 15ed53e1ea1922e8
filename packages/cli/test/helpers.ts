import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClassicTransaction, findProof, type NetworkParams } from '@chain/core';
import { request } from '@chain/net';

const entry = fileURLToPath(new URL('../src/run.ts', import.meta.url));
// An absolute loader URL, so that the program also runs with another working directory.
const tsx = import.meta.resolve('tsx');

/** The comp3221 rules at difficulty 1: a block costs a few hashes. */
export const EASY_CLASSIC: NetworkParams = {
  name: 'cli-test',
  genesisTime: 1767225600000,
  difficulty: 1,
  pow: 'seed',
  txFormat: 'classic',
  maxTxPerBlock: 5,
  txTtlMs: 3600000,
};

/** The default rules (signed transactions, bound proof of work) at difficulty 1. */
export const EASY_SIGNED: NetworkParams = { ...EASY_CLASSIC, name: 'cli-test-signed', pow: 'bound', txFormat: 'signed', maxTxPerBlock: 500 };

export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), 'chain-cli-'));
}

export function writeNetwork(dir: string, params: NetworkParams): string {
  const file = join(dir, `${params.name}.json`);
  writeFileSync(file, JSON.stringify(params));
  return file;
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running `chain-peer` process with its output collected. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters = new Set<() => void>();

  constructor(args: readonly string[], opts: { cwd?: string; stdin?: 'pipe' | 'ignore' } = {}) {
    this.child = spawn(process.execPath, ['--conditions=@chain/source', `--import=${tsx}`, entry, ...args], {
      cwd: opts.cwd,
      stdio: [opts.stdin ?? 'pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => this.#append('stdout', d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => this.#append('stderr', d));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => {
      resolve(code);
      this.#wake();
    }));
  }

  #append(stream: 'stdout' | 'stderr', data: string): void {
    this[stream] += data;
    this.#wake();
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Send one prompt line. */
  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** Where the output ends now: wait for text after this mark. */
  mark(stream: 'stdout' | 'stderr' = 'stdout'): number {
    return this[stream].length;
  }

  /** Resolve with the first match of `pattern` in the output after `from`; reject at the deadline or if the process exits first. */
  waitFor(pattern: RegExp, opts: { from?: number; stream?: 'stdout' | 'stderr'; ms?: number } = {}): Promise<RegExpExecArray> {
    const stream = opts.stream ?? 'stdout';
    const ms = opts.ms ?? 15_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(this[stream].slice(opts.from ?? 0));
        if (m) return done(() => resolve(m));
        if (!this.running) done(() => reject(new Error(`process exited (${this.child.exitCode}) before ${pattern} appeared on ${stream}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${ms} ms waiting for ${pattern} on ${stream}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`))), ms);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        fn();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Send a prompt command and wait for its reply. */
  async command(line: string, reply: RegExp, ms?: number): Promise<RegExpExecArray> {
    const from = this.mark();
    this.send(line);
    return this.waitFor(reply, { from, ms });
  }

  /** Wait for the "listening on host:port" line; returns the port. */
  async listening(): Promise<number> {
    const m = await this.waitFor(/listening on [^\s]+:(\d+)/);
    return Number(m[1]);
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

/** Every process a test starts, killed after it. */
export class Processes {
  #all: CliProcess[] = [];

  start(args: readonly string[], opts?: { cwd?: string; stdin?: 'pipe' | 'ignore' }): CliProcess {
    const p = new CliProcess(args, opts);
    this.#all.push(p);
    return p;
  }

  /** Run to completion; resolves with the exit code and output. */
  async run(args: readonly string[], opts?: { cwd?: string }): Promise<{ code: number | null; out: string; err: string }> {
    const p = this.start(args, { ...opts, stdin: 'ignore' });
    const code = await p.exited;
    return { code, out: p.stdout, err: p.stderr };
  }

  async killAll(): Promise<void> {
    const all = this.#all;
    this.#all = [];
    for (const p of all) p.kill();
    await Promise.all(all.map((p) => p.exited));
  }
}

/** Mine one block at a peer through `gp`/`up`, with the reference search. */
export async function mineAt(port: number): Promise<{ index: number; hash: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const work = await request('127.0.0.1', port, 'gp');
    if (!work.templateHash) throw new Error('nothing to mine');
    const proof = findProof({ rule: work.pow, templateHash: work.templateHash, previousProof: work.previousProof, difficulty: work.difficulty }) as number;
    const reply = await request('127.0.0.1', port, 'up', { proof, templateHash: work.templateHash });
    if (reply.status === 'Reward') return { index: reply.block.index, hash: reply.block.currentHash };
    if (reply.reason !== 'stale') throw new Error(`no reward: ${reply.reason}`);
  }
  throw new Error('the template kept changing');
}

/** Submit a classic transaction over TCP. */
export async function sendClassic(port: number, content: string, sender = 'abcd1234'): Promise<void> {
  const reply = await request('127.0.0.1', port, 'tx', createClassicTransaction(sender, { content, timestamp: Date.now() }));
  if (reply.status !== 'Accepted') throw new Error(`tx rejected: ${reply.reason}`);
}

/** Resolve when `check` resolves true; polls every 20 ms; rejects after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
