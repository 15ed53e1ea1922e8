import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkTxFormat, type AddBlockResult, type ChainState, type SignedTransaction } from '@chain/core';

/** Fewest signatures in a batch worth the hop to the threads; smaller batches are verified inline. */
export const POOL_MIN_BATCH = 64;

/** Transactions per slice of a batch of blocks: the threads verify the next slices while the main thread adds one. */
export const PIPELINE_TXS = 512;

/** Threads of the default pool: one per core when there are at least two, else none. */
export function defaultVerifyThreads(): number {
  const cores = availableParallelism();
  return cores >= 2 ? Math.min(cores, 16) : 0;
}

/** One Ed25519 check: hex strings as they are in a transaction (the message is the id). */
export interface SignatureJob {
  readonly sender: string;
  readonly signature: string;
  readonly id: string;
}

// The thread: node:crypto Ed25519 (the peer's default verifier), public keys cached and bounded.
// Jobs arrive as one hex string, 256 characters a job (sender, signature, id), decoded at once;
// verdicts go back as bytes (1 verifies).
const THREAD = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function key(hex, bytes) {
  let k = keys.get(hex);
  if (k === undefined) {
    if (keys.size >= 4096) keys.delete(keys.keys().next().value);
    k = createPublicKey({ key: Buffer.concat([SPKI, bytes]), format: 'der', type: 'spki' });
    keys.set(hex, k);
  }
  return k;
}
parentPort.on('message', ({ seq, jobs }) => {
  const all = Buffer.from(jobs, 'hex');
  const out = new Uint8Array(all.length / 128);
  for (let i = 0; i < out.length; i++) {
    const at = 128 * i;
    try {
      const k = key(jobs.slice(256 * i, 256 * i + 64), all.subarray(at, at + 32));
      out[i] = verify(null, all.subarray(at + 96, at + 128), k, all.subarray(at + 32, at + 96)) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage({ seq, out }, [out.buffer]);
});
`;

/** One job as the threads take it: sender, signature and id, 256 lowercase hex characters. */
const JOB = /^[0-9a-f]{256}$/;

interface Pending {
  resolve(out: Uint8Array): void;
  reject(err: Error): void;
}

/**
 * Ed25519 verification on every core: worker threads (started on first use) that verify the
 * signatures of a batch in parallel. A verdict is only ever a hint: `true` means node:crypto
 * verified that signature; anything else (false, a thread that failed, a closed pool) means
 * "not verified here", and the normal path then verifies in order, giving exactly the reason and
 * message it gives without the pool.
 */
export class VerifyPool {
  readonly size: number;
  #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  #closed = false;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 1 || size > 256)
      throw new RangeError(`verify pool size must be an integer from 1 to 256, got ${String(size)}`);
    this.size = size;
  }

  /** Threads running now (none before first use and after close). */
  get threads(): number {
    return this.#workers.length;
  }

  /**
   * Whether the threads still owe verdicts. Threads that have not answered the last batch have
   * no core to spare (or too much to do): a caller with a small batch does better verifying it
   * inline than queueing it behind (the message costs then buy nothing).
   */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Verify `jobs`; one verdict each, in order. Never rejects: a failure (or a job not in hex of the right lengths) reads as "not verified". */
  async verify(jobs: readonly SignatureJob[]): Promise<boolean[]> {
    const verdicts = new Array<boolean>(jobs.length).fill(false);
    if (this.#closed || jobs.length === 0) return verdicts;
    // Only well-formed jobs go to the threads; `at` maps each back to its place.
    const texts: string[] = [];
    const at: number[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const j = jobs[i] as SignatureJob;
      const text = `${j.sender}${j.signature}${j.id}`;
      if (JOB.test(text) && j.sender.length === 64 && j.signature.length === 128) {
        texts.push(text);
        at.push(i);
      }
    }
    if (texts.length === 0) return verdicts;
    this.#start();
    const per = Math.ceil(texts.length / this.#workers.length);
    const parts: Promise<void>[] = [];
    for (let w = 0, from = 0; from < texts.length; w++, from += per) {
      const base = from;
      parts.push(
        this.#send(this.#workers[w] as Worker, texts.slice(from, from + per).join('')).then(
          (out) => {
            for (let i = 0; i < out.length; i++) verdicts[at[base + i] as number] = out[i] === 1;
          },
          () => undefined,
        ),
      );
    }
    await Promise.all(parts);
    return verdicts;
  }

  /** Stop every thread; later calls verify nothing. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers;
    this.#workers = [];
    this.#failAll(new Error('verify pool closed'));
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #start(): void {
    while (this.#workers.length < this.size) {
      const w = new Worker(THREAD, { eval: true });
      w.unref(); // never what keeps a process alive
      w.on('message', (m: { seq: number; out: Uint8Array }) => {
        const p = this.#pending.get(m.seq);
        this.#pending.delete(m.seq);
        p?.resolve(m.out);
      });
      const gone = (err: Error): void => {
        this.#workers = this.#workers.filter((x) => x !== w);
        this.#failAll(err); // a thread lost: what was asked of it reads as "not verified"
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`verify thread exited with code ${code}`)));
      this.#workers.push(w);
    }
  }

  #send(w: Worker, jobs: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const seq = ++this.#seq;
      this.#pending.set(seq, { resolve, reject });
      w.postMessage({ seq, jobs });
    });
  }

  #failAll(err: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(err);
  }
}

/**
 * Verify in the pool the signatures of the signed transactions in `blocks` (received, not yet
 * checked) that the chain has not verified, and note those that verify in the chain's memory of
 * verified transactions. The blocks are then added as usual: a noted signature is not verified
 * again, any other is, in order. Does nothing below `minBatch` signatures to check.
 */
export function preverifyBlocks(
  pool: VerifyPool,
  chain: ChainState,
  blocks: readonly unknown[],
  minBatch = POOL_MIN_BATCH,
): Promise<number> {
  return checkedBlocks(pool, chain, blocks, minBatch).verified;
}

/** The blocks with their transactions checked ({@link withCheckedTxs}), and their signatures verifying in the pool. */
function checkedBlocks(
  pool: VerifyPool,
  chain: ChainState,
  blocks: readonly unknown[],
  minBatch: number,
): { readonly blocks: unknown[]; readonly verified: Promise<number> } {
  const jobs: Job[] = [];
  const checked = blocks.map((b) => withCheckedTxs(chain, b, jobs));
  return { blocks: checked, verified: verifyJobs(pool, chain, jobs, minBatch).catch(() => 0) };
}

/**
 * The same for transactions received together (an `hb` reply's pool): anything that fails the
 * format rules is skipped (the rules then refuse it as they always do), as is what the chain
 * verified before (pool transactions, remembered ones). Resolves with the number noted.
 */
export function preverifyTransactions(
  pool: VerifyPool,
  chain: ChainState,
  input: readonly unknown[],
  minBatch = POOL_MIN_BATCH,
): Promise<number> {
  return checkedTransactions(pool, chain, input, minBatch).verified;
}

/**
 * Transactions received together with each that passes the format rules replaced by its checked
 * copy (frozen, so the rules find it checked and do not hash it again), and their signatures
 * verifying in the pool. On the classic format, or below `minBatch` transactions, the input as it
 * is and nothing verified.
 */
export function checkedTransactions(
  pool: VerifyPool,
  chain: ChainState,
  input: readonly unknown[],
  minBatch = POOL_MIN_BATCH,
): { readonly txs: readonly unknown[]; readonly verified: Promise<number> } {
  if (chain.params.txFormat !== 'signed' || input.length < minBatch) return { txs: input, verified: Promise.resolve(0) };
  const jobs: Job[] = [];
  const txs = input.map((t) => checkedTx(chain, t, jobs));
  return { txs, verified: verifyJobs(pool, chain, jobs, minBatch).catch(() => 0) };
}

/** A signature to check, with the checked transaction it belongs to. */
interface Job extends SignatureJob {
  readonly tx: SignedTransaction;
}

/**
 * The checked copy of `input` when it passes the format rules (else `input` itself), adding the
 * job of its signature unless the chain verified it before.
 */
function checkedTx(chain: ChainState, input: unknown, jobs: Job[]): unknown {
  const c = checkTxFormat(chain.params.txFormat, chain.genesisHash, input);
  if (!c.ok) return input;
  const tx = c.tx as SignedTransaction;
  if (typeof tx.signature !== 'string') return tx;
  const pooled = chain.pool.get(c.id)?.tx as SignedTransaction | undefined;
  if (pooled?.signature !== tx.signature && !chain.isVerified(c.id, tx))
    jobs.push({ sender: tx.sender, signature: tx.signature, id: c.id, tx });
  return tx;
}

async function verifyJobs(pool: VerifyPool, chain: ChainState, jobs: readonly Job[], minBatch: number): Promise<number> {
  if (jobs.length < minBatch) return 0;
  const verdicts = await pool.verify(jobs);
  let noted = 0;
  for (let i = 0; i < jobs.length; i++) {
    if (verdicts[i]) {
      const job = jobs[i] as Job;
      chain.noteVerified(job.id, job.tx);
      noted++;
    }
  }
  return noted;
}

/**
 * `block` with each transaction that passes the format rules replaced by the checked copy
 * (frozen, so the rules find it checked and do not hash it again), and the jobs of their
 * signatures; anything not shaped like a block with a list of transactions is kept as it is.
 * The copy has the same fields in the same order, so the rules judge it exactly as the original.
 */
function withCheckedTxs(chain: ChainState, block: unknown, jobs: Job[]): unknown {
  if (typeof block !== 'object' || block === null || Array.isArray(block)) return block;
  const list = (block as { transactions?: unknown }).transactions;
  if (!Array.isArray(list)) return block;
  return { ...(block as object), transactions: list.map((t: unknown) => checkedTx(chain, t, jobs)) };
}

/**
 * Add `blocks` to the chain as `chain.addBlocks(blocks, now)` does (in order, stopping at the first
 * refused block; the same results), with their signatures verified in the pool ahead of the rules:
 * the batch is cut into slices of about `sliceTxs` transactions, every slice is handed to
 * the threads at once, and the main thread adds each slice (one group commit each) as soon as its
 * signatures are checked, while the threads go on with the next ones.
 */
export async function addBlocksVerified(
  pool: VerifyPool,
  chain: ChainState,
  blocks: readonly unknown[],
  now: number,
  opts: { readonly sliceTxs?: number; readonly minBatch?: number } = {},
): Promise<AddBlockResult[]> {
  const sliceTxs = opts.sliceTxs ?? PIPELINE_TXS;
  const minBatch = opts.minBatch ?? POOL_MIN_BATCH;
  const slices: unknown[][] = [];
  let slice: unknown[] = [];
  let txs = 0;
  for (const b of blocks) {
    slice.push(b);
    const list = (b as { transactions?: unknown } | null)?.transactions;
    txs += Array.isArray(list) ? list.length : 0;
    if (txs >= sliceTxs) {
      slices.push(slice);
      slice = [];
      txs = 0;
    }
  }
  if (slice.length > 0) slices.push(slice);
  if (slices.length <= 1) {
    const one = checkedBlocks(pool, chain, blocks, minBatch);
    await one.verified;
    return chain.addBlocks(one.blocks, now);
  }
  const verifying = slices.map((s) => checkedBlocks(pool, chain, s, minBatch));
  const results: AddBlockResult[] = [];
  for (const part of verifying) {
    await part.verified;
    const r = await chain.addBlocks(part.blocks, now);
    results.push(...r);
    const last = r[r.length - 1];
    if (r.length < part.blocks.length || (last !== undefined && !last.ok)) break;
  }
  return results;
}
