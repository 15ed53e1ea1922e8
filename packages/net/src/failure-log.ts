/** How a client reports a failing server without flooding the log while it keeps failing. */
import type { Logger } from './logger';

/** One log line per failed attempt at most: at warn the first time, at debug while the same failure repeats. */
export class FailureLog {
  readonly #logger: Logger;
  readonly #server: string;
  /** The failure last logged at warn since the last valid reply. */
  #warned: string | undefined;

  constructor(logger: Logger, server: string) {
    this.#logger = logger;
    this.#server = server;
  }

  note(what: string, message: string, attempt: number): void {
    const fields = { server: this.#server, attempt, message };
    if (this.#warned === message) {
      this.#logger.debug(fields, `${what} (again; retrying with backoff)`);
    } else {
      this.#warned = message;
      this.#logger.warn(fields, `${what}; retrying with backoff`);
    }
  }

  /** The server answered validly: its next failure is news again. */
  reset(): void {
    this.#warned = undefined;
  }
}
