import { isIP } from 'node:net';
import { BoundedMap } from '@chain/core';
import { parseHostPort } from './options';

/** Learned addresses from one source host that count at most (docs/spec.md §7). */
export const PER_HOST = 8;
/** Failed attempts in a row after which a learned address is dropped (docs/spec.md §7). */
export const MAX_FAILURES = 5;
/** How long a dropped address is not learned again (docs/spec.md §7). */
export const QUARANTINE_MS = 10 * 60_000;
/** Default spacing of dials to new candidates: one a second (docs/spec.md §7). */
export const DIAL_INTERVAL_MS = 1000;
/** Candidates kept at most, per neighbour slot. */
export const CANDIDATES_PER_SLOT = 4;
/** Quarantined addresses remembered at most, per neighbour slot. */
export const QUARANTINED_PER_SLOT = 8;

/** One address of the book. Configured entries are always neighbours; learned ones start as candidates. */
export interface BookEntry {
  readonly address: string;
  readonly configured: boolean;
  /** `candidate` until a valid `hb` reply; configured entries are `neighbour` from the start. */
  status: 'candidate' | 'neighbour';
  /** `configured`, or the host (remote IP) of the inbound connection that announced it. */
  readonly source: string;
  /** Failed attempts in a row. */
  failures: number;
  /** When the last valid `hb` reply came (ms), or null. */
  lastSeen: number | null;
  readonly learnedAt: number;
  /** A learned candidate that is being dialled (it has a connection). */
  dialling: boolean;
}

/** An address that was dropped and is not learned again until `until`. */
export interface QuarantineEntry {
  readonly address: string;
  readonly source: string;
  readonly failures: number;
  readonly lastSeen: number | null;
  readonly until: number;
}

/** What became of a `listen` address an inbound connection announced. */
export type LearnOutcome =
  | 'learned'
  | 'known'
  /** The connection already announced another address (the inbound registry says so). */
  | 'ignored'
  | 'invalid'
  | 'quarantined'
  /** It names a host, not an IP: only IP literals are learned (a name could point anywhere). */
  | 'host-name'
  /** Its source host already has PER_HOST learned addresses. */
  | 'host-limit'
  /** Every candidate place is taken by one that cannot give way. */
  | 'full';

export interface BookOptions {
  /** Neighbour slots, configured and learned. */
  readonly maxNeighbours: number;
  /** Least time between dials to new candidates (default one a second, docs/spec.md §7). */
  readonly dialIntervalMs?: number;
}

/** `::ffff:1.2.3.4` is `1.2.3.4`; other hosts as given, lower case. */
export function normaliseHost(host: string): string {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped ? (mapped[1] as string) : h;
}

/**
 * Whether a connection from `remoteHost` may be who it says it is (`listen`): only a listen
 * address naming that very IP. A host name proves nothing about who sent it (it could name
 * anyone), so it is never believed.
 */
export function plausibleClaim(listen: string, remoteHost: string): boolean {
  const h = normaliseHost(parseHostPort(listen).host);
  return isIP(h) !== 0 && h === normaliseHost(remoteHost);
}

/**
 * The address book of a peer (docs/spec.md §7), without I/O: which addresses are neighbours, which are
 * candidates waiting to be dialled or being dialled, and which are quarantined. Every table is
 * bounded; time comes from the caller.
 */
export class AddressBook {
  readonly maxNeighbours: number;
  readonly maxCandidates: number;
  readonly maxQuarantined: number;
  readonly dialIntervalMs: number;
  readonly #entries = new Map<string, BookEntry>();
  readonly #quarantine: BoundedMap<string, QuarantineEntry>;
  /** Source host -> when a candidate it announced was last dialled. */
  readonly #hostDialled: BoundedMap<string, number>;
  #lastDial = -Infinity;

  constructor(o: BookOptions) {
    this.maxNeighbours = o.maxNeighbours;
    this.maxCandidates = CANDIDATES_PER_SLOT * o.maxNeighbours;
    this.maxQuarantined = QUARANTINED_PER_SLOT * o.maxNeighbours;
    this.#quarantine = new BoundedMap(this.maxQuarantined);
    this.#hostDialled = new BoundedMap(this.maxCandidates);
    this.dialIntervalMs = o.dialIntervalMs ?? DIAL_INTERVAL_MS;
  }

  get(address: string): BookEntry | undefined {
    return this.#entries.get(address);
  }

  entries(): BookEntry[] {
    return [...this.#entries.values()];
  }

  /** Configured entries and verified learned ones. */
  neighbours(): BookEntry[] {
    return this.entries().filter((e) => e.status === 'neighbour');
  }

  candidates(): BookEntry[] {
    return this.entries().filter((e) => e.status === 'candidate');
  }

  /** Quarantined addresses whose time has not run out, oldest first. */
  quarantined(now: number): QuarantineEntry[] {
    this.#expire(now);
    return [...this.#quarantine.values()];
  }

  isNeighbour(address: string): boolean {
    return this.#entries.get(address)?.status === 'neighbour';
  }

  /** A configured neighbour: kept for ever, whatever happens. */
  configure(address: string, now: number): BookEntry {
    parseHostPort(address, 'neighbour');
    const known = this.#entries.get(address);
    if (known?.configured) return known;
    const entry: BookEntry = {
      address,
      configured: true,
      status: 'neighbour',
      source: 'configured',
      failures: 0,
      lastSeen: known?.lastSeen ?? null,
      learnedAt: now,
      dialling: false,
    };
    this.#entries.set(address, entry);
    this.#quarantine.delete(address);
    return entry;
  }

  /**
   * An inbound connection from `host` announced `address` in an `hb` (which connection, and that
   * it contributes one address at most, is the inbound registry's to know). Each source host
   * counts at most PER_HOST. `evicted` receives a candidate that gave way to this one.
   */
  announce(host: string, address: string, now: number, evicted: (entry: BookEntry) => void = () => {}): LearnOutcome {
    let listenHost: string;
    try {
      listenHost = parseHostPort(address, 'listen').host;
    } catch {
      return 'invalid';
    }
    if (isIP(normaliseHost(listenHost)) === 0) return 'host-name';
    if (this.#entries.has(address)) return 'known';
    this.#expire(now);
    if (this.#quarantine.has(address)) return 'quarantined';
    const source = normaliseHost(host);
    let fromHost = 0;
    for (const e of this.#entries.values()) if (!e.configured && e.source === source) fromHost++;
    if (fromHost >= PER_HOST) return 'host-limit';
    if (this.candidates().length >= this.maxCandidates) {
      const victim = this.#victim();
      if (!victim) return 'full';
      this.#entries.delete(victim.address);
      evicted(victim);
    }
    this.#entries.set(address, {
      address,
      configured: false,
      status: 'candidate',
      source,
      failures: 0,
      lastSeen: null,
      learnedAt: now,
      dialling: false,
    });
    return 'learned';
  }

  /**
   * The next candidate to dial, or null: at most one every `dialIntervalMs`, only while a
   * neighbour slot is free for it, taking source hosts in turn (the one dialled longest ago first).
   */
  nextDial(now: number): BookEntry | null {
    if (now - this.#lastDial < this.dialIntervalMs) return null;
    let busy = 0;
    let best: BookEntry | null = null;
    let bestTurn = Infinity;
    for (const e of this.#entries.values()) {
      if (e.status === 'neighbour' || e.dialling) {
        busy++;
        continue;
      }
      const turn = this.#hostDialled.get(e.source) ?? -Infinity;
      if (best === null || turn < bestTurn) {
        best = e;
        bestTurn = turn;
      }
    }
    if (best === null || busy >= this.maxNeighbours) return null;
    best.dialling = true;
    this.#lastDial = now;
    this.#hostDialled.renew(best.source, now); // moved last: the map stays in dial order
    return best;
  }

  /** Milliseconds until a dial may be due (0: now), or null when no candidate is waiting or no slot is free. */
  dialDelay(now: number): number | null {
    let busy = 0;
    let waiting = false;
    for (const e of this.#entries.values()) {
      if (e.status === 'neighbour' || e.dialling) busy++;
      else waiting = true;
    }
    if (!waiting || busy >= this.maxNeighbours) return null;
    return Math.max(0, this.#lastDial + this.dialIntervalMs - now);
  }

  /** A valid `hb` reply: the failure count resets and a candidate becomes a neighbour. True when it was promoted. */
  succeeded(address: string, now: number): boolean {
    const e = this.#entries.get(address);
    if (!e) return false;
    e.failures = 0;
    e.lastSeen = now;
    if (e.status === 'neighbour') return false;
    e.status = 'neighbour';
    e.dialling = false;
    return true;
  }

  /**
   * A failed attempt (no connection, or one that ended or erred without a valid `hb` reply).
   * A learned address that fails MAX_FAILURES times in a row is dropped and quarantined: true then.
   */
  failed(address: string, now: number): boolean {
    const e = this.#entries.get(address);
    if (!e) return false;
    e.failures++;
    if (e.configured || e.failures < MAX_FAILURES) return false;
    this.#drop(e, now);
    return true;
  }

  /** A neighbour broke the rules outright (an invalid block): a learned one is dropped and quarantined at once. */
  distrust(address: string, now: number): boolean {
    const e = this.#entries.get(address);
    if (!e || e.configured) return false;
    this.#drop(e, now);
    return true;
  }

  #drop(e: BookEntry, now: number): void {
    this.#entries.delete(e.address);
    this.#quarantine.renew(e.address, {
      address: e.address,
      source: e.source,
      failures: e.failures,
      lastSeen: e.lastSeen,
      until: now + QUARANTINE_MS,
    });
  }

  /** Forget quarantines that ran out (they are in order of their end). */
  #expire(now: number): void {
    for (const q of this.#quarantine.values()) {
      if (q.until > now) break;
      this.#quarantine.delete(q.address);
    }
  }

  /** The candidate that gives way to a newcomer: most failures, then from the most represented host, then the oldest. */
  #victim(): BookEntry | null {
    const perHost = new Map<string, number>();
    for (const e of this.#entries.values()) if (e.status === 'candidate') perHost.set(e.source, (perHost.get(e.source) ?? 0) + 1);
    let victim: BookEntry | null = null;
    const rank = (e: BookEntry): [number, number, number] => [e.failures, perHost.get(e.source) ?? 0, -e.learnedAt];
    for (const e of this.#entries.values()) {
      if (e.status !== 'candidate') continue;
      if (victim === null) {
        victim = e;
        continue;
      }
      const [a, b] = [rank(e), rank(victim)];
      if (a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2])))) victim = e;
    }
    return victim;
  }
}
