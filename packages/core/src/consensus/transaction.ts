import type { ClassicTransaction, SignedTransaction, Transaction, TxFormat } from '../types';
import { fail, type Verdict } from '../errors';
import { describe, hasExactKeys, isPlainObject, assertSafeInteger, assertString } from '../primitives/checks';
import { hexToBytes, isHex128, isHex64 } from '../primitives/encoding';
import { nobleEd25519, type Ed25519 } from '../crypto/ed25519';
import { txId } from './hashing';

/** How far ahead of a clock a timestamp may be (docs/spec.md §2, §3). */
export const MAX_FUTURE_MS = 120_000;
export const MAX_CONTENT_LENGTH = 70;

const CLASSIC_SENDER = /^[a-zA-Z]{4}[0-9]{4}$/;
const SIGNED_KEYS = ['sender', 'content', 'timestamp', 'signature'] as const;
const CLASSIC_KEYS = ['sender', 'content', 'timestamp'] as const;

/** A transaction that passed the format rules, with its id. */
export type TxCheck =
  | { readonly ok: true; readonly tx: Transaction; readonly id: string }
  | { readonly ok: false; readonly reason: ReturnType<typeof fail>['reason']; readonly message: string };

/** Whether `content` obeys docs/spec.md §2: 1–70 printable ASCII characters, no `|`. */
export function isValidContent(content: string): boolean {
  if (content.length < 1 || content.length > MAX_CONTENT_LENGTH) return false;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x7c) return false;
  }
  return true;
}

/** Whether `sender` is valid for the format. */
export function isValidSender(format: TxFormat, sender: string): boolean {
  return format === 'signed' ? isHex64(sender) : CLASSIC_SENDER.test(sender);
}

/**
 * The format rules of docs/spec.md §2 without the signature: exact fields and types
 * (`malformed`), sender (`bad-sender`), content (`bad-content`), signature
 * encoding (`bad-signature`). Returns the transaction's id on success.
 */
export function checkTxFormat(format: TxFormat, genesisHash: string, input: unknown): TxCheck {
  // A copy this function made (frozen, plain data) passes again, with the same id.
  if (typeof input === 'object' && input !== null) {
    const seen = passed.get(input);
    if (seen !== undefined && seen.format === format && seen.genesisHash === genesisHash) return seen.check;
  }
  if (!isPlainObject(input)) return fail('malformed', `a transaction must be a JSON object, got ${describe(input)}`);
  const keys = format === 'signed' ? SIGNED_KEYS : CLASSIC_KEYS;
  if (!hasExactKeys(input, keys)) {
    return fail(
      'malformed',
      `a ${format} transaction has exactly the fields ${keys.join(', ')}; got ${Object.keys(input).join(', ') || 'none'}`,
    );
  }
  const { sender, content, timestamp } = input;
  if (typeof sender !== 'string') return fail('malformed', `transaction field "sender" must be a string, got ${describe(sender)}`);
  if (typeof content !== 'string') return fail('malformed', `transaction field "content" must be a string, got ${describe(content)}`);
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    return fail('malformed', `transaction field "timestamp" must be a non-negative integer (ms), got ${describe(timestamp)}`);
  }
  if (format === 'signed' && typeof input.signature !== 'string') {
    return fail('malformed', `transaction field "signature" must be a string, got ${describe(input.signature)}`);
  }
  if (!isValidSender(format, sender)) {
    return fail(
      'bad-sender',
      format === 'signed'
        ? `sender must be a 64-character lowercase hex Ed25519 public key, got ${describe(sender)}`
        : `sender must match [a-zA-Z]{4}[0-9]{4}, got ${describe(sender)}`,
    );
  }
  if (!isValidContent(content)) {
    return fail(
      'bad-content',
      `content must be 1-${MAX_CONTENT_LENGTH} printable ASCII characters other than "|", got ${describe(content)}`,
    );
  }
  let tx: Transaction;
  if (format === 'signed') {
    const signature = input.signature as string;
    if (!isHex128(signature)) return fail('bad-signature', 'signature must be 128 lowercase hex characters');
    tx = Object.freeze({ sender, content, timestamp, signature });
  } else {
    tx = Object.freeze({ sender, content, timestamp });
  }
  const check: TxCheck = Object.freeze({ ok: true, tx, id: txId(genesisHash, tx) });
  passed.set(tx, { format, genesisHash, check });
  return check;
}

/**
 * The copies {@link checkTxFormat} returned, with their check: frozen plain data, so a transaction
 * handed on (kept in a pool, relayed, put in a block, given to another peer in the same process) is
 * checked and hashed once for each network. Weak: forgotten with the object.
 */
const passed = new WeakMap<object, { readonly format: TxFormat; readonly genesisHash: string; readonly check: TxCheck }>();

/** Whether a signed transaction's signature verifies against its id. */
export function verifyTxSignature(tx: SignedTransaction, id: string, ed: Ed25519 = nobleEd25519): boolean {
  return ed.verify(hexToBytes(tx.signature), hexToBytes(id), hexToBytes(tx.sender));
}

/** Fields an author chooses. */
export interface TxDraft {
  readonly content: string;
  readonly timestamp: number;
}

/** Create a `classic` transaction (no signature). Throws on bad arguments. */
export function createClassicTransaction(sender: string, draft: TxDraft): ClassicTransaction {
  assertString('sender', sender);
  if (!CLASSIC_SENDER.test(sender)) throw new RangeError(`sender must match [a-zA-Z]{4}[0-9]{4}, got ${describe(sender)}`);
  checkDraft(draft);
  return { sender, content: draft.content, timestamp: draft.timestamp };
}

/** Throws a TypeError/RangeError naming the field unless `content` and `timestamp` are valid. */
export function checkDraft(draft: TxDraft): void {
  assertString('content', draft.content);
  if (!isValidContent(draft.content)) {
    throw new RangeError(
      `content must be 1-${MAX_CONTENT_LENGTH} printable ASCII characters other than "|", got ${describe(draft.content)}`,
    );
  }
  assertSafeInteger('timestamp', draft.timestamp);
}

/** Whether a transaction timestamp fits the admission window at `now` (docs/spec.md §2). */
export function admissionWindow(timestamp: number, now: number, ttlMs: number): Verdict {
  if (timestamp <= now - ttlMs) return fail('stale', `transaction timestamp ${timestamp} is older than the ${ttlMs} ms validity window`);
  if (timestamp > now + MAX_FUTURE_MS)
    return fail('future', `transaction timestamp ${timestamp} is more than ${MAX_FUTURE_MS} ms ahead of this peer's clock`);
  return { ok: true };
}

/** Whether a transaction timestamp fits inside a block with `blockTimestamp` (docs/spec.md §2). */
export function blockWindow(timestamp: number, blockTimestamp: number, ttlMs: number): boolean {
  return blockTimestamp - ttlMs < timestamp && timestamp <= blockTimestamp;
}
