import { createClassicTransaction, signTransaction, type Ed25519, type Transaction, type TxFormat } from '@chain/core';
import type { Random } from './random';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Transactions of simulated users: unique contents (a counter) padded to a chosen length, from a
 * set of senders, stamped with the virtual clock. Signed ones are signed by the sender's key
 * (keys drawn from the simulation's generator, so the run stays reproducible).
 */
export class TxFactory {
  readonly #format: TxFormat;
  readonly #genesisHash: string;
  readonly #rng: Random;
  readonly #ed: Ed25519;
  readonly #contentBytes: number;
  readonly #senders: string[] = [];
  readonly #keys: Uint8Array[] = [];
  #count = 0;

  constructor(o: { format: TxFormat; genesisHash: string; rng: Random; ed25519: Ed25519; contentBytes?: number; senders?: number }) {
    this.#format = o.format;
    this.#genesisHash = o.genesisHash;
    this.#rng = o.rng;
    this.#ed = o.ed25519;
    this.#contentBytes = o.contentBytes ?? 32;
    if (!Number.isInteger(this.#contentBytes) || this.#contentBytes < 12 || this.#contentBytes > 70)
      throw new RangeError(`transaction content must be 12 to 70 characters, got ${o.contentBytes}`);
    const senders = o.senders ?? 64;
    for (let i = 0; i < senders; i++) {
      if (this.#format === 'classic') {
        let name = '';
        for (let j = 0; j < 4; j++) name += LETTERS[this.#rng.int(26)];
        this.#senders.push(`${name}${String(this.#rng.int(10000)).padStart(4, '0')}`);
      } else {
        const seed = new Uint8Array(32);
        for (let j = 0; j < 32; j++) seed[j] = this.#rng.int(256);
        this.#keys.push(seed);
      }
    }
  }

  /** Transactions made so far. */
  get count(): number {
    return this.#count;
  }

  /** A new transaction stamped `now`; `label` marks its content (e.g. who made it). */
  make(now: number, label = 'tx'): Transaction {
    const n = this.#count++;
    const content = `${label} ${n} `.padEnd(this.#contentBytes, '.').slice(0, 70);
    if (this.#format === 'classic') return createClassicTransaction(this.#rng.pick(this.#senders), { content, timestamp: now });
    return signTransaction({
      genesisHash: this.#genesisHash,
      secretKey: this.#rng.pick(this.#keys),
      content,
      timestamp: now,
      ed25519: this.#ed,
    });
  }
}
