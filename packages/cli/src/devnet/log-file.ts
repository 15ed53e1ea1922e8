import { closeSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where a devnet's logs go without `--log-file`: a new file in the system's temporary directory. */
export function defaultLogPath(now = new Date(), pid = process.pid): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return join(tmpdir(), `chain-peer-devnet-${stamp}-${pid}.log`);
}

/** A log file appended to line by line, synchronously: a line logged before a crash is in the file. */
export class LogFile {
  readonly path: string;
  #fd: number | null;

  /** Opens (creating or appending to) `path`; throws naming the file and `--log-file` when it cannot. */
  constructor(path: string) {
    this.path = resolve(path);
    try {
      this.#fd = openSync(this.path, 'a');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'no such directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
      throw new Error(`cannot write the log file ${this.path}: ${why}; choose another with --log-file`);
    }
  }

  write(line: string): void {
    if (this.#fd !== null) writeSync(this.#fd, line);
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}
