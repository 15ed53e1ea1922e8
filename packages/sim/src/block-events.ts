import type { World } from './world';

/** One found block as `--events` writes it (times in virtual ms; reach times from when it was found). */
export interface BlockEvent {
  readonly height: number;
  readonly hash: string;
  /** The node that found it. */
  readonly finder: number;
  /** When it was found, from the start of the run. */
  readonly foundMs: number;
  /** When it reached 50 %, 90 % and 100 % of the peers, after it was found (null: it never did). */
  readonly reach50Ms: number | null;
  readonly reach90Ms: number | null;
  readonly reach100Ms: number | null;
  /** When the last peer that got it got it, after it was found. */
  readonly lastMs: number | null;
  /** Peers that got it, of `peers`. */
  readonly reached: number;
  readonly peers: number;
  /** Not on peer 0's best chain at the end. */
  readonly stale: boolean;
}

const micro = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : null);

/** Every block found in the world, in the order found (read before its peers stop). */
export function blockEvents(world: World): BlockEvent[] {
  const chain = world.nodes[0]!.peer.chain;
  return world.tracker.mined.map((r) => ({
    height: r.index,
    hash: r.hash,
    finder: r.miner,
    foundMs: micro(r.minedAt - world.startTime) as number,
    reach50Ms: micro(r.t50 - r.minedAt),
    reach90Ms: micro(r.t90 - r.minedAt),
    reach100Ms: micro(r.t100 - r.minedAt),
    lastMs: micro(r.lastAt - r.minedAt),
    reached: r.reached,
    peers: world.peers,
    stale: !chain.onBestChain(r.hash),
  }));
}
