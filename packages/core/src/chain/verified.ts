import type { SignedTransaction, Transaction } from '../types';

/**
 * Transactions whose signature passed verification here recently, by
 * `id + signature` (bounded; the oldest go first). A signature's validity
 * depends only on the id (which commits to sender, content and timestamp) and
 * the signature, so the verdict is reused: a transaction that arrives by gossip
 * while the block holding it is being stored, or a block on a side branch
 * holding pool transactions that a block on the best chain took out, costs no
 * second verification.
 */
export class VerifiedTransactions {
  readonly #set = new Set<string>();
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  has(id: string, tx: Transaction): boolean {
    const sig = (tx as SignedTransaction).signature;
    return typeof sig === 'string' && this.#set.has(id + sig);
  }

  note(id: string, tx: Transaction): void {
    if (this.#set.size >= this.#cap) this.#set.delete(this.#set.values().next().value as string);
    this.#set.add(id + (tx as SignedTransaction).signature);
  }
}
