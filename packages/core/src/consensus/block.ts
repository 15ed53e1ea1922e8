import type { Block, NetworkParams, SignedTransaction, Transaction } from '../types';
import { OK, fail, type Verdict } from '../errors';
import { describe, hasExactKeys, isPlainObject } from '../primitives/checks';
import { isHex64 } from '../primitives/encoding';
import { nobleEd25519, type Ed25519 } from '../crypto/ed25519';
import { blockHash, templateHash, txLeaf, txRootOfLeaves } from './hashing';
import { hashMeetsTarget, meetsDifficulty, powHash, targetToHex } from './pow';
import { MAX_FUTURE_MS, blockWindow, checkTxFormat, verifyTxSignature } from './transaction';

const BLOCK_KEYS = ['index', 'timestamp', 'transactions', 'proof', 'previousHash', 'currentHash'] as const;

/** What a block is checked against: its parent's header fields (a {@link BlockMeta} fits). */
export interface ParentInfo {
  readonly hash: string;
  readonly index: number;
  readonly timestamp: number;
  readonly proof: number;
}

/**
 * The block a miner works on: every field of the block but its proof and the hash that follows
 * from it, with what the proof is searched from.
 */
export interface BlockTemplate extends Omit<Block, 'proof' | 'currentHash'> {
  readonly previousProof: number;
  readonly txIds: readonly string[];
  readonly txRoot: string;
  readonly templateHash: string;
}

/** Build the template of the block after `parent` holding `txs` (ids in the same order). */
export function createTemplate(
  parent: ParentInfo,
  txs: readonly Transaction[],
  txIds: readonly string[],
  timestamp: number,
  format: NetworkParams['txFormat'],
): BlockTemplate {
  const root = txRootOfLeaves(txs.map((tx, i) => txLeaf(format, txIds[i] as string, tx)));
  const index = parent.index + 1;
  return Object.freeze({
    index,
    timestamp,
    previousHash: parent.hash,
    previousProof: parent.proof,
    transactions: txs,
    txIds,
    txRoot: root,
    templateHash: templateHash(index, timestamp, parent.hash, root),
  });
}

/** The block of a template with a proof. Does not check the proof. */
export function sealBlock(t: BlockTemplate, proof: number): Block {
  return {
    index: t.index,
    timestamp: t.timestamp,
    transactions: t.transactions,
    proof,
    previousHash: t.previousHash,
    currentHash: blockHash(t.index, t.timestamp, t.previousHash, t.txRoot, proof),
  };
}

/**
 * The exact fields and JSON types of a block (`malformed` otherwise). The
 * transactions themselves are checked by {@link validateBlock}.
 */
export function checkBlockFormat(input: unknown): { ok: true; block: Block } | ReturnType<typeof fail> {
  if (!isPlainObject(input)) return fail('malformed', `a block must be a JSON object, got ${describe(input)}`);
  if (!hasExactKeys(input, BLOCK_KEYS)) {
    return fail('malformed', `a block has exactly the fields ${BLOCK_KEYS.join(', ')}; got ${Object.keys(input).join(', ') || 'none'}`);
  }
  const { index, timestamp, transactions, proof, previousHash, currentHash } = input;
  for (const [name, v] of [
    ['index', index],
    ['timestamp', timestamp],
    ['proof', proof],
  ] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      return fail('malformed', `block field "${name}" must be an integer from 0 to 2^53-1, got ${describe(v)}`);
    }
  }
  if (!Array.isArray(transactions)) return fail('malformed', `block field "transactions" must be an array, got ${describe(transactions)}`);
  if (!isHex64(previousHash))
    return fail('malformed', `block field "previousHash" must be 64 lowercase hex characters, got ${describe(previousHash)}`);
  if (!isHex64(currentHash))
    return fail('malformed', `block field "currentHash" must be 64 lowercase hex characters, got ${describe(currentHash)}`);
  return {
    ok: true,
    block: { index: index as number, timestamp: timestamp as number, transactions, proof: proof as number, previousHash, currentHash },
  };
}

/** What block validation needs besides the block and its parent. */
export interface BlockContext {
  readonly params: NetworkParams;
  readonly genesisHash: string;
  /** The receiver's clock (ms). */
  readonly now: number;
  /** Whether a transaction id is already in an ancestor of the block (the parent's chain). */
  readonly inAncestors: (id: string) => boolean;
  /** Whether this exact transaction (id and signature) was already verified, e.g. in the pool. */
  readonly alreadyVerified?: (id: string, tx: Transaction) => boolean;
  /** Told of each transaction whose signature was verified here (e.g. to remember it). */
  readonly onVerified?: (id: string, tx: Transaction) => void;
  readonly ed25519?: Ed25519;
  /**
   * On a retargeting network (docs/spec.md §9), what the parent's chain requires of the block.
   * Without it, a retargeting network's block is checked against the limit (its `difficulty`)
   * alone, which every valid block meets: a check that refuses nothing valid, not the whole rule.
   */
  readonly retarget?: RetargetFacts;
}

/** What a block on a retargeting network must meet, from its parent's chain (docs/spec.md §9.3, §9.5). */
export interface RetargetFacts {
  /** The block's target: its proof-of-work hash, read as a number, must be at most this. */
  readonly target: bigint;
  /** The median time past of the parent: the block's timestamp must be greater. */
  readonly medianTimePast: number;
}

/** A valid block with the ids of its transactions (block order). */
export type BlockCheck = { readonly ok: true; readonly block: Block; readonly txIds: readonly string[] } | ReturnType<typeof fail>;

/**
 * A block whose identity is established (docs/spec.md §7): its fields and transactions
 * are well formed and `hash`, computed from them, equals its `currentHash`.
 * Nothing else about it is known yet.
 */
export interface IdentifiedBlock {
  readonly block: Block;
  /** The computed `currentHash` (equal to `block.currentHash`). */
  readonly hash: string;
  readonly txIds: readonly string[];
  readonly templateHash: string;
}

export type BlockIdentity = ({ readonly ok: true } & IdentifiedBlock) | ReturnType<typeof fail>;

/**
 * Establish a block's identity from its own fields (docs/spec.md §3, §7): the exact
 * format, well-formed transactions (so that their ids and leaves exist), and
 * `currentHash` computed from the contents. A claimed `currentHash` that
 * differs is `bad-hash`. A refusal here says nothing about any block that
 * really has the claimed hash, so callers must not remember it against that hash.
 */
export function identifyBlock(input: unknown, params: NetworkParams, genesisHash: string): BlockIdentity {
  // A block this function returned (frozen, plain data) has the same identity again.
  if (typeof input === 'object' && input !== null) {
    const seen = identified.get(input);
    if (seen !== undefined && seen.params === params && seen.genesisHash === genesisHash) return seen.identity;
  }
  const shaped = checkBlockFormat(input);
  if (!shaped.ok) return shaped;
  const b = shaped.block;
  if (b.transactions.length === 0) return fail('empty-block', 'a block must hold at least one transaction');
  if (b.transactions.length > params.maxTxPerBlock) {
    return fail('too-many-transactions', `block holds ${b.transactions.length} transactions, the network allows ${params.maxTxPerBlock}`);
  }
  const txs: Transaction[] = [];
  const ids: string[] = [];
  const leaves: string[] = [];
  for (let i = 0; i < b.transactions.length; i++) {
    const checked = checkTxFormat(params.txFormat, genesisHash, b.transactions[i]);
    if (!checked.ok) return fail('bad-transactions', `transaction ${i}: ${checked.reason}: ${checked.message}`);
    txs.push(checked.tx);
    ids.push(checked.id);
    leaves.push(txLeaf(params.txFormat, checked.id, checked.tx));
  }
  const root = txRootOfLeaves(leaves);
  const hash = blockHash(b.index, b.timestamp, b.previousHash, root, b.proof);
  if (b.currentHash !== hash)
    return fail('bad-hash', `currentHash ${b.currentHash} does not match the block's contents, which hash to ${hash}`);
  const block: Block = Object.freeze({ ...b, transactions: Object.freeze(txs) as Transaction[] });
  const identity: BlockIdentity = Object.freeze({
    ok: true,
    block,
    hash,
    txIds: Object.freeze(ids),
    templateHash: templateHash(b.index, b.timestamp, b.previousHash, root),
  });
  identified.set(block, { params, genesisHash, identity });
  return identity;
}

/**
 * The blocks {@link identifyBlock} returned, with their identity: frozen plain data (their
 * transactions too), so a block handed on (stored, relayed, given to another peer in the same
 * process) is hashed once for each network. Weak: forgotten with the block.
 */
const identified = new WeakMap<
  object,
  { readonly params: NetworkParams; readonly genesisHash: string; readonly identity: BlockIdentity }
>();

/**
 * Validate a block against its parent (docs/spec.md §3). Its identity comes first
 * ({@link identifyBlock}), then the header ({@link checkHeader}: the proof of
 * work before anything that reads other blocks), then the transactions, with
 * signatures last: a block with a bad proof costs one hash, not 500 signature
 * verifications or a walk through its ancestors.
 */
export function validateBlock(input: unknown, parent: ParentInfo, ctx: BlockContext): BlockCheck {
  const identified = identifyBlock(input, ctx.params, ctx.genesisHash);
  if (!identified.ok) return identified;
  return validateIdentifiedBlock(identified, parent, ctx);
}

/**
 * The rules of docs/spec.md §3 for a block whose identity is established: its header,
 * then its transactions. Every refusal but `future` holds for ever for this hash.
 */
export function validateIdentifiedBlock(identified: IdentifiedBlock, parent: ParentInfo, ctx: BlockContext): BlockCheck {
  const header = checkHeader(identified, parent, ctx);
  return header.ok ? checkBody(identified, ctx) : header;
}

/** What the header rules read of a block whose hash is established: its header fields and template hash. */
export interface HeaderFacts {
  readonly block: Pick<Block, 'index' | 'timestamp' | 'previousHash' | 'proof'>;
  readonly templateHash: string;
}

/** What checking a header needs: the network and the receiver's clock, and on a retargeting network its facts. */
export type HeaderContext = Pick<BlockContext, 'params' | 'now' | 'retarget'>;

/**
 * The cheap rules, that need nothing but the parent's header (and on a retargeting network the
 * facts of its chain): index, parent hash, proof of work, then timestamps (the parent's, the
 * median time past, the clock's).
 */
export function checkHeader(identified: HeaderFacts, parent: ParentInfo, ctx: HeaderContext): Verdict {
  const b = identified.block;
  const p = ctx.params;
  if (b.index !== parent.index + 1) return fail('bad-index', `block index ${b.index} does not follow its parent's ${parent.index}`);
  if (b.previousHash !== parent.hash)
    return fail('bad-previous-hash', `previousHash ${b.previousHash} is not the parent's hash ${parent.hash}`);
  const h = powHash({ rule: p.pow, templateHash: identified.templateHash, proof: b.proof, previousProof: parent.proof });
  if (!meetsDifficulty(h, p.difficulty)) return fail('bad-pow', `proof ${b.proof} gives ${h}, which lacks ${p.difficulty} leading zeros`);
  const r = ctx.retarget;
  if (r !== undefined && !hashMeetsTarget(h, r.target))
    return fail('bad-pow', `proof ${b.proof} gives ${h}, above the block's target ${targetToHex(r.target)}`);
  if (b.timestamp < parent.timestamp)
    return fail('bad-timestamp', `block timestamp ${b.timestamp} is before its parent's ${parent.timestamp}`);
  if (r !== undefined && b.timestamp <= r.medianTimePast)
    return fail('bad-timestamp', `block timestamp ${b.timestamp} is not after the median time past ${r.medianTimePast} of its parent`);
  if (b.timestamp > ctx.now + MAX_FUTURE_MS)
    return fail('future', `block timestamp ${b.timestamp} is more than ${MAX_FUTURE_MS} ms ahead of this peer's clock`);
  return OK;
}

/**
 * The rules on a block's transactions (its header already checked): each
 * within the block's window, once in the block, in no ancestor, and, last, its signature.
 */
export function checkBody(identified: IdentifiedBlock, ctx: BlockContext): BlockCheck {
  const b = identified.block;
  const p = ctx.params;
  const ids = identified.txIds;
  const seen = new Set<string>();
  for (let i = 0; i < b.transactions.length; i++) {
    const tx = b.transactions[i] as Transaction;
    const id = ids[i] as string;
    if (!blockWindow(tx.timestamp, b.timestamp, p.txTtlMs)) {
      return fail(
        'bad-transactions',
        `transaction ${i} (${id}): timestamp ${tx.timestamp} is outside (${b.timestamp - p.txTtlMs}, ${b.timestamp}]`,
      );
    }
    if (seen.has(id)) return fail('bad-transactions', `transaction ${i} (${id}) appears twice in the block`);
    if (ctx.inAncestors(id)) return fail('bad-transactions', `transaction ${i} (${id}) is already in the chain`);
    seen.add(id);
  }
  if (p.txFormat === 'signed') {
    const ed = ctx.ed25519 ?? nobleEd25519;
    for (let i = 0; i < b.transactions.length; i++) {
      const tx = b.transactions[i] as SignedTransaction;
      const id = ids[i] as string;
      if (ctx.alreadyVerified?.(id, tx)) continue;
      if (!verifyTxSignature(tx, id, ed)) return fail('bad-transactions', `transaction ${i} (${id}): signature does not verify`);
      ctx.onVerified?.(id, tx);
    }
  }
  return { ok: true, block: b, txIds: ids };
}
