import type { SignedTransaction, Transaction } from '../types';
import { BoundedMap } from '../primitives/bounded-map';

/**
 * Transactions whose signature passed verification here recently: the signature verified for
 * each id (bounded; the oldest go first). A signature's validity depends only on the id (which
 * commits to sender, content and timestamp) and the signature, so the verdict is reused: a
 * transaction that arrives by gossip while the block holding it is being stored, or a block on a
 * side branch holding pool transactions that a block on the best chain took out, costs no second
 * verification. One signature an id: another one verified for the same id takes its place.
 */
export class VerifiedTransactions {
  readonly #byId: BoundedMap<string, string>;

  constructor(cap: number) {
    this.#byId = new BoundedMap(cap);
  }

  has(id: string, tx: Transaction): boolean {
    const sig = (tx as SignedTransaction).signature;
    return typeof sig === 'string' && this.#byId.get(id) === sig;
  }

  note(id: string, tx: Transaction): void {
    const sig = (tx as SignedTransaction).signature;
    if (typeof sig === 'string') this.#byId.renew(id, sig);
  }
}
