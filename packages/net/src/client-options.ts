/** Settings of a client, and their checks. */
import type { PayloadLimits } from '@chain/protocol';
import { checkBackoffOptions, type BackoffOptions } from './backoff';
import { checkFrameObserver, type FrameObserver } from './frame-observer';
import type { Logger } from './logger';
import { checkTimers, type Timers } from './timers';

/** Settings of the client state machine, whatever carries its bytes. */
export interface ClientMachineOptions {
  readonly host: string;
  readonly port: number;
  /** Default deadline of a request, from the call to the reply. Default 10 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Reconnection delays; the attempt count behind them resets only on a valid reply. */
  readonly backoff?: BackoffOptions;
  /**
   * What a request does while there is no connection: `'queue'` waits for the
   * connection (up to `maxQueue` requests, each still bound by its timeout);
   * `'fail'` rejects at once with ClientError `not-connected`. Default `'queue'`.
   */
  readonly whileDisconnected?: 'queue' | 'fail';
  /** Most requests waiting for a connection. Default 1024. */
  readonly maxQueue?: number;
  /** Where failing servers are reported. Default: stderr. */
  readonly logger?: Logger;
  /** Random source of the backoff jitter (tests and simulations make it deterministic). */
  readonly random?: () => number;
  /** Where deadlines, backoff and the connect timeout are set. Default: the global timers. */
  readonly timers?: Timers;
}

/** Settings of a TCP client. */
export interface ClientOptions extends ClientMachineOptions {
  /** Deadline of one connection attempt. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Largest frame sent or accepted. Default 16 MiB. */
  readonly maxFrame?: number;
  /** Payload bounds for replies. */
  readonly limits?: Partial<PayloadLimits>;
  /** Hears of every whole frame sent and received (traffic metrics). Default: none. */
  readonly frames?: FrameObserver;
}

/** Per-request settings. */
export interface RequestOptions {
  /** Overrides the client's `requestTimeoutMs` (e.g. a `gp` long poll). */
  readonly timeoutMs?: number;
}

/** Check the settings a caller gave; errors name the setting. */
export function checkClientOptions(options: ClientOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('client options must be an object');
  if (typeof options.host !== 'string' || options.host === '')
    throw new TypeError(`client host must be a non-empty string, got ${String(options.host)}`);
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new RangeError(`client port must be an integer from 1 to 65535, got ${String(options.port)}`);
  }
  for (const name of ['requestTimeoutMs', 'connectTimeoutMs', 'maxQueue', 'maxFrame'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new RangeError(`client ${name} must be a positive integer, got ${String(value)}`);
  }
  if (options.backoff !== undefined) checkBackoffOptions(options.backoff);
  if (options.random !== undefined && typeof options.random !== 'function')
    throw new TypeError('client random must be a function returning [0, 1)');
  if (options.timers !== undefined) checkTimers(options.timers, 'client timers');
  if (options.frames !== undefined) checkFrameObserver(options.frames, 'client frames');
}
