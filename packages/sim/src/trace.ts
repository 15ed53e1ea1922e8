import { createHash, type Hash } from 'node:crypto';

/** Messages whose records are hashed at once. */
const BATCH = 1024;
/** Numbers a message record holds: time, from, to, kind and opcode, bytes. */
const FIELDS = 5;

/**
 * The trace hash of a run: SHA-256 over every delivered message and every found block, in the
 * order they happened. A message is a record of five float64s (time, endpoints, kind and opcode,
 * bytes), hashed a batch at a time; a block or a note is a line of text that first closes the
 * batch. Two runs with the same hash delivered the same messages at the same times and found the
 * same blocks.
 */
export class Trace {
  readonly #hash: Hash = createHash('sha256');
  #messages = 0;
  #blocks = 0;
  #bytes = 0;
  #digest: string | null = null;
  readonly #records = new Float64Array(BATCH * FIELDS);
  #filled = 0;
  /** The number of each kind-and-opcode pair (by kind, then opcode), in the order first seen: the same in equal runs. */
  readonly #codes = new Map<string, Map<string, number>>();
  /** Messages of each code, and the opcode of each code. */
  readonly #counts: number[] = [];
  readonly #opOf: string[] = [];

  /** A message arrived: `kind` is `q` (request), `r` (reply) or `c` (connection event). */
  message(time: number, from: number, to: number, kind: string, op: string, bytes: number): void {
    let ops = this.#codes.get(kind);
    if (ops === undefined) this.#codes.set(kind, (ops = new Map()));
    let code = ops.get(op);
    if (code === undefined) {
      code = this.#counts.length;
      ops.set(op, code);
      this.#counts.push(0);
      this.#opOf.push(op);
    }
    const r = this.#records;
    let i = this.#filled;
    r[i++] = time;
    r[i++] = from;
    r[i++] = to;
    r[i++] = code;
    r[i++] = bytes;
    this.#filled = i;
    if (i === r.length) this.#flush();
    this.#messages++;
    this.#bytes += bytes;
    (this.#counts[code] as number)++;
  }

  /** Delivered messages by opcode (`syn` and `fin` for connection events), most frequent first. */
  get byOp(): Record<string, number> {
    const byOp = new Map<string, number>();
    this.#counts.forEach((n, code) => {
      const op = this.#opOf[code] as string;
      byOp.set(op, (byOp.get(op) ?? 0) + n);
    });
    return Object.fromEntries([...byOp].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  }

  /** A block was found by `miner`. */
  block(time: number, miner: number, hash: string): void {
    this.#line(`${time}|B|${miner}|${hash}\n`);
    this.#blocks++;
  }

  /** Something else that decides the outcome (a strategy's decision, a partition). */
  note(time: number, text: string): void {
    this.#line(`${time}|N|${text}\n`);
  }

  get messages(): number {
    return this.#messages;
  }

  get blocks(): number {
    return this.#blocks;
  }

  /** Bytes of every delivered message. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The hash, hex; the trace takes nothing more after this. */
  digest(): string {
    if (this.#digest === null) {
      this.#flush();
      this.#digest = this.#hash.digest('hex');
    }
    return this.#digest;
  }

  #line(text: string): void {
    this.#flush();
    this.#hash.update(text);
  }

  #flush(): void {
    if (this.#digest !== null) throw new Error('the trace is complete: it takes nothing after its digest');
    if (this.#filled === 0) return;
    this.#hash.update(new Uint8Array(this.#records.buffer, 0, this.#filled * 8));
    this.#filled = 0;
  }
}
