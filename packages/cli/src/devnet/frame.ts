import { formatDevnetTable, type DevnetRow } from './status-line';

/** What the traffic generator has done, for its line of the frame. */
export interface TrafficView {
  readonly rate: number;
  readonly sent: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly lastRejection: string | undefined;
}

/** Everything a devnet shows at one moment. */
export interface DevnetState {
  readonly rows: readonly DevnetRow[];
  readonly traffic?: TrafficView;
  /** The last line the peers logged, without its line end. */
  readonly lastEvent?: string;
}

/** The devnet's status as plain lines: the table, the traffic, the last event. */
export function devnetFrame(state: DevnetState): string[] {
  const lines = formatDevnetTable(state.rows);
  const t = state.traffic;
  if (t) {
    const refused = t.rejected > 0 ? `, ${t.rejected} refused (last: ${t.lastRejection})` : '';
    lines.push(`traffic ${t.rate} tx/s: ${t.sent} sent, ${t.accepted} accepted${refused}`);
  }
  lines.push(`last event: ${state.lastEvent ?? 'none yet'}`);
  return lines;
}
