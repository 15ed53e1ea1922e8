import { ask, type ClientFlags } from './client';
import type { Out } from './context';
import { locateTx, type TxLocation } from './tx-lookup';

/** The longest a single `gp` long poll is held while waiting: a block can arrive without changing the template (an empty pool). */
const POLL_MS = 2000;

export interface WaitFor {
  readonly id: string;
  readonly timestamp: number;
  readonly genesis: string;
  readonly confirmations: number;
  readonly timeoutMs: number;
}

export type Confirmed = Extract<TxLocation, { where: 'block' }>;

/**
 * Wait until transaction `id` is in a block of `target`'s best chain with `confirmations` blocks
 * (its own included), reporting each change on `progress`. Between looks it long polls `gp`,
 * which answers as soon as the peer's template changes (a new tip or pool). Only blocks no older
 * than the transaction are searched: none older can hold it (docs/spec.md §2.5).
 */
export async function waitForConfirmations(target: string, flags: ClientFlags, want: WaitFor, progress: Out): Promise<Confirmed> {
  const deadline = Date.now() + want.timeoutMs;
  let template: string | null = null;
  let said = '';
  for (;;) {
    const at = await locateTx(target, want.id, flags, {
      genesis: want.genesis,
      depth: Number.MAX_SAFE_INTEGER,
      notBefore: want.timestamp,
      onWork: (t) => (template = t),
    });
    if (at.where === 'block' && at.confirmations >= want.confirmations) return at;
    const now = describe(at, want.confirmations);
    if (now !== said) progress(`${now}\n`);
    said = now;
    const left = deadline - Date.now();
    if (left <= 0)
      throw new Error(
        `${want.id} does not have ${want.confirmations} confirmation${want.confirmations === 1 ? '' : 's'} at ${target} after ${want.timeoutMs} ms: ${now}; raise --wait-timeout, or look later with chain-peer tx ${target} ${want.id}`,
      );
    await ask(target, 'gp', { wait: Math.min(POLL_MS, left, Math.floor(flags.timeout / 2)), known: template }, flags);
  }
}

function describe(at: TxLocation, wanted: number): string {
  if (at.where === 'block') return `in block ${at.index}, ${at.confirmations} of ${wanted} confirmations (tip ${at.height})`;
  if (at.where === 'pool') return `waiting in the pool (tip ${at.height})`;
  return `neither in the pool nor in a block (tip ${at.height}): the peer may have dropped it`;
}
