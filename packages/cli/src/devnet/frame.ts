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

/** A log line as the frame shows it: a JSON line (`--json-logs`) as the readable form, anything else as it is. */
export function eventOfLogLine(line: string): string {
  const text = line.trimEnd();
  if (!text.startsWith('{')) return text;
  try {
    const entry = JSON.parse(text) as { time?: unknown; level?: unknown; peer?: unknown; msg?: unknown };
    if (typeof entry.msg !== 'string') return text;
    const clock = typeof entry.time === 'string' ? `${entry.time.slice(11, 23)} ` : '';
    const level = typeof entry.level === 'string' ? `${entry.level.toUpperCase().padEnd(5)} ` : '';
    const peer = typeof entry.peer === 'string' ? `[${entry.peer}] ` : '';
    return `${clock}${level}${peer}${entry.msg}`;
  } catch {
    return text;
  }
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
