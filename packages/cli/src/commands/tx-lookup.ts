import { txId, type Block } from '@chain/core';
import { ask, type ClientFlags } from './client';

/** Blocks asked for at a time while walking back from the tip. */
export const LOOKUP_PAGE = 100;

/** How far back `tx` looks by default (`--depth`). */
export const DEFAULT_DEPTH = 1000;

/** Where a peer has a transaction: in a block of its best chain, in its pool, or neither. */
export type TxLocation =
  | { readonly where: 'block'; readonly index: number; readonly hash: string; readonly confirmations: number; readonly height: number }
  | { readonly where: 'pool'; readonly height: number; readonly pending: number }
  | {
      readonly where: 'unknown';
      readonly height: number;
      readonly pending: number;
      /** Blocks looked at, from the tip down. */
      readonly searched: number;
      /** Pool transactions the peer sent (an `hb` reply carries 1000 at most). */
      readonly poolSeen: number;
    };

export interface LookupOptions {
  /** The network's genesis hash (ids commit to it, docs/spec.md §2.3). */
  readonly genesis: string;
  /** Most blocks to look at below and at the tip. */
  readonly depth: number;
  /** The transaction's timestamp when known: no block older than it can hold it (docs/spec.md §2.5). */
  readonly notBefore?: number;
  /** The template the last `gp` reported, for the caller's long poll. */
  onWork?(templateHash: string | null): void;
}

/**
 * Find transaction `id` at `target` with the specification's requests only: `hb` for the pool,
 * then `pb` pages from the tip down, at most `depth` blocks, stopping early below `notBefore`
 * (block timestamps never decrease along a chain, §3.4). The chain is looked at after the pool, so
 * a transaction mined in between is still found; a walk that meets a reorganisation starts again.
 */
export async function locateTx(target: string, id: string, flags: ClientFlags, options: LookupOptions): Promise<TxLocation> {
  const work = await ask(target, 'gp', undefined, flags);
  options.onWork?.(work.templateHash);
  const beat = await ask(target, 'hb', { genesis: options.genesis, locator: [work.previousHash, options.genesis], listen: null }, flags);
  const inPool = beat.pool.some((tx) => txId(options.genesis, tx) === id);
  for (let attempt = 0; attempt < 3; attempt++) {
    const walk = await walkBack(target, id, flags, options);
    if (walk === 'reorganised') continue;
    if (walk.found) return { where: 'block', ...walk.found, confirmations: walk.height - walk.found.index + 1, height: walk.height };
    if (inPool) return { where: 'pool', height: walk.height, pending: work.pending };
    return { where: 'unknown', height: walk.height, pending: work.pending, searched: walk.searched, poolSeen: beat.pool.length };
  }
  throw new Error(`${target} kept reorganising its chain while it was searched; try again`);
}

interface Walk {
  readonly height: number;
  readonly searched: number;
  readonly found?: { readonly index: number; readonly hash: string };
}

async function walkBack(target: string, id: string, flags: ClientFlags, options: LookupOptions): Promise<Walk | 'reorganised'> {
  let height = 0;
  let top = Number.MAX_SAFE_INTEGER;
  let searched = 0;
  let below: Block | undefined;
  while (top >= 1 && searched < options.depth) {
    const from = top === Number.MAX_SAFE_INTEGER ? undefined : Math.max(1, top - Math.min(LOOKUP_PAGE, options.depth - searched) + 1);
    const page =
      from === undefined ? await tipPage(target, flags, Math.min(LOOKUP_PAGE, options.depth)) : await range(target, from, top, flags);
    if (height === 0) height = page.height;
    const blocks = page.blocks;
    if (blocks.length === 0) break;
    if (below && below.previousHash !== blocks.at(-1)!.currentHash) return 'reorganised';
    for (let i = blocks.length - 1; i >= 0 && searched < options.depth; i--) {
      const block = blocks[i] as Block;
      if (options.notBefore !== undefined && block.timestamp < options.notBefore) return { height, searched };
      searched++;
      if (block.transactions.some((tx) => txId(options.genesis, tx) === id))
        return { height, searched, found: { index: block.index, hash: block.currentHash } };
    }
    below = blocks[0];
    top = (blocks[0] as Block).index - 1;
  }
  return { height, searched };
}

/** The top `count` blocks of the chain: `gp` cannot name the height a `pb` then sees, so the reply's own height decides. */
async function tipPage(target: string, flags: ClientFlags, count: number): Promise<{ height: number; blocks: Block[] }> {
  const probe = await ask(target, 'pb', { from: Number.MAX_SAFE_INTEGER, limit: 1 }, flags);
  const from = Math.max(1, probe.height - count + 1);
  const page = await range(target, from, probe.height, flags);
  return page;
}

/** Blocks `from`..`to` of the best chain in order, asking again when a reply holds fewer (docs/spec.md §5.7). */
async function range(target: string, from: number, to: number, flags: ClientFlags): Promise<{ height: number; blocks: Block[] }> {
  const blocks: Block[] = [];
  let height = 0;
  for (let at = from; at <= to;) {
    const reply = await ask(target, 'pb', { from: at, limit: to - at + 1 }, flags);
    height = height || reply.height;
    if (reply.blocks.length === 0) break;
    blocks.push(...reply.blocks);
    at += reply.blocks.length;
  }
  return { height, blocks };
}
