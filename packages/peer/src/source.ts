/** Where something came from: a neighbour's address, `local` (this peer's user or miner), or an unknown connection. */
export type Source = { readonly kind: 'neighbour'; readonly address: string } | { readonly kind: 'local' } | { readonly kind: 'remote' };

/** This peer's own user or miner. */
export const LOCAL: Source = Object.freeze({ kind: 'local' });

/** A neighbour, by its `host:port`. */
export function fromNeighbour(address: string): Source {
  return { kind: 'neighbour', address };
}
