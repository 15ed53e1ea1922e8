import { createHash, type Hash } from 'node:crypto';

/**
 * The trace hash of a run: SHA-256 over every delivered message and every found block, in the
 * order they happened, each as one line of its time and endpoints. Two runs with the same hash
 * delivered the same messages at the same times and found the same blocks.
 */
export class Trace {
  readonly #hash: Hash = createHash('sha256');
  #messages = 0;
  #blocks = 0;
  #bytes = 0;
  #digest: string | null = null;

  /** A message arrived: `kind` is `q` (request), `r` (reply) or `c` (connection event). */
  message(time: number, from: number, to: number, kind: string, op: string, bytes: number): void {
    this.#hash.update(`${time}|${from}|${to}|${kind}|${op}|${bytes}\n`);
    this.#messages++;
    this.#bytes += bytes;
  }

  /** A block was found by `miner`. */
  block(time: number, miner: number, hash: string): void {
    this.#hash.update(`${time}|B|${miner}|${hash}\n`);
    this.#blocks++;
  }

  /** Something else that decides the outcome (a strategy's decision, a partition). */
  note(time: number, text: string): void {
    this.#hash.update(`${time}|N|${text}\n`);
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
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }
}
