import { logArguments, type LogFields, type Logger, type LogMethod } from '@chain/net';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** JSON lines instead of readable text. */
  readonly json?: boolean;
  /** Added to every line (e.g. the peer's name in a devnet). */
  readonly name?: string;
  /** Where lines go. Default stderr. */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s="]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * A logger for the CLI: `HH:MM:SS.mmm LEVEL [name] message key=value` lines,
 * or JSON lines with `--json-logs`, to stderr. Each level is called as pino's
 * are: `log.warn('message')` or `log.warn({ key: value }, 'message')`.
 */
export function createLogger(options: LoggerOptions = {}): Logger & { child(name: string): Logger } {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const make = (name: string | undefined): Logger & { child(name: string): Logger } => {
    const log = (level: Exclude<LogLevel, 'silent'>): LogMethod =>
      ((first: string | LogFields, second?: string) => {
        if (RANK[level] < min) return;
        const { message, fields } = logArguments(first, second);
        const time = now();
        if (options.json) {
          write(`${JSON.stringify({ time: time.toISOString(), level, ...(name ? { peer: name } : {}), msg: message, ...fields })}\n`);
          return;
        }
        const extra = fields
          ? Object.entries(fields)
              .map(([k, v]) => ` ${k}=${formatValue(v)}`)
              .join('')
          : '';
        const clock = time.toISOString().slice(11, 23);
        write(`${clock} ${level.toUpperCase().padEnd(5)} ${name ? `[${name}] ` : ''}${message}${extra}\n`);
      }) as LogMethod;
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (child: string) => make(child) };
  };
  return make(options.name);
}
