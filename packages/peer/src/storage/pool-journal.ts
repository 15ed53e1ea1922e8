import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transaction } from '@chain/core';
import { RecordFile, StorageCorruptionError, encodeRecord, type TornTail } from './record-file';

/**
 * `pool.log`: the journal of transactions this peer admitted to its pool, one
 * checksummed JSON record each, appended before `Accepted` is sent. On start
 * the journal is replayed through the admission rules (transactions now in the
 * chain or stale drop out), and it is compacted to the live pool when it holds
 * many more records than the pool.
 */
export class PoolJournal {
  readonly path: string;
  readonly #dir: string;
  #file: RecordFile;
  #records: number;
  #gate: Promise<void> = Promise.resolve();

  private constructor(dir: string, path: string, file: RecordFile, records: number) {
    this.#dir = dir;
    this.path = path;
    this.#file = file;
    this.#records = records;
  }

  /** Open the journal in `dir`; returns the journaled transactions in order. */
  static async open(dir: string): Promise<{ journal: PoolJournal; transactions: unknown[]; torn: TornTail | null }> {
    const path = join(dir, 'pool.log');
    await rm(`${path}.tmp`, { force: true });
    const transactions: unknown[] = [];
    const { file, torn } = await RecordFile.open(path, (payload, offset) => {
      try {
        transactions.push(JSON.parse(payload.toString('utf8')));
      } catch {
        throw new StorageCorruptionError(path, offset, 'transaction JSON does not parse');
      }
    });
    return { journal: new PoolJournal(dir, path, file, transactions.length), transactions, torn };
  }

  /** Records in the journal (live or not). */
  get records(): number {
    return this.#records;
  }

  /** fdatasync calls of the current journal file. */
  get syncs(): number {
    return this.#file.syncs;
  }

  /** Append a transaction; resolves once it is durable. */
  async append(tx: Transaction): Promise<void> {
    await this.#gate;
    this.#records++;
    await this.#file.append(Buffer.from(JSON.stringify(tx), 'utf8')).durable;
  }

  /** Rewrite the journal to hold exactly `live`, atomically (write, fsync, rename). */
  compact(live: readonly Transaction[]): Promise<void> {
    const run = this.#gate.then(async () => {
      await this.#file.close();
      const tmp = `${this.path}.tmp`;
      const fh = await open(tmp, 'w');
      try {
        const body = Buffer.concat(live.map((tx) => encodeRecord(Buffer.from(JSON.stringify(tx), 'utf8'))));
        await fh.write(body, 0, body.length, 0);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
      const dir = await open(this.#dir, 'r');
      await dir.sync().finally(() => dir.close());
      const { file } = await RecordFile.open(this.path, () => undefined);
      this.#file = file;
      this.#records = live.length;
    });
    this.#gate = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#gate;
    await this.#file.close();
  }
}
