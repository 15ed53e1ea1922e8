/**
 * Slots go to those who use them (SPEC §7): idle connections are closed after a while, and when
 * every slot is taken the longest-idle connection that may give way makes room for a newcomer.
 */
import type { Connection } from './connection';
import type { Logger } from './logger';

/**
 * Closes connections idle for `timeoutMs` with one timer for the whole server: it fires at the
 * earliest deadline, closes what is due and re-arms. Activity only moves deadlines later, so a
 * timer that fires early just re-arms; a connection accepted later is due later than all others.
 */
export class IdleSweep {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly connections: () => Iterable<Connection>,
    private readonly onIdle: (connection: Connection, idleMs: number) => void,
  ) {}

  /** Make sure a sweep is scheduled (after an accept). */
  arm(delayMs = this.timeoutMs): void {
    if (this.timeoutMs === 0 || this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => this.sweep(), Math.max(1, Math.ceil(delayMs)));
  }

  /** No more sweeps (server closing). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    this.timer = undefined;
    const now = this.now();
    let next = Infinity;
    let open = 0;
    for (const connection of this.connections()) {
      if (connection.leaving) continue;
      open++;
      if (connection.busy) continue; // a request in flight (a long poll) is not idle
      const idle = connection.idleFor(now);
      if (idle >= this.timeoutMs) this.onIdle(connection, idle);
      else next = Math.min(next, this.timeoutMs - idle);
    }
    // Busy connections become idle later; look again within one timeout.
    if (open > 0) this.arm(Math.min(next, this.timeoutMs));
  }
}

/**
 * The connection to give way to a newcomer: the longest-idle one that `canEvict` allows and that
 * has no request in flight; undefined when none can.
 */
export function pickEvictable(
  connections: Iterable<Connection>,
  canEvict: (connectionId: number) => boolean,
  now: number,
  logger: Logger,
): { connection: Connection; idleMs: number } | undefined {
  let best: { connection: Connection; idleMs: number } | undefined;
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
