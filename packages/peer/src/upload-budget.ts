/** Default rate of a connection's upload budget: far above what a peer can validate, far below a flood (bytes/s). */
export const DEFAULT_UPLOAD_BYTES_PER_SECOND = 16 * 1024 * 1024;

export interface UploadBudgetOptions {
  /** Bytes a connection earns per second. */
  readonly bytesPerSecond: number;
  /** Most bytes a connection can have saved up: what one reply may spend after a pause. */
  readonly burstBytes: number;
  readonly now: () => number;
}

/**
 * How many bytes of blocks each inbound connection may be sent (a token bucket per connection):
 * a requester decides how much this peer reads from storage and writes to the wire only up to
 * that. Connections start with a full bucket; entries leave with their connection.
 */
export class UploadBudget {
  readonly #o: UploadBudgetOptions;
  readonly #buckets = new Map<number, { tokens: number; at: number }>();

  constructor(o: UploadBudgetOptions) {
    if (!(o.bytesPerSecond > 0) || !(o.burstBytes > 0)) throw new RangeError('an upload budget needs a positive rate and burst');
    this.#o = o;
  }

  /** Bytes the connection may be sent now. */
  allowance(connectionId: number): number {
    const now = this.#o.now();
    const b = this.#buckets.get(connectionId);
    if (!b) return this.#o.burstBytes;
    b.tokens = Math.min(this.#o.burstBytes, b.tokens + ((now - b.at) * this.#o.bytesPerSecond) / 1000);
    b.at = now;
    return b.tokens;
  }

  /** The connection was sent `bytes`. */
  spend(connectionId: number, bytes: number): void {
    const tokens = this.allowance(connectionId) - bytes;
    this.#buckets.set(connectionId, { tokens, at: this.#o.now() });
  }

  /** The connection closed. */
  release(connectionId: number): void {
    this.#buckets.delete(connectionId);
  }
}
