import type { NetworkParams, SignedTransaction } from '../types';
import { describe } from '../primitives/checks';
import { bytesToHex, hexToBytes, isHex64 } from '../primitives/encoding';
import { nobleEd25519, type Ed25519 } from '../crypto/ed25519';
import { assertSecretKey } from '../crypto/keys';
import { createGenesis, networkHash, PRESETS } from './network';
import { txId } from './hashing';
import { checkDraft } from './transaction';

/**
 * The hash every transaction id of a network commits to (docs/spec.md §2): the `currentHash` of its
 * genesis block. Not {@link networkHash}, which is the genesis block's `previousHash`.
 */
export function genesisHash(params: NetworkParams): string {
  return createGenesis(params).currentHash;
}

/** What {@link signTransaction} signs: the network (by genesis hash or parameters), the key and the fields. */
export interface SignTransactionOptions {
  /** The network's genesis hash ({@link genesisHash}, `ChainState.genesisHash`); give this or `params`. */
  readonly genesisHash?: string;
  /** The network's parameters; give this or `genesisHash`. */
  readonly params?: NetworkParams;
  /** The author's 32-byte Ed25519 secret seed ({@link createKeyPair}, {@link randomSecretSeed}). */
  readonly secretKey: Uint8Array;
  /** The expected `sender`: when given, it must be the public key of `secretKey`. */
  readonly sender?: string;
  /** 1–70 printable ASCII characters other than `|`. */
  readonly content: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** Ed25519 implementation; `nodeEd25519` from `@chain/core/node` is faster on Node. */
  readonly ed25519?: Ed25519;
}

function genesisOf(opts: SignTransactionOptions): string {
  if (opts.genesisHash !== undefined && opts.params !== undefined) {
    throw new TypeError('signTransaction: give genesisHash or params, not both');
  }
  if (opts.params !== undefined) return genesisHash(opts.params);
  if (opts.genesisHash === undefined) throw new TypeError('signTransaction: genesisHash or params is required');
  if (!isHex64(opts.genesisHash)) {
    throw new TypeError(`genesisHash: expected 64 lowercase hex characters, got ${describe(opts.genesisHash)}`);
  }
  return opts.genesisHash;
}

/**
 * Create and sign a `signed` transaction (docs/spec.md §2): its id commits to the network's
 * genesis hash, so it is valid on that network only. Throws a TypeError/RangeError naming the
 * offending field on bad arguments.
 */
export function signTransaction(opts: SignTransactionOptions): SignedTransaction {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('signTransaction: expected an options object');
  const genesis = genesisOf(opts);
  checkDraft(opts);
  const ed = opts.ed25519 ?? nobleEd25519;
  const secretKey = assertSecretKey(opts.secretKey);
  const sender = bytesToHex(ed.publicKey(secretKey));
  if (opts.sender !== undefined && opts.sender !== sender) {
    throw new RangeError(`sender: ${describe(opts.sender)} is not the public key of secretKey (${sender})`);
  }
  const unsigned = { sender, content: opts.content, timestamp: opts.timestamp };
  const signature = bytesToHex(ed.sign(hexToBytes(txId(genesis, unsigned)), secretKey));
  return { ...unsigned, signature };
}

const presetGenesis = new Map<string, string>();

function presetGenesisHash(name: keyof typeof PRESETS): string {
  let hash = presetGenesis.get(name);
  if (hash === undefined) presetGenesis.set(name, (hash = genesisHash(PRESETS[name])));
  return hash;
}

/**
 * The message of a `bad-signature` refusal on the network `params`: when the signature verifies
 * for another hash the author may have meant (this network's `networkHash`, a preset's genesis
 * hash), it says which. Only computed on refusal.
 */
export function badSignatureMessage(tx: SignedTransaction, id: string, params: NetworkParams, ed: Ed25519 = nobleEd25519): string {
  const base = plainMessage(id);
  const verifiesFor = (hash: string): boolean => ed.verify(hexToBytes(tx.signature), hexToBytes(txId(hash, tx)), hexToBytes(tx.sender));
  if (verifiesFor(networkHash(params))) {
    return `${base}: it was signed for the network hash; sign for the genesis hash (genesisHash(params)) instead`;
  }
  const own = genesisHash(params);
  for (const name of Object.keys(PRESETS) as (keyof typeof PRESETS)[]) {
    const hash = presetGenesisHash(name);
    if (hash !== own && verifiesFor(hash)) return `${base}: it was signed for the genesis hash of the "${name}" network`;
  }
  return base;
}

function plainMessage(id: string): string {
  return `signature of transaction ${id} does not verify`;
}

/**
 * {@link badSignatureMessage} for at most `perSecond` refusals in each second of `now`, the plain
 * message for the rest: a flood of bad signatures then costs one verification each.
 */
export class BadSignatureExplainer {
  #second = -1;
  #left = 0;

  constructor(readonly perSecond = 8) {}

  message(tx: SignedTransaction, id: string, params: NetworkParams, ed: Ed25519, now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.#second) [this.#second, this.#left] = [second, this.perSecond];
    if (this.#left === 0) return plainMessage(id);
    this.#left--;
    return badSignatureMessage(tx, id, params, ed);
  }
}
