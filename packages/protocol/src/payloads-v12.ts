/** Typed request and reply payloads of the opcodes added by version 1.2. */
import type { Block, BlockHeader, Transaction } from '@chain/core';
import type { RejectReason } from './codes';

/**
 * A block without its transactions, as `cb` and `gh` carry it: @chain/core's header (every field
 * of the block, the root of its transactions' leaves and their number).
 */
export type { BlockHeader };

/** `vs` request: the highest version the client speaks; reply: the highest both speak. */
export interface VsPayload {
  readonly version: string;
}

/** `hi` request: a heartbeat (the network and the requester's listen address, as in `hb`). */
export interface HiRequest {
  readonly genesis: string;
  readonly listen: string | null;
}

/** `hi` reply: the server's tip and the ids of pool transactions the requester is not known to have. */
export interface HiReply {
  readonly height: number;
  readonly hash: string;
  readonly pool: readonly string[];
}

/** `ia` request: transaction ids the sender has and the receiver is not known to have. */
export interface IaRequest {
  readonly ids: readonly string[];
}

/** `ia` reply: the places in `ids` of the transactions the receiver wants sent (`tb`), ascending. */
export interface IaReply {
  readonly want: readonly number[];
}

/** `tb` request: transaction bodies, usually those an `ia` reply wanted. */
export interface TbRequest {
  readonly txs: readonly Transaction[];
}

/** `tb` reply, once the admitted ones are durable: how many were admitted, and why the others were not. */
export interface TbReply {
  readonly accepted: number;
  readonly rejected: readonly { readonly index: number; readonly reason: RejectReason }[];
}

/** `gt` request: transactions by id. */
export interface GtRequest {
  readonly ids: readonly string[];
}

/** `gt` reply: those of the asked transactions the server has, in the order asked. */
export interface GtReply {
  readonly txs: readonly Transaction[];
}

/** `cb` request: a block as its header and the short ids of its transactions, in block order. */
export interface CbRequest {
  readonly header: BlockHeader;
  readonly short: readonly string[];
}

/** `bt` request: the transactions a `cb` reply said were missing, in the order of `missing`. */
export interface BtRequest {
  readonly hash: string;
  readonly txs: readonly Transaction[];
}

/**
 * `cb` and `bt` reply: `Accepted` (valid and durable, or known), `Rejected` with the reason,
 * `Missing` (send these places with `bt`), or `Full` (send the whole block with `nb`).
 */
export type CompactReply =
  | { readonly status: 'Accepted' }
  | { readonly status: 'Rejected'; readonly reason: RejectReason }
  | { readonly status: 'Missing'; readonly missing: readonly number[] }
  | { readonly status: 'Full' };

/** `gh` request: headers of the best chain after the first locator hash on it, `limit` at most. */
export interface GhRequest {
  readonly locator: readonly string[];
  readonly limit: number;
}

/** `gh` reply: the server's height and the headers, in chain order. */
export interface GhReply {
  readonly height: number;
  readonly headers: readonly BlockHeader[];
}

/** `gb` request: blocks by hash. */
export interface GbRequest {
  readonly hashes: readonly string[];
}

/** `gb` reply: the asked blocks the server has, in the order asked, as many as fit in a frame. */
export interface GbReply {
  readonly blocks: readonly Block[];
}
