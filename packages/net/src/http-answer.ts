/**
 * Recognises a web server at the other end: its answer starts with `HTTP/`, which read as a
 * frame header declares 1,213,486,160 bytes and an opcode starting with `/` (never a valid
 * reply). A client that meets it says so instead of reporting a huge frame.
 */
const PREFIX = Buffer.from('HTTP/', 'latin1');

/** Watches the first bytes of a reply stream, holding back at most 4 bytes until it can tell. */
export class HttpAnswerSniffer {
  private held: Buffer | undefined = Buffer.alloc(0);

  /** The bytes to pass on to the frame decoder, or `'http'` when the stream is an HTTP answer. */
  push(chunk: Buffer): Buffer | 'http' {
    if (this.held === undefined) return chunk;
    const bytes = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const n = Math.min(bytes.length, PREFIX.length);
    if (bytes.subarray(0, n).equals(PREFIX.subarray(0, n))) {
      if (n === PREFIX.length) return 'http';
      this.held = bytes; // a prefix of `HTTP/` so far: wait for more
      return Buffer.alloc(0);
    }
    this.held = undefined; // not HTTP: from now on every byte goes straight through
    return bytes;
  }
}

/** The message of the `not-a-peer` error for `target` (`host:port`). */
export function httpAnswerMessage(target: string): string {
  return (
    `${target} answered with HTTP: it is a web server (probably a peer's explorer, started with ` +
    "`chain-peer --http`), not a chain peer; use the peer's own port"
  );
}
