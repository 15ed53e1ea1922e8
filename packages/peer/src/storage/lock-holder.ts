import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * The process that holds a data directory, as its lock file records it: one
 * line of JSON, e.g.
 *
 *     {"pid":4242,"host":"box","boot":"32e5…","startTicks":24776,"since":"2026-01-01T00:00:00.000Z","nonce":"9f2c…"}
 *
 * `pid` and `host` say who; `boot` (the kernel's boot id) and `startTicks` (the
 * process's start time in clock ticks since boot) tell a process from a later
 * one that was given the same id; both are `null` where the platform does not
 * tell them (they come from Linux's /proc). `nonce` makes every lock file's
 * bytes unique.
 */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly boot: string | null;
  readonly startTicks: number | null;
  /** When the lock was taken (ISO 8601), for people. */
  readonly since: string;
  readonly nonce: string;
}

/** Whether a recorded holder still runs, as far as this process can tell. */
export type Liveness =
  | { readonly state: 'alive' }
  | { readonly state: 'gone'; readonly why: string }
  /** Recorded on another host: whether it runs cannot be checked from here. */
  | { readonly state: 'elsewhere' };

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The kernel's boot id (Linux), or null. */
function bootId(): string | null {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** Start time of process `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), or null. */
export function startTicksOf(pid: number | 'self'): number | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isSafeInteger(ticks) && ticks >= 0 ? ticks : null;
}

/** This process, taking a lock now. */
export function thisProcess(now: number): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    boot: bootId(),
    startTicks: startTicksOf('self'),
    since: new Date(now).toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
}

export function encodeHolder(h: LockHolder): string {
  return `${JSON.stringify(h)}\n`;
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** The holder recorded in a lock file's bytes; null when they are not a well-formed record. */
export function parseHolder(bytes: Buffer): LockHolder | null {
  if (bytes.length > 4096) return null;
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  // A pid of 0 or below would make process.kill signal a process group: never accept one.
  if (!Number.isSafeInteger(o.pid) || (o.pid as number) < 1) return null;
  if (!isText(o.host, 255) || !isText(o.since, 64) || !isText(o.nonce, 64)) return null;
  if (o.boot !== null && !isText(o.boot, 64)) return null;
  if (o.startTicks !== null && (!Number.isSafeInteger(o.startTicks) || (o.startTicks as number) < 0)) return null;
  return {
    pid: o.pid as number,
    host: o.host,
    boot: o.boot as string | null,
    startTicks: o.startTicks as number | null,
    since: o.since,
    nonce: o.nonce,
  };
}

/**
 * Does `h` still run? Only holders recorded on this host are checked: the
 * directory may be shared (a network file system, containers) with processes
 * this one cannot see, so a lock from another host is never judged gone.
 * On this host: a holder from before the last boot is gone; one with this
 * process's id is alive only if it is this process (`own` holds this process's
 * live nonces), else it was an earlier process given the same id; otherwise
 * `process.kill(pid, 0)` decides (ESRCH: gone; EPERM: alive, another user's),
 * and a live pid whose start time differs from the recorded one was reused.
 */
export function liveness(h: LockHolder, own: ReadonlySet<string>): Liveness {
  if (h.host !== hostname()) return { state: 'elsewhere' };
  const boot = bootId();
  if (h.boot !== null && boot !== null && h.boot !== boot)
    return { state: 'gone', why: `process ${h.pid} ran before this machine restarted` };
  if (h.pid === process.pid) {
    return own.has(h.nonce)
      ? { state: 'alive' }
      : { state: 'gone', why: `process ${h.pid} no longer runs (this process was given its id)` };
  }
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return { state: 'gone', why: `process ${h.pid} no longer runs` };
    if (code !== 'EPERM') return { state: 'alive' }; // cannot tell: assume it runs
  }
  if (h.startTicks !== null) {
    const ticks = startTicksOf(h.pid);
    if (ticks !== null && ticks !== h.startTicks)
      return { state: 'gone', why: `process ${h.pid} no longer runs (its id now belongs to another process)` };
  }
  return { state: 'alive' };
}
