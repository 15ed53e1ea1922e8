import type { Block, NetworkParams, SignedTransaction } from '../types';
import { fail } from '../errors';
import type { Ed25519 } from '../crypto/ed25519';
import { txId } from '../consensus/hashing';
import {
  checkBlockFormat,
  checkBody,
  checkHeader,
  identifyBlock,
  type BlockContext,
  type BlockIdentity,
  type HeaderContext,
} from '../consensus/block';
import { MAX_FUTURE_MS, admissionWindow } from '../consensus/transaction';
import { metaOf, type BlockMeta } from './meta';
import type { BlockStore } from './store';
import type { TxPool } from './pool';
import type { TxIndex } from './tx-index';
import type { BlockTree } from './block-tree';
import type { VerifiedTransactions } from './verified';
import { ancestorIds } from './ancestry';
import { ArrayRun, outworksBest, retargetFacts, withRun, type ChainView } from './retarget-history';
import type { AddBlockOptions, AddBlockResult, AddBlocksOptions, Rejection } from './results';

/**
 * How far below the tip a block nobody asked for may be and still be kept: a branch announced block
 * by block (a peer that was cut off, publishing what it mined) joins as side blocks up to this
 * depth; deeper, it must be fetched, and blocks on old parents cost nothing to refuse.
 */
export const UNREQUESTED_DEPTH = 100;

/** The state a {@link BlockAdder} changes, owned by the chain state. */
export interface ChainParts {
  readonly params: NetworkParams;
  readonly genesis: Block;
  readonly genesisHash: string;
  readonly pool: TxPool;
  readonly store: BlockStore;
  readonly ed: Ed25519;
  readonly tree: BlockTree;
  readonly index: TxIndex;
  readonly verified: VerifiedTransactions;
  /** Called whenever the best chain changed. */
  tipChanged(): void;
}

/**
 * How blocks join the chain: validation against their ancestry, storage
 * before any change in memory, fork choice, reorganisation with the pool kept
 * consistent, and runs of blocks stored with one group commit. Callers
 * serialise the calls (the chain state does).
 */
export class BlockAdder {
  readonly #p: ChainParts;

  constructor(parts: ChainParts) {
    this.#p = parts;
  }

  /**
   * Add blocks in order; one result per block processed. Stops after the first
   * block that is refused, except `known` blocks, which are skipped.
   */
  async addMany(inputs: readonly unknown[], now: number, options: AddBlocksOptions = {}): Promise<AddBlockResult[]> {
    const results: AddBlockResult[] = [];
    let i = 0;
    while (i < inputs.length) {
      const run = await this.#extendRun(inputs, i, now);
      if (run.length > 0) {
        results.push(...run);
        i += run.length;
        if (!(run[run.length - 1] as AddBlockResult).ok) return results;
        continue;
      }
      const r = await this.add(inputs[i], now, options);
      results.push(r);
      i++;
      if (!r.ok) return results;
    }
    return results;
  }

  /**
   * Blocks from `inputs[from]` on that extend the tip in a chain, validated and
   * then stored together. Returns nothing when `inputs[from]` does not extend
   * the tip (the caller takes the one-block path). A refused block ends the run
   * (its result is last); the blocks before it are added.
   */
  async #extendRun(inputs: readonly unknown[], from: number, now: number): Promise<AddBlockResult[]> {
    const tip = this.#p.tree.tip;
    if (from + 1 >= inputs.length) return []; // a single block: the one-block path
    let parent: BlockMeta = tip;
    const run = new ArrayRun(tip);
    const view = withRun(this.#p.tree, run);
    const batchIds = new Set<string>();
    const valid: { block: Block; ids: readonly string[] }[] = [];
    let refused: Rejection | null = null;
    for (let i = from; i < inputs.length; i++) {
      const shaped = checkBlockFormat(inputs[i]);
      const id = shaped.ok && shaped.block.previousHash === parent.hash ? this.#identify(shaped.block) : null;
      if (id === null || !id.ok || this.#p.tree.get(id.hash) || this.#p.tree.invalid(id.hash)) {
        if (i === from) return [];
        break;
      }
      const header = checkHeader(id, parent, this.#headerContext(parent, now, view));
      if (!header.ok) {
        refused = this.#refuse(id.hash, header);
        break;
      }
      const inChain = await this.#ancestorIds(tip, id.block.timestamp - this.#p.params.txTtlMs);
      const checked = checkBody(
        id,
        this.#context(now, (txid) => batchIds.has(txid) || inChain(txid)),
      );
      if (!checked.ok) {
        refused = this.#refuse(id.hash, checked);
        break;
      }
      for (const txid of checked.txIds) batchIds.add(txid);
      valid.push({ block: checked.block, ids: checked.txIds });
      parent = metaOf(checked.block);
      run.push(parent);
    }
    // Store them all at once (group commit), then join the chain in order, as far as storing succeeded.
    const stored = await Promise.allSettled(valid.map((v) => this.#p.store.put(v.block)));
    const results: AddBlockResult[] = [];
    let failure: unknown = null;
    for (let k = 0; k < valid.length; k++) {
      const s = stored[k] as PromiseSettledResult<void>;
      if (s.status === 'rejected') {
        failure = s.reason;
        break;
      }
      const { block, ids } = valid[k] as { block: Block; ids: readonly string[] };
      this.#p.tree.extend(metaOf(block));
      this.#connect(block, ids);
      results.push({ ok: true, status: 'extended', block, connected: [block], disconnected: [], returnedToPool: [] });
    }
    if (results.length > 0) this.#afterTipChange();
    if (failure !== null) throw failure;
    if (refused) results.push(refused);
    return results;
  }

  /**
   * Validate and add one block received at `now`, then apply fork choice. `onValid` hears the
   * block once it passed the rules, before it is stored (see {@link AddBlockOptions}).
   */
  async add(input: unknown, now: number, options: AddBlockOptions = {}): Promise<AddBlockResult> {
    const { onValid, unrequested = false } = options;
    const shaped = checkBlockFormat(input);
    if (!shaped.ok) return shaped;
    if (this.#isGenesis(shaped.block))
      return { ok: true, status: 'known', block: this.#p.genesis, connected: [], disconnected: [], returnedToPool: [] };
    const parentHash = shaped.block.previousHash;
    const parent = this.#p.tree.get(parentHash);
    // A block on an unknown parent (another network's, or ahead of this chain) cannot be judged yet.
    if (!parent && !this.#p.tree.invalid(parentHash))
      return fail('unknown-parent', `parent ${parentHash} of block ${shaped.block.index} is unknown`);
    // Nobody asked for it and it lies deep below the tip: nothing is done for it (a branch that can win is fetched by hb).
    if (
      parent &&
      unrequested &&
      this.#p.tree.tip.index - (parent.index + 1) > UNREQUESTED_DEPTH &&
      !this.#p.tree.get(shaped.block.currentHash)
    )
      return fail(
        'stale',
        `block ${parent.index + 1} is more than ${UNREQUESTED_DEPTH} blocks below this peer's tip at height ${this.#p.tree.tip.index}; not stored unless fetched`,
      );
    // A block is its contents (docs/spec.md §7): from here on everything goes by the computed hash.
    const id = this.#identify(shaped.block);
    if (!id.ok) return id;
    const hash = id.hash;
    if (this.#p.tree.get(hash)) {
      return {
        ok: true,
        status: 'known',
        block: (await this.#p.store.get(hash)) as Block,
        connected: [],
        disconnected: [],
        returnedToPool: [],
      };
    }
    const invalid = this.#p.tree.invalid(hash);
    if (invalid) return invalid;
    if (!parent) {
      const badParent = this.#p.tree.invalid(parentHash) as Rejection;
      return this.#p.tree.markInvalid(hash, fail('bad-previous-hash', `parent ${parentHash} is invalid (${badParent.reason})`));
    }
    // Cheap first: the header (the proof of work) before ancestors are read and signatures checked.
    const header = checkHeader(id, parent, this.#headerContext(parent, now, this.#p.tree));
    if (!header.ok) return this.#refuse(hash, header);
    const inAncestors = await this.#ancestorIds(parent, id.block.timestamp - this.#p.params.txTtlMs);
    const checked = checkBody(id, this.#context(now, inAncestors));
    if (!checked.ok) return this.#refuse(hash, checked);
    const block = checked.block;
    onValid?.(block, parent.hash === this.#p.tree.tip.hash);
    await this.#p.store.put(block);
    const meta = metaOf(block);
    if (!this.#wins(meta, parent)) {
      this.#p.tree.addSide(meta, checked.txIds);
      return { ok: true, status: 'side', block, connected: [], disconnected: [], returnedToPool: [] };
    }
    if (parent.hash === this.#p.tree.tip.hash) {
      this.#p.tree.extend(meta);
      this.#connect(block, checked.txIds);
      this.#afterTipChange();
      return { ok: true, status: 'extended', block, connected: [block], disconnected: [], returnedToPool: [] };
    }
    return this.#reorg(block, checked.txIds, now);
  }

  /**
   * Whether a new block on `parent` makes the best chain (docs/spec.md §3.6): the highest, or on a
   * retargeting network the most work (§9.4); a tie keeps the chain seen first.
   */
  #wins(meta: BlockMeta, parent: BlockMeta): boolean {
    const tree = this.#p.tree;
    if (this.#p.params.retarget === undefined) return meta.index > tree.tip.index;
    return parent.hash === tree.tip.hash || outworksBest(this.#p.params, tree, [...tree.branchTo(parent.hash), meta]);
  }

  /** What a header is checked against: on a retargeting network, the target and median time of the parent's chain. */
  #headerContext(parent: BlockMeta, now: number, view: ChainView): HeaderContext {
    return { params: this.#p.params, now, retarget: retargetFacts(this.#p.params, view, parent) };
  }

  /** Switch the best chain to end at `block`, whose parent is on a side branch. */
  async #reorg(block: Block, ids: readonly string[], now: number): Promise<AddBlockResult> {
    const branch = this.#p.tree.branchTo(block.previousHash); // side metas, fork+1 … parent
    const forkHeight = block.index - branch.length - 1;
    const connected: { block: Block; ids: readonly string[] }[] = [];
    for (const m of branch) {
      const b = (await this.#p.store.get(m.hash)) as Block;
      connected.push({ block: b, ids: this.#p.tree.sideIds(m.hash) ?? b.transactions.map((tx) => txId(this.#p.genesisHash, tx)) });
    }
    connected.push({ block, ids });
    const disconnected = await this.#bestBlocks(forkHeight + 1, this.#p.tree.tip.index);
    // Everything loaded: apply synchronously so that no one sees a half-done switch.
    for (let h = this.#p.tree.tip.index; h > forkHeight; h--) this.#p.index.disconnect(h);
    this.#p.tree.switchTo(metaOf(block), ids);
    const inNewChain = new Set<string>();
    for (const c of connected) {
      this.#connect(c.block, c.ids);
      for (const id of c.ids) inNewChain.add(id);
    }
    const returned: string[] = [];
    for (const b of disconnected) {
      for (const tx of b.transactions) {
        const id = txId(this.#p.genesisHash, tx);
        if (inNewChain.has(id) || this.#p.pool.has(id)) continue;
        if (!admissionWindow(tx.timestamp, now, this.#p.params.txTtlMs).ok) continue;
        // Verified when its block was accepted: no second verification.
        if (this.#p.pool.add({ id, tx })) returned.push(id);
      }
      this.#p.tree.setSideIds(
        b.currentHash,
        b.transactions.map((tx) => txId(this.#p.genesisHash, tx)),
      );
    }
    this.#afterTipChange();
    return { ok: true, status: 'reorg', block, connected: connected.map((c) => c.block), disconnected, returnedToPool: returned };
  }

  /** Whether `b` is exactly this network's genesis block (which has no transactions, so no identity of the usual kind). */
  #isGenesis(b: Block): boolean {
    const g = this.#p.genesis;
    return (
      b.currentHash === g.currentHash &&
      b.index === g.index &&
      b.timestamp === g.timestamp &&
      b.proof === g.proof &&
      b.previousHash === g.previousHash &&
      b.transactions.length === 0
    );
  }

  /** A block's identity from its own fields; a refusal here is remembered nowhere. */
  #identify(input: unknown): BlockIdentity {
    return identifyBlock(input, this.#p.params, this.#p.genesisHash);
  }

  /**
   * Refuse an identified block. Invalidity is remembered for its computed hash,
   * except `future`: a block from the future is refused for now, not for ever.
   */
  #refuse(hash: string, why: Rejection): Rejection {
    return why.reason === 'future' ? why : this.#p.tree.markInvalid(hash, why);
  }

  /** Index a block that joined the best chain and take its transactions out of the pool. */
  #connect(block: Block, ids: readonly string[]): void {
    this.#p.index.connect(block.index, block.timestamp, ids);
    for (const id of ids) this.#p.pool.delete(id);
  }

  #afterTipChange(): void {
    this.#p.index.prune(this.horizon());
    this.#p.tree.pruneSide();
    this.#p.tipChanged();
  }

  /**
   * Blocks at or before the horizon may leave the index. A tip is at most
   * MAX_FUTURE_MS ahead of any clock that accepted it, so the index still covers
   * every transaction admissible now and every block that extends the tip.
   */
  horizon(): number {
    return this.#p.tree.tip.timestamp - this.#p.params.txTtlMs - MAX_FUTURE_MS;
  }

  #ancestorIds(parent: BlockMeta, cutoff: number): Promise<(id: string) => boolean> {
    return ancestorIds(this.#p.tree, this.#p.index, this.#p.store, this.#p.genesisHash, parent, cutoff);
  }

  /** What validating a block here needs besides its parent. */
  #context(now: number, inAncestors: (id: string) => boolean): BlockContext {
    return {
      params: this.#p.params,
      genesisHash: this.#p.genesisHash,
      now,
      inAncestors,
      alreadyVerified: (id, tx) =>
        (this.#p.pool.get(id)?.tx as SignedTransaction | undefined)?.signature === (tx as SignedTransaction).signature ||
        this.#p.verified.has(id, tx),
      onVerified: (id, tx) => this.#p.verified.note(id, tx),
      ed25519: this.#p.ed,
    };
  }

  /** Best-chain blocks at heights `from` … `to`. */
  async #bestBlocks(from: number, to: number): Promise<Block[]> {
    const out: Block[] = [];
    for (let h = from; h <= to; h++) {
      const b = await this.#p.store.get(this.#p.tree.hashAt(h) as string);
      if (!b) throw new Error(`block store is missing the best-chain block at height ${h}`);
      out.push(b);
    }
    return out;
  }
}
