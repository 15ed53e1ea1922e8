import type { SignedTransaction, Transaction } from '../types';
import { hexBytesInto } from './hash-slots';
import { IdFifo } from './id-fifo';

const SIGNATURE_BYTES = 64;

/**
 * Transactions whose signature passed verification here recently: the signature verified for
 * each id (bounded; the oldest go first). A signature's validity depends only on the id (which
 * commits to sender, content and timestamp) and the signature, so the verdict is reused: a
 * transaction that arrives by gossip while the block holding it is being stored, or a block on a
 * side branch holding pool transactions that a block on the best chain took out, costs no second
 * verification. One signature an id: another one verified for the same id takes its place (and
 * the id becomes the newest). Id and signature are kept as 96 raw bytes.
 */
export class VerifiedTransactions {
  readonly #byId: IdFifo;
  readonly #sig = new Uint8Array(SIGNATURE_BYTES);

  constructor(cap: number) {
    this.#byId = new IdFifo(cap, SIGNATURE_BYTES);
  }

  get size(): number {
    return this.#byId.size;
  }

  has(id: string, tx: Transaction): boolean {
    const sig = (tx as SignedTransaction).signature;
    if (!hexBytesInto(sig, this.#sig, 0, SIGNATURE_BYTES)) return false;
    const pos = this.#byId.find(id);
    if (pos < 0) return false;
    const chunk = this.#byId.chunk(pos);
    const at = this.#byId.extraAt(pos);
    for (let i = 0; i < SIGNATURE_BYTES; i++) if (chunk[at + i] !== this.#sig[i]) return false;
    return true;
  }

  note(id: string, tx: Transaction): void {
    const sig = (tx as SignedTransaction).signature;
    if (!hexBytesInto(sig, this.#sig, 0, SIGNATURE_BYTES)) return;
    const pos = this.#byId.push(id);
    if (pos >= 0) this.#byId.chunk(pos).set(this.#sig, this.#byId.extraAt(pos));
  }
}
