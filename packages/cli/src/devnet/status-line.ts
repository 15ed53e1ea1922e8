import type { PeerStatus } from '@chain/peer';
import { formatHashrate, short } from '../format';

/** What a devnet shows of one peer. */
export interface DevnetRow {
  readonly name: string;
  readonly status: PeerStatus;
  /** Transactions confirmed a second over the window. */
  readonly confirmed: number;
}

/** `1.8 tx/s`, `240 tx/s`. */
export function formatTxRate(perSecond: number): string {
  const value = perSecond > 0 ? perSecond : 0;
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} tx/s`;
}

function neighbours(status: PeerStatus): string {
  return `${status.neighbours.filter((n) => n.state === 'open').length}/${status.neighbours.length}`;
}

const COLUMNS = ['peer', 'height', 'tip', 'pool', 'peers', 'confirmed', 'hash rate'] as const;
const WIDTHS = [4, 7, 11, 6, 5, 11, 10] as const;
/** Columns whose values are numbers, aligned right. */
const RIGHT = new Set([1, 3, 4, 5, 6]);

/** The status table: a header, then a row per peer, under 65 columns. */
export function formatDevnetTable(rows: readonly DevnetRow[]): string[] {
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (RIGHT.has(i) ? c.padStart(WIDTHS[i] as number) : c.padEnd(WIDTHS[i] as number)))
      .join('  ')
      .trimEnd();
  return [
    line(COLUMNS),
    ...rows.map((r) =>
      line([
        r.name,
        String(r.status.height),
        short(r.status.tip, 10),
        String(r.status.poolSize),
        neighbours(r.status),
        formatTxRate(r.confirmed),
        formatHashrate(r.status.hashrate),
      ]),
    ),
  ];
}
