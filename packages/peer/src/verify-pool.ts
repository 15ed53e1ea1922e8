import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Threads of the default pool: one per core when there are at least two, else none. */
export function defaultVerifyThreads(): number {
  const cores = availableParallelism();
  return cores >= 2 ? Math.min(cores, 16) : 0;
}

/** One Ed25519 check: hex strings as they are in a transaction (the message is the id). */
export interface SignatureJob {
  readonly sender: string;
  readonly signature: string;
  readonly id: string;
}

// The thread: node:crypto Ed25519 (the peer's default verifier), public keys cached and bounded.
// Jobs arrive as one hex string, 256 characters a job (sender, signature, id), decoded at once;
// verdicts go back as bytes (1 verifies).
const THREAD = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function key(hex, bytes) {
  let k = keys.get(hex);
  if (k === undefined) {
    if (keys.size >= 4096) keys.delete(keys.keys().next().value);
    k = createPublicKey({ key: Buffer.concat([SPKI, bytes]), format: 'der', type: 'spki' });
    keys.set(hex, k);
  }
  return k;
}
parentPort.on('message', ({ seq, jobs }) => {
  const all = Buffer.from(jobs, 'hex');
  const out = new Uint8Array(all.length / 128);
  for (let i = 0; i < out.length; i++) {
    const at = 128 * i;
    try {
      const k = key(jobs.slice(256 * i, 256 * i + 64), all.subarray(at, at + 32));
      out[i] = verify(null, all.subarray(at + 96, at + 128), k, all.subarray(at + 32, at + 96)) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage({ seq, out }, [out.buffer]);
});
`;

/** One job as the threads take it: sender, signature and id, 256 lowercase hex characters. */
const JOB = /^[0-9a-f]{256}$/;

interface Pending {
  resolve(out: Uint8Array): void;
  reject(err: Error): void;
}

/**
 * Ed25519 verification on every core: worker threads (started on first use) that verify the
 * signatures of a batch in parallel. A verdict is only ever a hint: `true` means node:crypto
 * verified that signature; anything else (false, a thread that failed, a closed pool) means
 * "not verified here", and the normal path then verifies in order, giving exactly the reason and
 * message it gives without the pool.
 */
export class VerifyPool {
  readonly size: number;
  #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  #queued = 0;
  #closed = false;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 1 || size > 256)
      throw new RangeError(`verify pool size must be an integer from 1 to 256, got ${String(size)}`);
    this.size = size;
  }

  /** Threads running now (none before first use and after close). */
  get threads(): number {
    return this.#workers.length;
  }

  /**
   * Whether the threads still owe verdicts. Threads that have not answered the last batch have
   * no core to spare (or too much to do): a caller with a small batch does better verifying it
   * inline than queueing it behind (the message costs then buy nothing).
   */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Signatures sent to the threads and not yet answered. */
  get queued(): number {
    return this.#queued;
  }

  /** Verify `jobs`; one verdict each, in order. Never rejects: a failure (or a job not in hex of the right lengths) reads as "not verified". */
  async verify(jobs: readonly SignatureJob[]): Promise<boolean[]> {
    const verdicts = new Array<boolean>(jobs.length).fill(false);
    if (this.#closed || jobs.length === 0) return verdicts;
    // Only well-formed jobs go to the threads; `at` maps each back to its place.
    const texts: string[] = [];
    const at: number[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const j = jobs[i] as SignatureJob;
      const text = `${j.sender}${j.signature}${j.id}`;
      if (JOB.test(text) && j.sender.length === 64 && j.signature.length === 128) {
        texts.push(text);
        at.push(i);
      }
    }
    if (texts.length === 0) return verdicts;
    this.#start();
    const per = Math.ceil(texts.length / this.#workers.length);
    const parts: Promise<void>[] = [];
    for (let w = 0, from = 0; from < texts.length; w++, from += per) {
      const base = from;
      const part = texts.slice(from, from + per);
      this.#queued += part.length;
      parts.push(
        this.#send(this.#workers[w] as Worker, part.join(''))
          .then(
            (out) => {
              for (let i = 0; i < out.length; i++) verdicts[at[base + i] as number] = out[i] === 1;
            },
            () => undefined,
          )
          .finally(() => (this.#queued -= part.length)),
      );
    }
    await Promise.all(parts);
    return verdicts;
  }

  /** Stop every thread; later calls verify nothing. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers;
    this.#workers = [];
    this.#failAll(new Error('verify pool closed'));
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #start(): void {
    while (this.#workers.length < this.size) {
      const w = new Worker(THREAD, { eval: true });
      w.unref(); // never what keeps a process alive
      w.on('message', (m: { seq: number; out: Uint8Array }) => {
        const p = this.#pending.get(m.seq);
        this.#pending.delete(m.seq);
        p?.resolve(m.out);
      });
      const gone = (err: Error): void => {
        this.#workers = this.#workers.filter((x) => x !== w);
        this.#failAll(err); // a thread lost: what was asked of it reads as "not verified"
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`verify thread exited with code ${code}`)));
      this.#workers.push(w);
    }
  }

  #send(w: Worker, jobs: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const seq = ++this.#seq;
      this.#pending.set(seq, { resolve, reject });
      w.postMessage({ seq, jobs });
    });
  }

  #failAll(err: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(err);
  }
}
