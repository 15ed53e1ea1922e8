import { BoundedMap, headerOf, identifyBlock, shortTxId, type Block, type BlockHeader, type NetworkParams } from '@chain/core';
import type { ClientState, TransportClient } from '@chain/net';
import type { CompactReply, ProtocolVersion } from '@chain/protocol';
import type { ShortId } from './reconstruct';

/** Compact forms kept (the last blocks sent go to every neighbour, each computed once). */
export const FORMS_KEPT = 8;
/** Blocks waiting per neighbour behind the exchange in flight (the oldest dropped: the neighbour syncs). */
export const QUEUED_PER_NEIGHBOUR = 4;
/**
 * The largest `nb` request sent instead of `cb` to a neighbour not known to hold every transaction
 * (docs/spec.md §8.4.1): what a 1 Mbit/s uplink sends in about 65 ms, a round trip across a
 * continent, so the whole block costs no more time than the `Missing` round trip it saves.
 */
export const WHOLE_BLOCK_BYTES = 8192;

/** The connection a block goes out on (a `Neighbour` fits). */
export interface CompactLink {
  readonly address: string;
  readonly client: Pick<TransportClient, 'request'>;
  readonly state: ClientState;
  readonly version: ProtocolVersion | null;
}

export interface SenderContext {
  readonly params: NetworkParams;
  readonly genesisHash: string;
  /** Core's `shortTxId` unless a test says otherwise. */
  readonly shortId?: ShortId;
  /**
   * True when the neighbour at `address` is known to hold transaction `txId` (it sent, announced
   * or fetched it, or took it from this peer); without it, every transaction counts as held.
   */
  readonly holds?: (address: string, txId: string) => boolean;
}

interface CompactForm {
  readonly header: BlockHeader;
  readonly short: readonly string[];
  readonly txIds: readonly string[];
  /** Bytes of the block's `nb` request (Infinity above the bound), computed when a neighbour first lacks one of its transactions. */
  nbBytes?: number;
}

/** Bytes of the `nb` request of `block`, or Infinity once its transactions alone pass `bound`: a large block is not serialised for this. */
function nbBytesWithin(block: Block, bound: number): number {
  let txBytes = 0;
  for (const tx of block.transactions) if ((txBytes += Buffer.byteLength(JSON.stringify(tx))) > bound) return Infinity;
  return Buffer.byteLength(JSON.stringify({ block }));
}

/**
 * New best blocks out to version 1.2 neighbours (the relay's `sendBlock`): `cb` with the header
 * and short ids, or the whole block by `nb` when the neighbour is not known to hold some of its
 * transactions and the block is small ({@link WHOLE_BLOCK_BYTES}). `Missing` is answered with `bt`
 * (the transactions at those places, in order), `Full` with the whole block by `nb`; `Accepted`
 * and `Rejected` end it (`unknown-parent`: the neighbour syncs from this peer). One exchange at a
 * time per neighbour, so a block's child never overtakes it; a neighbour on 1.1 gets `nb` as before.
 */
export class CompactSender {
  readonly #ctx: SenderContext;
  readonly #shortId: ShortId;
  readonly #holds: (address: string, txId: string) => boolean;
  readonly #forms = new BoundedMap<string, CompactForm>(FORMS_KEPT);
  /** Per neighbour with an exchange in flight, the blocks waiting behind it. */
  readonly #lanes = new Map<string, { link: CompactLink; block: Block }[]>();

  constructor(ctx: SenderContext) {
    this.#ctx = ctx;
    this.#shortId = ctx.shortId ?? shortTxId;
    this.#holds = ctx.holds ?? (() => true);
  }

  /** Send `block` to `link` once the exchange in flight with it, if any, is over. */
  send(link: CompactLink, block: Block): void {
    const queued = this.#lanes.get(link.address);
    if (queued) {
      queued.push({ link, block });
      if (queued.length > QUEUED_PER_NEIGHBOUR) queued.shift();
      return;
    }
    this.#lanes.set(link.address, []);
    void this.#run(link, block);
  }

  /** Neighbours with an exchange in flight. */
  get busy(): number {
    return this.#lanes.size;
  }

  async #run(link: CompactLink, block: Block): Promise<void> {
    let next: { link: CompactLink; block: Block } | undefined = { link, block };
    while (next) {
      // A neighbour that fails to answer is synced by the heartbeat.
      await this.#exchange(next.link, next.block).catch(() => undefined);
      next = this.#lanes.get(link.address)?.shift();
    }
    this.#lanes.delete(link.address);
  }

  async #exchange(link: CompactLink, block: Block): Promise<void> {
    if (link.state !== 'open') return;
    const form = link.version === '1.2' ? this.#form(block) : null;
    if (!form || this.#sendWhole(link.address, form, block)) return this.#full(link, block);
    const reply = await link.client.request('cb', { header: form.header, short: form.short });
    if (reply.status === 'Full') return this.#full(link, block);
    if (reply.status !== 'Missing') return;
    const n = block.transactions.length;
    if (reply.missing.some((place) => place >= n)) return this.#full(link, block); // not a place of this block
    const txs = reply.missing.map((place) => block.transactions[place] as Block['transactions'][number]);
    const completed: CompactReply = await link.client.request('bt', { hash: block.currentHash, txs });
    if (completed.status === 'Full' || completed.status === 'Missing') return this.#full(link, block);
  }

  async #full(link: CompactLink, block: Block): Promise<void> {
    await link.client.request('nb', { block });
  }

  /**
   * True when the neighbour would answer `cb` with `Missing` (it is not known to hold every
   * transaction) and the block is small enough ({@link WHOLE_BLOCK_BYTES}) to send whole instead.
   */
  #sendWhole(address: string, form: CompactForm, block: Block): boolean {
    if (form.txIds.every((id) => this.#holds(address, id))) return false;
    form.nbBytes ??= nbBytesWithin(block, WHOLE_BLOCK_BYTES);
    return form.nbBytes <= WHOLE_BLOCK_BYTES;
  }

  /** The header and short ids of a block, computed once; null for a block that is not one (then `nb`). */
  #form(block: Block): CompactForm | null {
    const kept = this.#forms.get(block.currentHash);
    if (kept) return kept;
    const { params, genesisHash } = this.#ctx;
    // The chain's blocks carry their identity already: no transaction is hashed again here.
    const id = identifyBlock(block, params, genesisHash);
    if (!id.ok) return null;
    const form: CompactForm = {
      header: headerOf(id.block, id.txIds, params.txFormat),
      short: id.txIds.map((txId) => this.#shortId(id.hash, txId)),
      txIds: id.txIds,
    };
    this.#forms.set(id.hash, form);
    return form;
  }
}
