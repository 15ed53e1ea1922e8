/**
 * Shared machinery of the adversarial suite: real peer processes (the fixture script or the
 * chain-peer CLI from source), raw sockets, honest clients, snapshots of chain and pool, and
 * transactions and blocks built by hand.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  createClassicTransaction,
  createGenesis,
  findProof,
  sealBlock,
  signTransaction,
  txId,
  type Block,
  type NetworkParams,
  type Transaction,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { request } from '@chain/net';
import { createReplyDecoder, type ReplyMessage, type WireError } from '@chain/protocol';
import type { PeerOptions } from '@chain/peer';
import {
  EASY_CLASSIC,
  EASY_SIGNED,
  TestProcess,
  blockOn,
  easyNetwork,
  rawFrame,
  sourceArgs,
  templateOn,
  tmpDir,
  within,
  writeNetworkFile,
  PEER_FIXTURE,
} from '@chain/testkit';

export const CLI = fileURLToPath(new URL('../../../packages/cli/src/run.ts', import.meta.url));

/** Classic transactions and the original proof of work at difficulty 1: blocks cost a few hashes. */
export const CLASSIC: NetworkParams = easyNetwork(EASY_CLASSIC, { name: 'adv-classic', maxTxPerBlock: 50 });

/** Signed transactions and the bound proof of work at difficulty 1. */
export const SIGNED: NetworkParams = easyNetwork(EASY_SIGNED, { name: 'adv-signed' });

export function genesisOf(params: NetworkParams): Block {
  return createGenesis(params);
}

// ---------------------------------------------------------------------------------------------
// Peer processes

/** A peer running in its own process (the kit's {@link TestProcess}), with the fixture's stdin commands. */
export class PeerProcess extends TestProcess {
  port = 0;

  /** Wait for `listening on HOST:PORT`; remembers and returns the port. */
  override async listening(ms?: number): Promise<number> {
    this.port = await super.listening(ms);
    return this.port;
  }

  /** Send a stdin command to the fixture and wait for the reply line starting with `answer`, parsed. */
  override command(line: string, reply: RegExp, ms?: number): Promise<RegExpExecArray>;
  override command<T>(line: string, answer: string, ms?: number): Promise<T>;
  override async command<T>(line: string, answer: RegExp | string, ms = 10_000): Promise<T | RegExpExecArray> {
    if (answer instanceof RegExp) return super.command(line, answer, ms);
    const m = await super.command(line, new RegExp(`^${answer} (.*)$`, 'm'), ms);
    return JSON.parse(m[1] as string) as T;
  }
}

/** Start the fixture peer (every limit configurable) and wait until it listens. */
export async function startPeer(options: PeerOptions & { network: NetworkParams }, prefix: readonly string[] = []): Promise<PeerProcess> {
  const args = sourceArgs(PEER_FIXTURE, [JSON.stringify({ port: 0, heartbeatMs: 200, ...options })]);
  const p =
    prefix.length === 0
      ? new PeerProcess(process.execPath, args)
      : new PeerProcess(prefix[0] as string, [...prefix.slice(1), process.execPath, ...args]);
  await p.listening();
  return p;
}

/** A scratch directory holding the network file of `params`: its path and the file's. */
export function scratchNetwork(params: NetworkParams): { dir: string; net: string } {
  const dir = tmpDir();
  return { dir, net: writeNetworkFile(dir, params) };
}

/** Flags of a `chain-peer` without miner or prompt, with its data in `data` and a 200 ms heartbeat. */
export function cliPeerFlags(data: string, net: string, port = 0, extra: readonly string[] = []): string[] {
  return ['--port', String(port), '--data', data, '--network', net, '--no-mine', '--no-prompt', '--heartbeat', '200', ...extra];
}

/** Start `chain-peer` from source with these flags (no wait). */
export function startCli(flags: readonly string[]): PeerProcess {
  return new PeerProcess(process.execPath, sourceArgs(CLI, flags));
}

// ---------------------------------------------------------------------------------------------
// Sockets

type Received = { type: 'message'; message: ReplyMessage } | { type: 'error'; error: WireError };

/** A hand-driven connection: writes raw bytes, collects the decoded reply frames. */
export class RawConn {
  readonly received: Received[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  readonly socket: Socket;
  #waiters = new Set<() => void>();
  private readonly decoder = createReplyDecoder();

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const event of this.decoder.push(chunk)) this.received.push(event);
      this.#wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.#wake();
        resolve();
      }),
    );
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  static async open(port: number, host = '127.0.0.1', opts: { read?: boolean } = {}): Promise<RawConn> {
    const socket = connect({ host, port, noDelay: true });
    if (opts.read === false) socket.pause();
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      }),
      5000,
      'connect',
    );
    return new RawConn(socket);
  }

  write(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  /** The n-th reply frame (0-based), waiting for it. */
  frame(n = 0, ms = 5000): Promise<ReplyMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const event = this.received[n];
        if (event !== undefined) {
          done();
          if (event.type === 'error') reject(new Error(`undecodable reply: ${event.error.code} ${event.error.message}`));
          else resolve(event.message);
        } else if (this.isClosed) {
          done();
          reject(new Error(`connection closed after ${this.received.length} replies, waiting for reply ${n}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no reply ${n} within ${ms} ms`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolve when the server closes the connection; reject after `ms`. */
  waitClosed(ms = 5000): Promise<void> {
    return within(this.closed, ms, 'server closes the connection');
  }

  /** The connection is still open after a request on it is answered: ask `gp` and expect the reply. */
  async assertOpen(): Promise<void> {
    const n = this.received.length;
    this.write(rawFrame('gp'));
    const reply = await this.frame(n);
    assert.equal(reply.op, 'gp', 'the connection stays and keeps serving');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A bare 4-byte length header. */
export function header(length: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(length >>> 0, 0);
  return b;
}

/** Expect reply `n` to be `er` with `code`. */
export async function expectError(conn: RawConn, code: string, n = 0, ms = 5000): Promise<string> {
  const reply = await conn.frame(n, ms);
  assert.equal(reply.op, 'er', `expected er ${code}, got ${reply.op} ${JSON.stringify(reply.payload)}`);
  assert.equal((reply.payload as { code: string }).code, code, JSON.stringify(reply.payload));
  return (reply.payload as { message: string }).message;
}

// ---------------------------------------------------------------------------------------------
// Honest clients and snapshots

/** An honest client on a fresh connection gets `gp` and `pb` answered within `ms` each. */
export async function assertServed(port: number, host = '127.0.0.1', ms = 1000): Promise<number> {
  const started = Date.now();
  const gp = await within(request(host, port, 'gp', undefined, { timeoutMs: ms }), ms + 100, 'honest gp');
  assert.equal(typeof gp.index, 'number');
  const pb = await within(request(host, port, 'pb', { from: 1, limit: 1 }, { timeoutMs: ms }), ms + 100, 'honest pb');
  assert.equal(pb.blocks.length, 1);
  return Date.now() - started;
}

/** Run honest `gp` requests back to back while `attack` runs; returns the slowest latency (ms). */
export async function servedDuring<T>(port: number, attack: Promise<T>, ms = 1000): Promise<{ result: T; worst: number; count: number }> {
  let done = false;
  let worst = 0;
  let count = 0;
  const probe = (async () => {
    while (!done) {
      const t = Date.now();
      await assertServed(port, '127.0.0.1', ms);
      worst = Math.max(worst, Date.now() - t);
      count++;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const result = await attack;
    return { result, worst, count };
  } finally {
    done = true;
    await probe;
  }
}

export interface Snapshot {
  readonly height: number;
  readonly hash: string;
  readonly pool: readonly string[];
  readonly pending: number;
}

/** The peer's tip and pool as a client sees them (`hb` from genesis, `gp`). */
export async function snapshot(port: number, params: NetworkParams, host = '127.0.0.1'): Promise<Snapshot> {
  const genesis = genesisOf(params).currentHash;
  const hb = await request(host, port, 'hb', { genesis, locator: [genesis], listen: null }, { timeoutMs: 5000 });
  const gp = await request(host, port, 'gp', undefined, { timeoutMs: 5000 });
  const pool = hb.pool.map((tx) => txId(genesis, tx)).sort();
  return { height: hb.height, hash: hb.hash, pool, pending: gp.pending };
}

/** Every block of the peer's best chain, through `pb` pages. */
export async function chainOf(port: number, host = '127.0.0.1'): Promise<Block[]> {
  const blocks: Block[] = [];
  for (;;) {
    const r = await request(host, port, 'pb', { from: blocks.length + 1, limit: 200 }, { timeoutMs: 10_000 });
    blocks.push(...r.blocks);
    if (r.blocks.length === 0 || blocks.length >= r.height) return blocks;
  }
}

// ---------------------------------------------------------------------------------------------
// Transactions and blocks

let counter = 0;

export function classicTx(content = `c${++counter}-${process.pid}`, timestamp = Date.now(), sender = 'abcd1234'): Transaction {
  return createClassicTransaction(sender, { content, timestamp });
}

export const SEED = new Uint8Array(32).fill(7);

export function signedTx(
  params: NetworkParams = SIGNED,
  content = `s${++counter}-${process.pid}`,
  timestamp = Date.now(),
  seed = SEED,
): Transaction {
  return signTransaction({ genesisHash: genesisOf(params).currentHash, secretKey: seed, content, timestamp, ed25519: nodeEd25519 });
}

/** A valid block on `parent` holding `txs`, mined offline. */
export function makeBlock(
  params: NetworkParams,
  parent: Block,
  txs: readonly Transaction[],
  timestamp = Math.max(Date.now(), parent.timestamp),
): Block {
  return blockOn(params, genesisOf(params).currentHash, parent, txs, timestamp);
}

/** A chain of `n` valid blocks after `parent`, one fresh transaction each (or those given). */
export function makeChain(
  params: NetworkParams,
  parent: Block,
  n: number,
  txsFor: (i: number) => Transaction[] = () => [params.txFormat === 'signed' ? signedTx(params) : classicTx()],
): Block[] {
  const out: Block[] = [];
  let p = parent;
  for (let i = 0; i < n; i++) {
    const b = makeBlock(params, p, txsFor(i));
    out.push(b);
    p = b;
  }
  return out;
}

/** A proof that fails the difficulty for this block (so the block is `bad-pow`), with the hash made consistent. */
export function withBadPow(params: NetworkParams, parent: Block, block: Block): Block {
  const t = templateOn(params, genesisOf(params).currentHash, parent, block.transactions, block.timestamp);
  for (let proof = 0; ; proof++) {
    const ok = findProof(
      { rule: params.pow, templateHash: t.templateHash, previousProof: parent.proof, difficulty: params.difficulty },
      { start: proof, limit: 1 },
    );
    if (ok === null) return sealBlock(t, proof);
  }
}
