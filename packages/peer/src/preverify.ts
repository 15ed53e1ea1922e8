import {
  UNREQUESTED_DEPTH,
  checkHeader,
  checkTxFormat,
  identifyBlock,
  type AddBlockResult,
  type AddBlocksOptions,
  type BlockIdentity,
  type BlockMeta,
  type ChainState,
  type SignedTransaction,
} from '@chain/core';
import { ArrayRun, factsAfter } from './retarget-view';
import type { VerifyPool } from './verify-pool';

/** Fewest signatures in a batch worth the hop to the threads; smaller batches are verified inline. */
export const POOL_MIN_BATCH = 64;

/** Transactions per slice of a batch of blocks: the threads verify the next slices while the main thread adds one. */
export const PIPELINE_TXS = 512;

/** A signature to check, with the checked transaction it belongs to. */
interface Job {
  readonly sender: string;
  readonly signature: string;
  readonly id: string;
  readonly tx: SignedTransaction;
  /** The place of its block in the batch. */
  readonly at: number;
}

/**
 * Verify in the pool the signatures of the blocks' signed transactions (received, not yet
 * checked) that the chain has not verified, and note those that verify in the chain's memory.
 * The blocks are then added as usual: a noted signature is not verified again, any other is, in
 * order. Does nothing below `minBatch` signatures to check. Resolves with the number noted.
 */
export function preverifyBlocks(
  pool: VerifyPool,
  chain: ChainState,
  blocks: readonly unknown[],
  minBatch = POOL_MIN_BATCH,
  now = Date.now(),
): Promise<number> {
  return checkedBlocks(pool, chain, blocks, minBatch, now, {}).verified;
}

/**
 * The blocks, each identified where it can be (the frozen copy the rules then do not hash
 * again), with the signature jobs of each (`at`: the block's place). The cheap checks come
 * first, in the order the rules apply them: only the leading run of blocks whose parent is known
 * (to the chain, or the block before in the batch) and whose header holds (the proof of work) has
 * jobs; the rules refuse the first block outside that run before any signature of it matters.
 */
function checkBatch(
  chain: ChainState,
  blocks: readonly unknown[],
  now: number,
  options: AddBlocksOptions,
): { readonly blocks: unknown[]; readonly jobs: Job[] } {
  const jobs: Job[] = [];
  const out: unknown[] = [];
  let previous = null as BlockMeta | null;
  /** The batch's blocks above the stored parent of the first, for the facts of a retargeting network. */
  let run: ArrayRun | undefined;
  let worth = chain.params.txFormat === 'signed';
  for (const input of blocks) {
    if (!worth) {
      out.push(input);
      continue;
    }
    const parentHash = (input as { previousHash?: unknown } | null)?.previousHash;
    const parent: BlockMeta | undefined =
      typeof parentHash === 'string' ? (previous?.hash === parentHash ? previous : chain.meta(parentHash)) : undefined;
    const id: BlockIdentity | null = parent ? identifyBlock(input, chain.params, chain.genesisHash) : null;
    if (parent !== undefined && parent !== previous && chain.params.retarget !== undefined) run = new ArrayRun(parent);
    const retarget = parent && id?.ok ? factsAfter(chain, parent, run) : undefined;
    if (!parent || !id?.ok || !checkHeader(id, parent, { params: chain.params, now, retarget }).ok) {
      worth = false;
      out.push(id?.ok ? id.block : input);
      continue;
    }
    // An announced block deep below the tip is refused before its signatures matter.
    if (options.unrequested && chain.tip.index - (parent.index + 1) > UNREQUESTED_DEPTH && !chain.meta(id.hash)) worth = false;
    else {
      const at = out.length;
      for (let i = 0; i < id.txIds.length; i++)
        addJob(chain, id.block.transactions[i] as SignedTransaction, id.txIds[i] as string, jobs, at);
    }
    out.push(id.block);
    previous = {
      hash: id.hash,
      index: id.block.index,
      timestamp: id.block.timestamp,
      proof: id.block.proof,
      previousHash: id.block.previousHash,
      txCount: id.block.transactions.length,
    };
    run?.push(previous);
  }
  return { blocks: out, jobs };
}

function checkedBlocks(
  pool: VerifyPool,
  chain: ChainState,
  blocks: readonly unknown[],
  minBatch: number,
  now: number,
  options: AddBlocksOptions,
): { readonly blocks: unknown[]; readonly verified: Promise<number> } {
  const checked = checkBatch(chain, blocks, now, options);
  return { blocks: checked.blocks, verified: verifyJobs(pool, chain, checked.jobs, minBatch).catch(() => 0) };
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
  const txs = input.map((t) => {
    const c = checkTxFormat(chain.params.txFormat, chain.genesisHash, t);
    if (!c.ok) return t;
    addJob(chain, c.tx as SignedTransaction, c.id, jobs);
    return c.tx;
  });
  return { txs, verified: verifyJobs(pool, chain, jobs, minBatch).catch(() => 0) };
}

/** The job of a checked transaction's signature, unless the chain verified it before. */
function addJob(chain: ChainState, tx: SignedTransaction, id: string, jobs: Job[], at = 0): void {
  if (typeof tx.signature !== 'string') return;
  const pooled = chain.pool.get(id)?.tx as SignedTransaction | undefined;
  if (pooled?.signature !== tx.signature && !chain.isVerified(id, tx))
    jobs.push({ sender: tx.sender, signature: tx.signature, id, tx, at });
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
  opts: AddBlocksOptions & { readonly sliceTxs?: number; readonly minBatch?: number } = {},
): Promise<AddBlockResult[]> {
  const sliceTxs = opts.sliceTxs ?? PIPELINE_TXS;
  const minBatch = opts.minBatch ?? POOL_MIN_BATCH;
  const options: AddBlocksOptions = { unrequested: opts.unrequested };
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
    const one = checkedBlocks(pool, chain, blocks, minBatch, now, options);
    await one.verified;
    return chain.addBlocks(one.blocks, now, options);
  }
  // One pass over the whole batch keeps the parent links; the jobs go to the threads slice by slice.
  const all = checkBatch(chain, blocks, now, options);
  const verifying: { blocks: unknown[]; verified: Promise<number> }[] = [];
  let offset = 0;
  for (const s of slices) {
    const end = offset + s.length;
    const jobs = all.jobs.filter((j) => j.at >= offset && j.at < end);
    verifying.push({ blocks: all.blocks.slice(offset, end), verified: verifyJobs(pool, chain, jobs, minBatch).catch(() => 0) });
    offset = end;
  }
  const results: AddBlockResult[] = [];
  for (const part of verifying) {
    await part.verified;
    const r = await chain.addBlocks(part.blocks, now, options);
    results.push(...r);
    const last = r[r.length - 1];
    if (r.length < part.blocks.length || (last !== undefined && !last.ok)) break;
  }
  return results;
}
