import type { Block, NetworkParams, SignedTransaction, Transaction } from '../types';
import { fail } from '../errors';
import { checkOptionKeys } from '../primitives/option-keys';
import { nobleEd25519, type Ed25519 } from '../crypto/ed25519';
import { PRESETS, createGenesis, parseNetwork } from '../consensus/network';
import { txId } from '../consensus/hashing';
import { createTemplate, type BlockTemplate } from '../consensus/block';
import { admissionWindow, blockWindow, checkTxFormat, verifyTxSignature } from '../consensus/transaction';
import { BadSignatureExplainer } from '../consensus/signing';
import { metaOf, type BlockMeta } from './meta';
import { MemoryBlockStore, type BlockStore } from './store';
import { DEFAULT_POOL_CAP, TxPool, type PoolEntry } from './pool';
import { TxIndex } from './tx-index';
import { BlockTree } from './block-tree';
import { Serial } from './serial';
import { locatorHeights } from './locator';
import { VerifiedTransactions } from './verified';
import { BlockAdder } from './block-adder';
import { outworksBest, retargetFacts } from './retarget-history';
import { targetFromDifficulty } from '../consensus/target';
import type { AddBlockOptions, AddBlockResult, AddBlocksOptions, AddTxResult, Rejection } from './results';

export interface ChainStateOptions {
  /** The network: its parameters, or a preset's name (`default`, `comp3221`, `retarget`). */
  readonly params: NetworkParams | keyof typeof PRESETS;
  /** Where blocks live; in memory by default. */
  readonly store?: BlockStore;
  readonly ed25519?: Ed25519;
  /** Pool cap (the specification default 10000). */
  readonly poolCap?: number;
  /** Side-branch blocks more than this many blocks below the tip are forgotten (default 10000). */
  readonly maxForkDepth?: number;
}

export type { Rejection, AddTxResult, AddBlockResult, AddBlockOptions, AddBlocksOptions } from './results';

const OPTION_KEYS = ['params', 'store', 'ed25519', 'poolCap', 'maxForkDepth'] as const satisfies readonly (keyof ChainStateOptions)[];

/** The network of the options, checked: a preset by name or parameters field by field. */
function chainParams(opts: ChainStateOptions): NetworkParams {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('chain options must be an object with at least params');
  checkOptionKeys(opts, OPTION_KEYS, 'chain');
  const p = opts.params;
  if (typeof p === 'string') {
    if (!Object.prototype.hasOwnProperty.call(PRESETS, p))
      throw new RangeError(`params must be a preset name (${Object.keys(PRESETS).join(', ')}) or network parameters, got "${p}"`);
    return PRESETS[p];
  }
  const checked = parseNetwork(p);
  return Object.isFrozen(p) ? p : checked; // the caller's frozen object is kept, so that it compares equal
}

/** Blocks asked of the store at once when the transaction index is rebuilt at open, and their transactions at most (unless one block has more). */
const REINDEX_BATCH = 64;
const REINDEX_TXS = 16_384;

/**
 * The chain: every known valid block (best chain and side branches), fork
 * choice, reorganisation, the pool and the TTL-bounded index of transaction
 * ids. Whole blocks stay in the {@link BlockStore}; memory holds metas only.
 *
 * Blocks are added one at a time (calls are serialised); the in-memory state
 * changes only after the store has made a block durable.
 */
export class ChainState {
  readonly params: NetworkParams;
  readonly genesis: Block;
  readonly genesisHash: string;
  readonly pool: TxPool;
  readonly store: BlockStore;
  readonly #ed: Ed25519;
  readonly #tree: BlockTree;
  readonly #index = new TxIndex();
  readonly #serial = new Serial();
  readonly #verified: VerifiedTransactions;
  readonly #explainer = new BadSignatureExplainer();
  readonly #adder: BlockAdder;
  readonly #listeners = new Set<() => void>();
  #version = 0;

  private constructor(opts: ChainStateOptions) {
    this.params = chainParams(opts);
    this.genesis = createGenesis(this.params);
    this.genesisHash = this.genesis.currentHash;
    this.pool = new TxPool(opts.poolCap ?? DEFAULT_POOL_CAP);
    this.store = opts.store ?? new MemoryBlockStore();
    this.#ed = opts.ed25519 ?? nobleEd25519;
    this.#tree = new BlockTree(metaOf(this.genesis), opts.maxForkDepth ?? 10_000);
    this.#verified = new VerifiedTransactions(Math.max(2 * this.pool.cap, 4 * this.params.maxTxPerBlock, 1024));
    this.#adder = new BlockAdder({
      params: this.params,
      genesis: this.genesis,
      genesisHash: this.genesisHash,
      pool: this.pool,
      store: this.store,
      ed: this.#ed,
      tree: this.#tree,
      index: this.#index,
      verified: this.#verified,
      tipChanged: () => this.#changed(),
    });
  }

  /** Open a chain on a store, restoring the blocks it holds (trusted: they were validated before storing). */
  static async open(opts: ChainStateOptions): Promise<ChainState> {
    const chain = new ChainState(opts);
    const metas = await chain.store.metas();
    chain.#tree.restore(metas);
    if (chain.params.retarget !== undefined) chain.#chooseByWork();
    // Rebuild the TTL window of the index: find its lowest block from the metas, then connect the
    // blocks upwards, read a batch at a time (a durable store reads a batch in parallel; the
    // batch is bounded in transactions too, so that large blocks do not crowd the heap).
    const horizon = chain.#adder.horizon();
    let low = chain.height + 1;
    let ids = 0;
    for (let h = chain.height; h > 1; h--) {
      const meta = chain.#tree.get(chain.hashAt(h) as string) as BlockMeta;
      if (meta.timestamp <= horizon) break;
      low = h;
      ids += meta.txCount;
    }
    chain.#index.reserve(ids);
    for (let from = low; from <= chain.height;) {
      const heights: number[] = [];
      for (let txs = 0; from <= chain.height && heights.length < REINDEX_BATCH; from++) {
        const n = (chain.#tree.get(chain.hashAt(from) as string) as BlockMeta).txCount;
        if (heights.length > 0 && txs + n > REINDEX_TXS) break;
        heights.push(from);
        txs += n;
      }
      const blocks = await Promise.all(heights.map((h) => chain.blockAt(h)));
      blocks.forEach((block, k) => {
        if (!block) throw new Error(`block store is missing the best-chain block at height ${heights[k]}`);
        chain.#index.connect(
          heights[k] as number,
          block.timestamp,
          block.transactions.map((tx) => txId(chain.genesisHash, tx)),
        );
      });
    }
    chain.#index.prune(horizon);
    return chain;
  }

  /** After a restore (which keeps the highest chain), the most work on a retargeting network (docs/spec.md §9.4). */
  #chooseByWork(): void {
    const side = this.#tree.sideMetas();
    const parents = new Set(side.map((m) => m.previousHash));
    for (const leaf of side) {
      if (!parents.has(leaf.hash) && outworksBest(this.params, this.#tree, this.#tree.branchTo(leaf.hash))) this.#tree.makeBest(leaf.hash);
    }
  }

  /**
   * The target a child of block `hash` (the tip by default) must meet: the difficulty's, or on a
   * retargeting network the one its chain sets (docs/spec.md §9.3).
   */
  targetAfter(hash: string = this.tip.hash): bigint {
    const parent = this.#tree.get(hash);
    if (!parent) throw new RangeError(`block ${hash} is not known`);
    return retargetFacts(this.params, this.#tree, parent)?.target ?? targetFromDifficulty(this.params.difficulty);
  }

  /** Resolves once every block handed to `addBlock`/`addBlocks` so far is settled. */
  settled(): Promise<void> {
    return this.#serial.run(async () => undefined);
  }

  /** The best chain's tip. */
  get tip(): BlockMeta {
    return this.#tree.tip;
  }

  get height(): number {
    return this.#tree.tip.index;
  }

  /** Changes whenever the tip or the pool changes: a cheap "is my template still current?" test. */
  get version(): number {
    return this.#version;
  }

  /**
   * Call `listener` whenever {@link version} changes (the tip or the pool changed), at once and
   * synchronously, in the middle of the change's caller: a listener should only take note (and
   * must not throw). Returns the function that removes it.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  #changed(): void {
    this.#version++;
    for (const listener of this.#listeners) listener();
  }

  /** Known side-branch blocks. */
  get sideBlockCount(): number {
    return this.#tree.sideCount;
  }

  /** Metas of the known side-branch blocks (forks and abandoned blocks), in no particular order. */
  sideBlocks(): BlockMeta[] {
    return this.#tree.sideMetas();
  }

  /** Hash of the best-chain block at `height` (1 = genesis). */
  hashAt(height: number): string | undefined {
    return this.#tree.hashAt(height);
  }

  meta(hash: string): BlockMeta | undefined {
    return this.#tree.get(hash);
  }

  /** Whether `hash` is on the best chain. */
  onBestChain(hash: string): boolean {
    return this.#tree.onBest(hash);
  }

  /** A block known to be invalid, with its reason. */
  invalidReason(hash: string): Rejection | undefined {
    return this.#tree.invalid(hash);
  }

  async getBlock(hash: string): Promise<Block | undefined> {
    if (hash === this.genesisHash) return this.genesis;
    if (!this.#tree.get(hash)) return undefined;
    return this.store.get(hash);
  }

  async blockAt(height: number): Promise<Block | undefined> {
    const hash = this.hashAt(height);
    return hash === undefined ? undefined : this.getBlock(hash);
  }

  /** Best-chain blocks from `from` (height), `limit` at most. */
  async blocksFrom(from: number, limit: number): Promise<Block[]> {
    const out: Block[] = [];
    for (let h = Math.max(1, from); h <= this.height && out.length < limit; h++) {
      const b = await this.blockAt(h);
      if (!b) throw new Error(`block store is missing the best-chain block at height ${h}`);
      out.push(b);
    }
    return out;
  }

  /** This chain's block locator (docs/spec.md §5 `hb`). */
  locator(): string[] {
    return locatorHeights(this.height).map((h) => this.hashAt(h) as string);
  }

  /**
   * The locator of any known block (a side branch's too): its hash, then its ancestors at the
   * locator's heights, ending at the genesis. Undefined when the block is unknown.
   */
  locatorFrom(hash: string): string[] | undefined {
    let m = this.#tree.get(hash);
    if (!m) return undefined;
    const out: string[] = [];
    for (const h of locatorHeights(m.index)) {
      while (m.index > h && !this.#tree.onBest(m.hash)) m = this.#tree.get(m.previousHash) as BlockMeta;
      out.push(this.#tree.onBest(m.hash) ? (this.hashAt(h) as string) : m.hash);
    }
    return out;
  }

  /** Height of the first locator hash on the best chain, or null when none is (another network). */
  findFork(locator: readonly string[]): number | null {
    for (const hash of locator) {
      const meta = this.#tree.get(hash);
      if (meta && this.#tree.onBest(hash)) return meta.index;
    }
    return null;
  }

  /** Transaction ids in the index's window (the best chain's blocks after the horizon). */
  get windowIds(): number {
    return this.#index.size;
  }

  /** Height of the best-chain block holding transaction `id`, if within the TTL window. */
  txHeight(id: string): number | undefined {
    return this.#index.heightOf(id);
  }

  /**
   * The transaction index's horizon: every best-chain block with a later timestamp has its
   * transactions in the index (`txHeight` finds them); older blocks may have left it. It follows
   * the tip (its timestamp − `txTtlMs` − `MAX_FUTURE_MS`) and never moves back.
   */
  get indexHorizon(): number {
    return this.#index.horizon;
  }

  /**
   * Remember that the signature of transaction `id` (its fields `tx`) verifies: checked
   * elsewhere by the caller (in parallel, say), so admission and block validation skip it.
   * The memory is bounded; a forgotten one is simply verified again.
   */
  noteVerified(id: string, tx: Transaction): void {
    this.#verified.note(id, tx);
  }

  /** Whether the signature of transaction `id` (its fields `tx`) is remembered as verified. */
  isVerified(id: string, tx: Transaction): boolean {
    return this.#verified.has(id, tx);
  }

  /**
   * Admit a transaction to the pool at time `now` (docs/spec.md §2). Signatures are
   * verified here, once; `verified: true` skips that for a transaction this peer
   * verified before (e.g. replayed from its own pool journal).
   */
  addTransaction(input: unknown, now: number, opts: { readonly verified?: boolean } = {}): AddTxResult {
    const r = this.#admit(input, now, opts);
    return r.ok ? { ...r, status: 'Accepted' } : { ...r, status: 'Rejected' };
  }

  #admit(
    input: unknown,
    now: number,
    opts: { readonly verified?: boolean },
  ): { readonly ok: true; readonly id: string; readonly tx: Transaction } | (Rejection & { readonly id?: string }) {
    const checked = checkTxFormat(this.params.txFormat, this.genesisHash, input);
    if (!checked.ok) return checked;
    const { tx, id } = checked;
    const window = admissionWindow(tx.timestamp, now, this.params.txTtlMs);
    if (!window.ok) return { ...window, id };
    if (this.pool.has(id)) return { ...fail('duplicate', `transaction ${id} is already in the pool`), id };
    if (this.#index.heightOf(id) !== undefined) return { ...fail('duplicate', `transaction ${id} is already in the chain`), id };
    if (this.pool.full) return { ...fail('pool-full', `the pool holds its maximum of ${this.pool.cap} transactions`), id };
    if (this.params.txFormat === 'signed' && !opts.verified && !this.#verified.has(id, tx)) {
      if (!verifyTxSignature(tx as SignedTransaction, id, this.#ed))
        return { ...fail('bad-signature', this.#explainer.message(tx as SignedTransaction, id, this.params, this.#ed, now)), id };
      this.#verified.note(id, tx);
    }
    this.pool.add({ id, tx });
    this.#changed();
    return { ok: true, id, tx };
  }

  /**
   * Take a transaction out of the pool (its admission could not be made durable, say), so that no
   * template holds it any more. False when it was not in the pool.
   */
  dropTransaction(id: string): boolean {
    if (!this.pool.delete(id)) return false;
    this.#changed();
    return true;
  }

  /** Drop pool transactions that are no longer valid for admission at `now`. */
  prunePool(now: number): PoolEntry[] {
    const dropped = this.pool.dropOlderThan(now - this.params.txTtlMs);
    if (dropped.length > 0) this.#changed();
    return dropped;
  }

  /**
   * The block this peer would build at `now` on its tip: pool transactions in
   * arrival order that are valid inside it, `maxTxPerBlock` at most, and that
   * `include` accepts (all by default). Null when there is nothing to mine.
   */
  template(now: number, include?: (id: string) => boolean): BlockTemplate | null {
    const tip = this.tip;
    // On a retargeting network the block must also pass the tip's median time past (docs/spec.md §9.5).
    const facts = retargetFacts(this.params, this.#tree, tip);
    const timestamp = Math.max(now, facts === undefined ? tip.timestamp : Math.max(tip.timestamp, facts.medianTimePast + 1));
    const txs: Transaction[] = [];
    const ids: string[] = [];
    for (const e of this.pool.values()) {
      if (txs.length >= this.params.maxTxPerBlock) break;
      if (!blockWindow(e.tx.timestamp, timestamp, this.params.txTtlMs)) continue;
      if (this.#index.heightOf(e.id) !== undefined) continue;
      if (include && !include(e.id)) continue;
      txs.push(e.tx);
      ids.push(e.id);
    }
    return txs.length === 0 ? null : createTemplate(tip, txs, ids, timestamp, this.params.txFormat);
  }

  /**
   * Validate and add a block received at time `now` (docs/spec.md §3), then apply fork
   * choice. Resolves after the block is durable in the store. `onValid`, if
   * given, hears the block once it passed every rule and before it is stored,
   * with whether it is about to extend the best chain (its parent is the tip):
   * a peer may announce a block of its own while it is made durable.
   */
  addBlock(input: unknown, now: number, options: AddBlockOptions = {}): Promise<AddBlockResult> {
    return this.#serial.run(() => this.#adder.add(input, now, options));
  }

  /**
   * Add blocks received together (a sync batch), in order; one result per block
   * processed. Stops after the first block that is refused, except `known`
   * blocks, which are skipped. A run of blocks that extends the tip one after
   * the other is validated first and then stored in one go (one group commit,
   * not one sync per block), and joins the chain once all of it is durable;
   * anything else takes the one-block path.
   */
  addBlocks(inputs: readonly unknown[], now: number, options: AddBlocksOptions = {}): Promise<AddBlockResult[]> {
    return this.#serial.run(() => this.#adder.addMany(inputs, now, options));
  }
}
