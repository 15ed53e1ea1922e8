import { fileURLToPath } from 'node:url';
import { createClassicTransaction, type NetworkParams } from '@chain/core';
import { request } from '@chain/net';
import {
  EASY_CLASSIC as CLASSIC,
  EASY_SIGNED as SIGNED,
  TestProcess,
  easyNetwork,
  mineAt as mineBlockAt,
  runToEnd,
  sourceArgs,
  tmpDir,
  writeNetworkFile,
  type Stream,
  type WaitOptions,
} from '@chain/testkit';

const entry = fileURLToPath(new URL('../src/run.ts', import.meta.url));

/** The comp3221 rules at difficulty 1: a block costs a few hashes. */
export const EASY_CLASSIC: NetworkParams = easyNetwork(CLASSIC, { name: 'cli-test' });

/** The default rules (signed transactions, bound proof of work) at difficulty 1. */
export const EASY_SIGNED: NetworkParams = easyNetwork(SIGNED, { name: 'cli-test-signed' });

interface StartOptions {
  cwd?: string;
  stdin?: 'pipe' | 'ignore';
}

/** A running `chain-peer` (from source) with its output collected; `exited` resolves with its exit code. */
export class CliProcess {
  readonly process: TestProcess;
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], opts: StartOptions = {}) {
    this.process = TestProcess.source(entry, args, opts);
    this.exited = this.process.exited.then(({ code }) => code);
  }

  get child() {
    return this.process.child;
  }

  get stdout(): string {
    return this.process.stdout;
  }

  get stderr(): string {
    return this.process.stderr;
  }

  get running(): boolean {
    return this.process.running;
  }

  /** Where the output ends now: wait for text after this mark. */
  mark(stream?: Stream): number {
    return this.process.mark(stream);
  }

  waitFor(pattern: RegExp, opts?: WaitOptions): Promise<RegExpExecArray> {
    return this.process.waitFor(pattern, opts);
  }

  /** Send one prompt line. */
  send(line: string): void {
    this.process.send(line);
  }

  /** Send a prompt command and wait for its reply. */
  command(line: string, reply: RegExp, ms?: number): Promise<RegExpExecArray> {
    return this.process.command(line, reply, ms);
  }

  /** Wait for the "listening on host:port" line; returns the port. */
  listening(): Promise<number> {
    return this.process.listening();
  }
}

/** Starts `chain-peer` processes; every one still running is killed after each test. */
/** Starts `chain-peer` programs; the suite's root hook (test/hooks.ts) kills them after each test. */
class Processes {
  start(args: readonly string[], opts?: StartOptions): CliProcess {
    return new CliProcess(args, opts);
  }

  /** Run to completion; resolves with the exit code and output. */
  run(args: readonly string[], opts: { cwd?: string } = {}): Promise<{ code: number | null; out: string; err: string }> {
    return runToEnd(process.execPath, sourceArgs(entry, args), opts);
  }
}

export const procs = new Processes();

/** Mine one block at a peer through `gp`/`up`, with the reference search: its index and hash. */
export async function mineAt(port: number): Promise<{ index: number; hash: string }> {
  const block = await mineBlockAt(port);
  return { index: block.index, hash: block.currentHash };
}

/** Submit a classic transaction over TCP. */
export async function sendClassic(port: number, content: string, sender = 'abcd1234'): Promise<void> {
  const reply = await request('127.0.0.1', port, 'tx', createClassicTransaction(sender, { content, timestamp: Date.now() }));
  if (reply.status !== 'Accepted') throw new Error(`tx rejected: ${reply.reason}`);
}

/**
 * Command-line arguments from a template: the text is split at spaces, each interpolated value
 * (a path, a port) is one argument whole. flags`devnet --peers 2 --network ${file}`.
 */
export function flags(text: TemplateStringsArray, ...values: unknown[]): string[] {
  return text.flatMap((part, i) => [...part.split(' ').filter(Boolean), ...(i < values.length ? [String(values[i])] : [])]);
}

/** A `chain-peer` without miner or prompt on `network` (its file in `dir`): the process and its `host:port`. */
export async function quietPeer(network: NetworkParams, dir = tmpDir()): Promise<{ peer: CliProcess; dir: string; target: string }> {
  const peer = procs.start(['--port', '0', '--no-mine', '--no-prompt', '--network', writeNetworkFile(dir, network)]);
  return { peer, dir, target: `127.0.0.1:${await peer.listening()}` };
}

/**
 * A quiet peer serving `flag` (`--http`, `--metrics`) on a free port: the process, its peer port and
 * the URL it announces as `<what> on <url>`.
 */
export async function servingPeer(
  flag: string,
  what: string,
  network = EASY_CLASSIC,
): Promise<{ p: CliProcess; port: number; url: string }> {
  const p = procs.start(['--port', '0', '--no-mine', '--no-prompt', flag, '0', '--network', writeNetworkFile(tmpDir(), network)]);
  const port = await p.listening();
  const url = (await p.waitFor(new RegExp(`^${what} on (http://127\\.0\\.0\\.1:\\d+/\\S*)$`, 'm')))[1]!;
  return { p, port, url };
}

/** A {@link servingPeer}, then a second peer asking for its port: the port and how the second one ended. */
export async function onTakenPort(flag: string, what: string): Promise<{ taken: number; second: { code: number | null; err: string } }> {
  const taken = Number(new URL((await servingPeer(flag, what)).url).port);
  const second = await procs.run([
    '--port',
    '0',
    '--no-mine',
    '--no-prompt',
    flag,
    String(taken),
    '--network',
    writeNetworkFile(tmpDir(), EASY_CLASSIC),
  ]);
  return { taken, second };
}
