/**
 * Slots go to those who use them (docs/spec.md §7.4): idle connections are closed after a while, and when
 * every slot is taken the longest-idle connection that may give way makes room for a newcomer.
 * The policy knows connections only as {@link SlotHolder}s, so every transport's server shares it.
 */
import type { Logger } from './logger';
import { systemTimers, type TimerHandle, type Timers } from './timers';

/** What the slot policy needs to know of a server's connection. */
export interface SlotHolder {
  /** Server-unique id. */
  readonly id: number;
  /** On its way out (closing, half-closed by the peer, or gone): it holds no slot worth taking. */
  readonly leaving: boolean;
  /** A request of it is being handled or its reply waits to be sent (a long poll, say). */
  readonly busy: boolean;
  /** How long it has been idle at `now` (0 while busy), in the server's clock's ms. */
  idleFor(now: number): number;
}

/**
 * Closes connections idle for `timeoutMs` with one timer for the whole server: it fires at the
 * earliest deadline, closes what is due and re-arms while the server holds any connection.
 * Activity only moves deadlines later, so a timer that fires early just re-arms; a connection
 * accepted later is due later than all others.
 */
export class IdleSweep<C extends SlotHolder> {
  private timer: TimerHandle;
  private stopped = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly connections: () => Iterable<C>,
    private readonly onIdle: (connection: C, idleMs: number) => void,
    private readonly timers: Timers = systemTimers,
  ) {}

  /** Make sure a sweep is scheduled (after an accept). */
  arm(delayMs = this.timeoutMs): void {
    if (this.timeoutMs === 0 || this.stopped || this.timer !== undefined) return;
    this.timer = this.timers.setTimeout(() => this.sweep(), Math.max(1, delayMs));
  }

  /** No more sweeps (server closing). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.now();
    let next = Infinity;
    for (const connection of this.connections()) {
      if (connection.leaving || connection.busy) continue; // a request in flight (a long poll) is not idle
      const idle = connection.idleFor(now);
      if (idle >= this.timeoutMs) this.onIdle(connection, idle);
      else next = Math.min(next, this.timeoutMs - idle);
    }
    // Busy and closing connections become idle or go later; look again within one timeout.
    if (this.connections()[Symbol.iterator]().next().done !== true) this.arm(Math.min(next, this.timeoutMs));
  }
}

/**
 * The connection to give way to a newcomer: the longest-idle one that `canEvict` allows and that
 * has no request in flight; undefined when none can.
 */
export function pickEvictable<C extends SlotHolder>(
  connections: Iterable<C>,
  canEvict: (connectionId: number) => boolean,
  now: number,
  logger: Logger,
): { connection: C; idleMs: number } | undefined {
  let best: { connection: C; idleMs: number } | undefined;
  for (const connection of connections) {
    if (connection.leaving || connection.busy) continue;
    const idleMs = connection.idleFor(now);
    if (best !== undefined && idleMs <= best.idleMs) continue;
    let allowed: boolean;
    try {
      allowed = canEvict(connection.id) === true;
    } catch (err) {
      logger.error({ connectionId: connection.id, error: (err as Error).message }, 'canEvict threw; the connection keeps its slot');
      allowed = false;
    }
    if (allowed) best = { connection, idleMs };
  }
  return best;
}
