import { BoundedMap } from '@chain/core';
import type { NeighbourStatus } from '@chain/peer';

/** Neighbours whose announced heights are kept, at most (a peer has a few dozen). */
const MAX_TRACKED = 1024;

/** The height of a peer this explorer serves too, by its listening address; undefined for others. */
export type LocalHeight = (address: string) => number | undefined;

/**
 * Neighbours' heights as current as this explorer can know them. The peer's
 * address book holds the height of a neighbour's last heartbeat reply, seconds
 * old; a block the neighbour sent since is newer news of its tip, and a peer
 * this explorer serves too (a devnet's) is read as it is now.
 */
export class NeighbourHeights {
  readonly #heard = new BoundedMap<string, { height: number; at: number }>(MAX_TRACKED);
  readonly #local: LocalHeight;

  constructor(local: LocalHeight) {
    this.#local = local;
  }

  /** The neighbour at `address` sent a block of height `height` at `at` (the peer's clock). */
  heard(address: string, height: number, at: number): void {
    this.#heard.set(address, { height, at });
  }

  /** The address book entry with its height brought up to date. */
  current(n: NeighbourStatus): NeighbourStatus {
    const local = this.#local(n.address);
    if (local !== undefined) return { ...n, height: local };
    const heard = this.#heard.get(n.address);
    // A heartbeat reply after the block supersedes it (the neighbour may have reorganised to a shorter chain).
    if (!heard || heard.at < (n.lastSeen ?? 0) || heard.height <= n.height) return n;
    return { ...n, height: heard.height };
  }
}
