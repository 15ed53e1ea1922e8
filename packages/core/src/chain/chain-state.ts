import type { Block, NetworkParams, SignedTransaction, Transaction } from '../types';
import { fail } from '../errors';
import { nobleEd25519, type Ed25519 } from '../crypto/ed25519';
import { createGenesis } from '../consensus/network';
import { txId } from '../consensus/hashing';
import { checkBlockFormat, createTemplate, validateBlock, type BlockContext, type BlockTemplate } from '../consensus/block';
import { MAX_FUTURE_MS, admissionWindow, blockWindow, checkTxFormat, verifyTxSignature } from '../consensus/transaction';
import { MemoryBlockStore, metaOf, type BlockMeta, type BlockStore } from './store';
import { DEFAULT_POOL_CAP, TxPool, type PoolEntry } from './pool';
import { TxIndex } from './tx-index';
import { BlockTree } from './block-tree';
import { Serial } from './serial';
import { locatorHeights } from './locator';
import { VerifiedTransactions } from './verified';
import { ancestorIds } from './ancestry';

export interface ChainStateOptions {
  readonly params: NetworkParams;
  /** Where blocks live; in memory by default. */
  readonly store?: BlockStore;
  readonly ed25519?: Ed25519;
  /** Pool cap (SPEC default 10000). */
  readonly poolCap?: number;
  /** Side-branch blocks more than this many blocks below the tip are forgotten (default 10000). */
  readonly maxForkDepth?: number;
}

/** A failed admission or block, with the SPEC reason. */
export type Rejection = ReturnType<typeof fail>;

export type AddTxResult = { readonly ok: true; readonly id: string; readonly tx: Transaction } | Rejection;

export type AddBlockResult =
  | {
      readonly ok: true;
      /** `known`: had it; `side`: valid, not best; `extended`: new tip on the best chain; `reorg`: best chain switched. */
      readonly status: 'known' | 'side' | 'extended' | 'reorg';
      readonly block: Block;
      /** Blocks that joined the best chain, in height order. */
      readonly connected: readonly Block[];
      /** Blocks that left the best chain, in height order. */
      readonly disconnected: readonly Block[];
      /** Ids of transactions put back in the pool by a reorg. */
      readonly returnedToPool: readonly string[];
    }
  | Rejection;

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
  #version = 0;

  private constructor(opts: ChainStateOptions) {
    this.params = opts.params;
    this.genesis = createGenesis(opts.params);
    this.genesisHash = this.genesis.currentHash;
    this.pool = new TxPool(opts.poolCap ?? DEFAULT_POOL_CAP);
    this.store = opts.store ?? new MemoryBlockStore();
    this.#ed = opts.ed25519 ?? nobleEd25519;
    this.#tree = new BlockTree(metaOf(this.genesis), opts.maxForkDepth ?? 10_000);
    this.#verified = new VerifiedTransactions(Math.max(2 * this.pool.cap, 4 * opts.params.maxTxPerBlock, 1024));
  }

  /** Open a chain on a store, restoring the blocks it holds (trusted: they were validated before storing). */
  static async open(opts: ChainStateOptions): Promise<ChainState> {
    const chain = new ChainState(opts);
    const metas = await chain.store.metas();
    chain.#tree.restore(metas);
    // Rebuild the TTL window of the index from the tip backwards.
    const horizon = chain.#horizon();
    for (let h = chain.height; h > 1; h--) {
      const block = await chain.blockAt(h);
      if (!block) throw new Error(`block store is missing the best-chain block at height ${h}`);
      if (block.timestamp <= horizon) break;
      chain.#index.connect(h, block.timestamp, block.transactions.map((tx) => txId(chain.genesisHash, tx)));
    }
    chain.#index.prune(horizon);
    return chain;
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

  /** This chain's block locator (SPEC §5 `hb`). */
  locator(): string[] {
    return locatorHeights(this.height).map((h) => this.hashAt(h) as string);
  }

  /** Height of the first locator hash on the best chain, or null when none is (another network). */
  findFork(locator: readonly string[]): number | null {
    for (const hash of locator) {
      const meta = this.#tree.get(hash);
      if (meta && this.#tree.onBest(hash)) return meta.index;
    }
    return null;
  }

  /** Height of the best-chain block holding transaction `id`, if within the TTL window. */
  txHeight(id: string): number | undefined {
    return this.#index.heightOf(id);
  }

  /**
   * Admit a transaction to the pool at time `now` (SPEC §2). Signatures are
   * verified here, once; `verified: true` skips that for a transaction this peer
   * verified before (e.g. replayed from its own pool journal).
   */
  addTransaction(input: unknown, now: number, opts: { readonly verified?: boolean } = {}): AddTxResult {
    const checked = checkTxFormat(this.params.txFormat, this.genesisHash, input);
    if (!checked.ok) return checked;
    const { tx, id } = checked;
    const window = admissionWindow(tx.timestamp, now, this.params.txTtlMs);
    if (!window.ok) return window;
    if (this.pool.has(id)) return fail('duplicate', `transaction ${id} is already in the pool`);
    if (this.#index.heightOf(id) !== undefined) return fail('duplicate', `transaction ${id} is already in the chain`);
    if (this.pool.full) return fail('pool-full', `the pool holds its maximum of ${this.pool.cap} transactions`);
    if (this.params.txFormat === 'signed' && !opts.verified && !this.#verified.has(id, tx)) {
      if (!verifyTxSignature(tx as SignedTransaction, id, this.#ed)) return fail('bad-signature', `signature of transaction ${id} does not verify`);
      this.#verified.note(id, tx);
    }
    this.pool.add({ id, tx });
    this.#version++;
    return { ok: true, id, tx };
  }

  /** Drop pool transactions that are no longer valid for admission at `now`. */
  prunePool(now: number): PoolEntry[] {
    const dropped = this.pool.dropOlderThan(now - this.params.txTtlMs);
    if (dropped.length > 0) this.#version++;
    return dropped;
  }

  /**
   * The block this peer would build at `now` on its tip: pool transactions in
   * arrival order that are valid inside it, `maxTxPerBlock` at most, and that
   * `include` accepts (all by default). Null when there is nothing to mine.
   */
  template(now: number, include?: (id: string) => boolean): BlockTemplate | null {
    const tip = this.tip;
    const timestamp = Math.max(now, tip.timestamp);
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
   * Validate and add a block received at time `now` (SPEC §3), then apply fork
   * choice. Resolves after the block is durable in the store.
   */
  addBlock(input: unknown, now: number): Promise<AddBlockResult> {
    return this.#serial.run(() => this.#addBlock(input, now));
  }

  /**
   * Add blocks received together (a sync batch), in order; one result per block
   * processed. Stops after the first block that is refused, except `known`
   * blocks, which are skipped. A run of blocks that extends the tip one after
   * the other is validated first and then stored in one go (one group commit,
   * not one sync per block), and joins the chain once all of it is durable;
   * anything else takes the one-block path.
   */
  addBlocks(inputs: readonly unknown[], now: number): Promise<AddBlockResult[]> {
    return this.#serial.run(async () => {
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
        const r = await this.#addBlock(inputs[i], now);
        results.push(r);
        i++;
        if (!r.ok) return results;
      }
      return results;
    });
  }

  /**
   * Blocks from `inputs[from]` on that extend the tip in a chain, validated and
   * then stored together. Returns nothing when `inputs[from]` does not extend
   * the tip (the caller takes the one-block path). A refused block ends the run
   * (its result is last); the blocks before it are added.
   */
  async #extendRun(inputs: readonly unknown[], from: number, now: number): Promise<AddBlockResult[]> {
    const tip = this.tip;
    if (from + 1 >= inputs.length) return []; // a single block: the one-block path
    let parent: BlockMeta = tip;
    const batchIds = new Set<string>();
    const valid: { block: Block; ids: readonly string[] }[] = [];
    let refused: Rejection | null = null;
    for (let i = from; i < inputs.length; i++) {
      const shaped = checkBlockFormat(inputs[i]);
      if (!shaped.ok) {
        if (i === from) return [];
        break;
      }
      const b = shaped.block;
      if (b.previousHash !== parent.hash || this.#tree.get(b.currentHash) || this.#tree.invalid(b.currentHash)) {
        if (i === from) return [];
        break;
      }
      const cutoff = b.timestamp - this.params.txTtlMs;
      const inChain = await this.#ancestorIds(tip, cutoff);
      const checked = validateBlock(b, parent, this.#context(now, (id) => batchIds.has(id) || inChain(id)));
      if (!checked.ok) {
        refused = checked.reason === 'future' ? checked : this.#tree.markInvalid(b.currentHash, checked);
        break;
      }
      for (const id of checked.txIds) batchIds.add(id);
      valid.push({ block: checked.block, ids: checked.txIds });
      parent = metaOf(checked.block);
    }
    // Store them all at once (group commit), then join the chain in order, as far as storing succeeded.
    const stored = await Promise.allSettled(valid.map((v) => this.store.put(v.block)));
    const results: AddBlockResult[] = [];
    let failure: unknown = null;
    for (let k = 0; k < valid.length; k++) {
      const s = stored[k] as PromiseSettledResult<void>;
      if (s.status === 'rejected') {
        failure = s.reason;
        break;
      }
      const { block, ids } = valid[k] as { block: Block; ids: readonly string[] };
      this.#tree.extend(metaOf(block));
      this.#connect(block, ids);
      results.push({ ok: true, status: 'extended', block, connected: [block], disconnected: [], returnedToPool: [] });
    }
    if (results.length > 0) this.#afterTipChange();
    if (failure !== null) throw failure;
    if (refused) results.push(refused);
    return results;
  }

  async #addBlock(input: unknown, now: number): Promise<AddBlockResult> {
    const shaped = checkBlockFormat(input);
    if (!shaped.ok) return shaped;
    const hash = shaped.block.currentHash;
    const known = this.#tree.get(hash);
    if (known) {
      const block = (await this.getBlock(hash)) as Block;
      return { ok: true, status: 'known', block, connected: [], disconnected: [], returnedToPool: [] };
    }
    const invalid = this.#tree.invalid(hash);
    if (invalid) return invalid;
    const parent = this.#tree.get(shaped.block.previousHash);
    if (!parent) {
      const badParent = this.#tree.invalid(shaped.block.previousHash);
      if (badParent) return this.#tree.markInvalid(hash, fail('bad-previous-hash', `parent ${shaped.block.previousHash} is invalid (${badParent.reason})`));
      return fail('unknown-parent', `parent ${shaped.block.previousHash} of block ${shaped.block.index} is unknown`);
    }
    const inAncestors = await this.#ancestorIds(parent, shaped.block.timestamp - this.params.txTtlMs);
    const checked = validateBlock(shaped.block, parent, this.#context(now, inAncestors));
    if (!checked.ok) {
      // A block from the future is refused for now, not forever.
      return checked.reason === 'future' ? checked : this.#tree.markInvalid(hash, checked);
    }
    const block = checked.block;
    await this.store.put(block);
    const meta = metaOf(block);
    if (block.index <= this.tip.index) {
      this.#tree.addSide(meta, checked.txIds);
      return { ok: true, status: 'side', block, connected: [], disconnected: [], returnedToPool: [] };
    }
    if (parent.hash === this.tip.hash) {
      this.#tree.extend(meta);
      this.#connect(block, checked.txIds);
      this.#afterTipChange();
      return { ok: true, status: 'extended', block, connected: [block], disconnected: [], returnedToPool: [] };
    }
    return this.#reorg(block, checked.txIds, now);
  }

  /** Switch the best chain to end at `block`, whose parent is on a side branch. */
  async #reorg(block: Block, ids: readonly string[], now: number): Promise<AddBlockResult> {
    const branch = this.#tree.branchTo(block.previousHash); // side metas, fork+1 … parent
    const forkHeight = block.index - branch.length - 1;
    const connected: { block: Block; ids: readonly string[] }[] = [];
    for (const m of branch) {
      const b = (await this.store.get(m.hash)) as Block;
      connected.push({ block: b, ids: this.#tree.sideIds(m.hash) ?? b.transactions.map((tx) => txId(this.genesisHash, tx)) });
    }
    connected.push({ block, ids });
    const disconnected = await this.blocksFrom(forkHeight + 1, this.height - forkHeight);
    // Everything loaded: apply synchronously so that no one sees a half-done switch.
    for (let h = this.height; h > forkHeight; h--) this.#index.disconnect(h);
    this.#tree.switchTo(metaOf(block), ids);
    const inNewChain = new Set<string>();
    for (const c of connected) {
      this.#connect(c.block, c.ids);
      for (const id of c.ids) inNewChain.add(id);
    }
    const returned: string[] = [];
    for (const b of disconnected) {
      for (const tx of b.transactions) {
        const id = txId(this.genesisHash, tx);
        if (inNewChain.has(id) || this.pool.has(id)) continue;
        if (!admissionWindow(tx.timestamp, now, this.params.txTtlMs).ok) continue;
        // Verified when its block was accepted: no second verification.
        if (this.pool.add({ id, tx })) returned.push(id);
      }
      this.#tree.setSideIds(b.currentHash, b.transactions.map((tx) => txId(this.genesisHash, tx)));
    }
    this.#afterTipChange();
    return { ok: true, status: 'reorg', block, connected: connected.map((c) => c.block), disconnected, returnedToPool: returned };
  }

  /** Index a block that joined the best chain and take its transactions out of the pool. */
  #connect(block: Block, ids: readonly string[]): void {
    this.#index.connect(block.index, block.timestamp, ids);
    for (const id of ids) this.pool.delete(id);
  }

  #afterTipChange(): void {
    this.#index.prune(this.#horizon());
    this.#tree.pruneSide();
    this.#version++;
  }

  /**
   * Blocks at or before the horizon may leave the index. A tip is at most
   * MAX_FUTURE_MS ahead of any clock that accepted it, so the index still covers
   * every transaction admissible now and every block that extends the tip.
   */
  #horizon(): number {
    return this.tip.timestamp - this.params.txTtlMs - MAX_FUTURE_MS;
  }

  #ancestorIds(parent: BlockMeta, cutoff: number): Promise<(id: string) => boolean> {
    return ancestorIds(this.#tree, this.#index, this.store, this.genesisHash, parent, cutoff);
  }

  /** What validating a block here needs besides its parent. */
  #context(now: number, inAncestors: (id: string) => boolean): BlockContext {
    return {
      params: this.params,
      genesisHash: this.genesisHash,
      now,
      inAncestors,
      alreadyVerified: (id, tx) =>
        (this.pool.get(id)?.tx as SignedTransaction | undefined)?.signature === (tx as SignedTransaction).signature || this.#verified.has(id, tx),
      onVerified: (id, tx) => this.#verified.note(id, tx),
      ed25519: this.#ed,
    };
  }
}
