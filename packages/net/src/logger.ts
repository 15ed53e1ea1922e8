/** Fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * One level of a logger, in pino's argument order: `log.warn('message')` or
 * `log.warn({ key: value }, 'message')`. A pino logger and `console` fit as they are.
 */
export interface LogMethod {
  (message: string): void;
  (fields: LogFields, message: string): void;
}

/** Minimal structured logger; inject your own (pino, console, a test spy). */
export interface Logger {
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
}

/**
 * The message and fields of a call made either way: `(message)` or `(fields, message)`.
 * For loggers that format lines themselves.
 */
export function logArguments(first: string | LogFields, second?: string): { message: string; fields: LogFields | undefined } {
  if (typeof first === 'string') return { message: first, fields: undefined };
  return { message: second ?? '', fields: first };
}

const noop = (): void => {};

/** Discards everything. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

const toStderr = (write: (...data: unknown[]) => void): LogMethod =>
  ((first: string | LogFields, second?: string) => {
    const { message, fields } = logArguments(first, second);
    if (fields === undefined) write(`[chain/net] ${message}`);
    else write(`[chain/net] ${message}`, fields);
  }) as LogMethod;

/** Writes warnings and errors to stderr; the default of servers and clients. */
export const stderrLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: toStderr((...data) => console.warn(...data)),
  error: toStderr((...data) => console.error(...data)),
});
