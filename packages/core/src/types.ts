import type { PowRule } from './consensus/pow';

/** Proof-of-work rule (docs/spec.md §4), defined with the rest of proof of work. */
export type { PowRule };
/** Transaction format (docs/spec.md §2). */
export type TxFormat = 'signed' | 'classic';

/** Network parameters (docs/spec.md §1). Peers with different parameters never mix. */
export interface NetworkParams {
  readonly name: string;
  readonly genesisTime: number;
  readonly difficulty: number;
  readonly pow: PowRule;
  readonly txFormat: TxFormat;
  readonly maxTxPerBlock: number;
  readonly txTtlMs: number;
  /** Present only on a retargeting network (docs/spec.md §9); absent, the difficulty is fixed. */
  readonly retarget?: RetargetParams;
}

/** How a retargeting network moves its target (docs/spec.md §9.1). */
export interface RetargetParams {
  /** The block interval the target steers towards (ms). */
  readonly targetBlockMs: number;
  /** Blocks a half-life behind (ahead of) the schedule double (halve) the target (ms). */
  readonly halfLifeMs: number;
  /** The target of blocks 2 and 3, 64 lowercase hex digits, at most the difficulty's. */
  readonly initialTarget: string;
}

/** A `classic` transaction: sender is `^[a-zA-Z]{4}[0-9]{4}$`. */
export interface ClassicTransaction {
  readonly sender: string;
  readonly content: string;
  readonly timestamp: number;
}

/** A `signed` transaction: sender is a 64-hex Ed25519 public key, signature 128 hex. */
export interface SignedTransaction extends ClassicTransaction {
  readonly signature: string;
}

/** A transaction of either format, as it travels on the wire and sits in blocks. */
export type Transaction = ClassicTransaction | SignedTransaction;

/** A block as it travels on the wire and is stored (docs/spec.md §3). */
export interface Block {
  readonly index: number;
  readonly timestamp: number;
  readonly transactions: readonly Transaction[];
  readonly proof: number;
  readonly previousHash: string;
  readonly currentHash: string;
}

/** Reasons a transaction or block is refused (docs/spec.md §5). */
export const REASONS = [
  'malformed',
  'bad-sender',
  'bad-content',
  'bad-signature',
  'stale',
  'future',
  'duplicate',
  'pool-full',
  'bad-index',
  'bad-previous-hash',
  'bad-timestamp',
  'bad-transactions',
  'too-many-transactions',
  'empty-block',
  'bad-pow',
  'bad-hash',
  'unknown-parent',
] as const;

/** One of the specification's rejection reasons. */
export type Reason = (typeof REASONS)[number];
