import {
  UNREQUESTED_DEPTH,
  checkHeader,
  checkTxFormat,
  fail,
  identifyHeader,
  type AddBlockResult,
  type AddBlocksOptions,
  type Block,
  type NetworkParams,
  type ParentInfo,
  type PoolEntry,
  type Rejection,
  type RetargetFacts,
} from '@chain/core';
import type { BtRequest, CbRequest, CompactReply } from '@chain/protocol';
import type { Source } from '../source';
import { Partials } from './partials';
import { completeBlock, rebuild, type ShortId } from './reconstruct';

/** What receiving compact blocks needs: a view of the chain and pool, and the intake. */
export interface ReceiverContext {
  readonly params: NetworkParams;
  readonly genesisHash: string;
  now(): number;
  /** The best chain's height. */
  tipIndex(): number;
  /** A known valid block's header fields. */
  meta(hash: string): ParentInfo | undefined;
  /** On a retargeting network, what a child of the known block `hash` must meet (docs/spec.md §9.6). */
  retarget(hash: string): RetargetFacts | undefined;
  /** Why a block is remembered as invalid, if it is. */
  invalidReason(hash: string): Rejection | undefined;
  /** The pool's transactions with their ids. */
  pool(): Iterable<PoolEntry>;
  /** The intake: the block's rules, then the block log. */
  accept(blocks: readonly Block[], source: Source, options: AddBlocksOptions): Promise<AddBlockResult[]>;
  readonly shortId: ShortId;
}

/** A reply, with what a refusal was about (for the log and the distrust that follows). */
export interface Outcome {
  readonly reply: CompactReply;
  readonly message?: string;
}

/** Who sent a request: its connection (partial blocks are kept per connection) and its source. */
export interface From {
  readonly connectionId: number;
  readonly source: Source;
}

const FULL: Outcome = Object.freeze({ reply: Object.freeze({ status: 'Full' }) });
const ACCEPTED: Outcome = Object.freeze({ reply: Object.freeze({ status: 'Accepted' }) });

function refused(why: Rejection): Outcome {
  return { reply: { status: 'Rejected', reason: why.reason }, message: why.message };
}

/**
 * Compact blocks in (docs/spec.md §8.4): the header's identity and its proof of work
 * against a known parent (its target on a retargeting network) come before any transaction is looked for, so a header that fails costs
 * a few hashes and no short id; then the block is rebuilt from the pool, completed by `bt` when
 * transactions were missing, and judged by the intake as an `nb` block is.
 */
export class CompactReceiver {
  readonly #ctx: ReceiverContext;
  readonly partials: Partials;

  constructor(ctx: ReceiverContext, partials = new Partials(() => ctx.now())) {
    this.#ctx = ctx;
    this.partials = partials;
  }

  /** `cb`: judge the header, then rebuild the block from the pool. */
  async compact(req: CbRequest, from: From): Promise<Outcome> {
    const ctx = this.#ctx;
    const { header, short } = req;
    const id = identifyHeader(header, ctx.params.maxTxPerBlock);
    if (!id.ok) return refused(id); // about the claimed hash nothing is remembered
    if (ctx.meta(id.hash)) return ACCEPTED;
    const invalid = ctx.invalidReason(id.hash);
    if (invalid) return refused(invalid);
    const parent = ctx.meta(header.previousHash);
    if (!parent) {
      const bad = ctx.invalidReason(header.previousHash);
      if (bad) return refused(fail('bad-previous-hash', `parent ${header.previousHash} is invalid (${bad.reason})`));
      return refused(fail('unknown-parent', `parent ${header.previousHash} of block ${header.index} is unknown`));
    }
    const checked = checkHeader(id, parent, { params: ctx.params, now: ctx.now(), retarget: ctx.retarget(parent.hash) });
    if (!checked.ok) return refused(checked);
    if (ctx.tipIndex() - header.index > UNREQUESTED_DEPTH)
      return refused(
        fail('stale', `block ${header.index} is more than ${UNREQUESTED_DEPTH} blocks below this peer's tip at height ${ctx.tipIndex()}`),
      );
    const rebuilt = rebuild(id.hash, short, ctx.pool(), ctx.shortId);
    if (rebuilt.missing.length > 0) {
      this.partials.keep(from.connectionId, header, short, rebuilt);
      return { reply: { status: 'Missing', missing: rebuilt.missing } };
    }
    return this.#judge(completeBlock(header, rebuilt, ctx.params.txFormat), from);
  }

  /** `bt`: complete a kept partial block with the transactions it lacked, each checked against its short id. */
  async missing(req: BtRequest, from: From): Promise<Outcome> {
    const ctx = this.#ctx;
    const partial = this.partials.take(from.connectionId, req.hash);
    if (!partial) return FULL;
    const { header, short, rebuilt } = partial;
    if (req.txs.length !== rebuilt.missing.length) return FULL;
    for (let k = 0; k < req.txs.length; k++) {
      const place = rebuilt.missing[k] as number;
      const c = checkTxFormat(ctx.params.txFormat, ctx.genesisHash, req.txs[k]);
      if (!c.ok || ctx.shortId(header.currentHash, c.id) !== short[place]) return FULL;
      rebuilt.txs[place] = c.tx;
      rebuilt.ids[place] = c.id;
    }
    rebuilt.missing.length = 0;
    return this.#judge(completeBlock(header, rebuilt, ctx.params.txFormat), from);
  }

  /** A connection closed: its partial blocks go. */
  closed(connectionId: number): void {
    this.partials.closed(connectionId);
  }

  /** The rebuilt block through the intake, announced (not asked for) as by `nb`. */
  async #judge(block: Block | null, from: From): Promise<Outcome> {
    if (!block) return FULL;
    const [r] = (await this.#ctx.accept([block], from.source, { unrequested: true })) as [AddBlockResult];
    return r.ok ? ACCEPTED : refused(r);
  }
}
