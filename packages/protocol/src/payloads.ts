/**
 * Typed request and reply payloads for every opcode (docs/spec.md §5).
 *
 * Blocks and transactions are typed with @chain/core's types, but this package
 * only checks that they are plain JSON objects; their exact rules are checked
 * by @chain/core, which answers with a reason such as `malformed`.
 */
import type { Block, PowWork, Transaction } from '@chain/core';
import type { ErrorCode, RejectReason } from './codes';
import type { Opcode, RequestOpcode } from './opcodes';
import type {
  BtRequest,
  CbRequest,
  CompactReply,
  GbReply,
  GbRequest,
  GhReply,
  GhRequest,
  GtReply,
  GtRequest,
  HiReply,
  HiRequest,
  IaReply,
  IaRequest,
  TbReply,
  TbRequest,
  VsPayload,
} from './payloads-v12';

export type * from './payloads-v12';

/** `pb` request: the best chain from `from` (default 1), at most `limit` blocks. */
export interface PbRequest {
  readonly from?: number;
  readonly limit?: number;
}

/** `gp` request: long poll until the template differs from `known` or `wait` ms pass. */
export interface GpRequest {
  readonly wait?: number;
  readonly known?: string | null;
}

/** `up` request: a proof for the template `templateHash`. */
export interface UpRequest {
  readonly proof: number;
  readonly templateHash: string;
}

/** `hb` request: heartbeat and sync from the requester's block locator. */
export interface HbRequest {
  readonly genesis: string;
  readonly locator: readonly string[];
  readonly listen: string | null;
}

/** `nb` request: announce a block. */
export interface NbRequest {
  readonly block: Block;
}

/** Request payload per opcode; `undefined` means the frame carries no payload. */
export interface RequestPayloads {
  tx: Transaction;
  pb: PbRequest | undefined;
  cc: undefined;
  gp: GpRequest | undefined;
  up: UpRequest;
  hb: HbRequest;
  nb: NbRequest;
  vs: VsPayload;
  hi: HiRequest;
  ia: IaRequest;
  tb: TbRequest;
  gt: GtRequest;
  cb: CbRequest;
  bt: BtRequest;
  gh: GhRequest;
  gb: GbRequest;
}

/** `tx` reply. */
export type TxReply =
  | { readonly status: 'Accepted'; readonly id: string }
  | { readonly status: 'Rejected'; readonly reason: RejectReason; readonly message: string };

/** `pb` reply: blocks of the best chain; `height` is the server's tip index. */
export interface PbReply {
  readonly height: number;
  readonly blocks: readonly Block[];
}

/** `cc` reply, after which the server closes the connection. */
export interface CcReply {
  readonly status: 'Connection closed';
}

/** `gp` reply: the block a miner should work on (@chain/core's PowWork). */
export type GpReply = PowWork;

/** `up` reply. */
export type UpReply =
  { readonly status: 'Reward'; readonly block: Block } | { readonly status: 'No reward'; readonly reason: RejectReason };

/** `hb` reply: the server's tip, blocks after the locator match, and its pool. */
export interface HbReply {
  readonly height: number;
  readonly hash: string;
  readonly blocks: readonly Block[];
  readonly pool: readonly Transaction[];
}

/** `nb` reply. */
export type NbReply = { readonly status: 'Accepted' } | { readonly status: 'Rejected'; readonly reason: RejectReason };

/** `er` payload. */
export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Reply payload per opcode. */
export interface ReplyPayloads {
  tx: TxReply;
  pb: PbReply;
  cc: CcReply;
  gp: GpReply;
  up: UpReply;
  hb: HbReply;
  nb: NbReply;
  er: ErrorPayload;
  vs: VsPayload;
  hi: HiReply;
  ia: IaReply;
  tb: TbReply;
  gt: GtReply;
  cb: CompactReply;
  bt: CompactReply;
  gh: GhReply;
  gb: GbReply;
}

/** A decoded request: the opcode and its typed payload. */
export type RequestMessage<K extends RequestOpcode = RequestOpcode> = {
  [P in K]: { readonly op: P; readonly payload: RequestPayloads[P] };
}[K];

/** A decoded reply: the opcode (or `er`) and its typed payload. */
export type ReplyMessage<K extends Opcode = Opcode> = {
  [P in K]: { readonly op: P; readonly payload: ReplyPayloads[P] };
}[K];
