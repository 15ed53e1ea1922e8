import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from './crc32';
import { ReadAhead } from './read-ahead';

/**
 * An append-only file of checksummed records:
 *
 *     u32 BE payload length │ u32 BE CRC-32 of payload │ payload
 *
 * Appends are group-committed: every append waiting while a write and its
 * fdatasync are under way goes out in the next single write and fdatasync, and
 * its promise resolves only once the bytes are durable.
 */

export const RECORD_HEADER = 8;
/** Records larger than this are corruption, not data. */
export const MAX_RECORD = 64 * 1024 * 1024;

/** A damaged file: names the file and the byte offset of the bad record. */
export class StorageCorruptionError extends Error {
  readonly file: string;
  readonly offset: number;
  constructor(file: string, offset: number, what: string) {
    super(`${file}: corrupt record at byte offset ${offset}: ${what}`);
    this.name = 'StorageCorruptionError';
    this.file = file;
    this.offset = offset;
  }
}

/** A torn last record, cut off when the file was opened. */
export interface TornTail {
  readonly file: string;
  readonly offset: number;
  readonly bytes: number;
}

export function encodeRecord(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(crc32(payload), 4);
  out.set(payload, RECORD_HEADER);
  return out;
}

interface Pending {
  readonly bytes: Buffer;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

const READ_CHUNK = 4 * 1024 * 1024;
/** The largest size hint {@link RecordFile.read} reads in one go. */
export const MAX_HINTED = 1024 * 1024;

export class RecordFile {
  readonly path: string;
  readonly #fh: FileHandle;
  #size: number;
  #durable: number;
  #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;
  #failed: Error | null = null;
  #syncs = 0;
  #closed = false;

  private constructor(path: string, fh: FileHandle, size: number) {
    this.path = path;
    this.#fh = fh;
    this.#size = size;
    this.#durable = size;
  }

  /**
   * Open (creating) a record file and visit every record in order, with the file's size. A torn
   * last record (cut short, or a failed checksum on the very last record, or zeros to the end) is
   * truncated and reported; any other damage throws a {@link StorageCorruptionError}. The file is
   * read in chunks of `chunkBytes` (4 MiB), the next one read while the visitor works through the
   * current one; a payload is a view of a reused buffer, valid only during its visit.
   */
  static async open(
    path: string,
    visit: (payload: Buffer, offset: number, fileSize: number) => void,
    opts: { readonly chunkBytes?: number } = {},
  ): Promise<{ file: RecordFile; torn: TornTail | null }> {
    const chunkBytes = opts.chunkBytes ?? READ_CHUNK;
    await (await open(path, 'a')).close(); // create if missing
    const fh = await open(path, 'r+');
    const { size } = await fh.stat().catch(async (err: unknown) => {
      await fh.close();
      throw err;
    });
    const ahead = new ReadAhead(fh, size, 0, chunkBytes);
    try {
      let offset = 0;
      let torn: TornTail | null = null;
      const zerosToEnd = async (from: number): Promise<boolean> => {
        const probe = Buffer.alloc(Math.min(size - from, READ_CHUNK));
        for (let at = from; at < size; at += probe.length) {
          const { bytesRead } = await fh.read(probe, 0, Math.min(probe.length, size - at), at);
          for (let i = 0; i < bytesRead; i++) if (probe[i] !== 0) return false;
        }
        return true;
      };
      while (offset < size) {
        while (ahead.end - offset < RECORD_HEADER && (await ahead.advance(offset)));
        if (ahead.end - offset < RECORD_HEADER) {
          torn = { file: path, offset, bytes: size - offset };
          break;
        }
        const head = offset - ahead.start;
        const length = ahead.buf.readUInt32BE(head);
        const sum = ahead.buf.readUInt32BE(head + 4);
        if (length === 0 || length > MAX_RECORD) {
          if (await zerosToEnd(offset)) {
            torn = { file: path, offset, bytes: size - offset };
            break;
          }
          throw new StorageCorruptionError(path, offset, `impossible record length ${length}`);
        }
        const end = offset + RECORD_HEADER + length;
        if (end > size) {
          torn = { file: path, offset, bytes: size - offset };
          break;
        }
        while (ahead.end < end && (await ahead.advance(offset)));
        const at = offset - ahead.start + RECORD_HEADER; // advance may have moved the window
        const payload = ahead.buf.subarray(at, at + length);
        if (payload.length < length) {
          torn = { file: path, offset, bytes: size - offset }; // the file shrank while it was read
          break;
        }
        if (crc32(payload) !== sum) {
          if (end === size) {
            torn = { file: path, offset, bytes: size - offset };
            break;
          }
          throw new StorageCorruptionError(path, offset, 'checksum mismatch');
        }
        visit(payload, offset, size);
        offset = end;
      }
      await ahead.settle();
      if (torn) await fh.truncate(torn.offset);
      if (torn) await fh.datasync();
      return { file: new RecordFile(path, fh, torn ? torn.offset : size), torn };
    } catch (err) {
      await ahead.settle();
      await fh.close();
      throw err;
    }
  }

  /** fdatasync calls made by appends so far (group commit makes it far fewer than appends). */
  get syncs(): number {
    return this.#syncs;
  }

  /** Bytes in the file, including appends not yet durable. */
  get size(): number {
    return this.#size;
  }

  /**
   * Append a record; returns its byte offset at once and a promise that
   * resolves when it is durable.
   */
  append(payload: Uint8Array): { offset: number; durable: Promise<void> } {
    if (this.#closed) this.#failed ??= new Error(`${this.path} is closed`);
    if (this.#failed) return { offset: -1, durable: Promise.reject(this.#failed) };
    const bytes = encodeRecord(payload);
    const offset = this.#size;
    this.#size += bytes.length;
    const durable = new Promise<void>((resolve, reject) => this.#queue.push({ bytes, resolve, reject }));
    if (!this.#flushing) this.#flushing = this.#flush();
    return { offset, durable };
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      const bytes = batch.length === 1 ? (batch[0] as Pending).bytes : Buffer.concat(batch.map((p) => p.bytes));
      try {
        let written = 0;
        while (written < bytes.length) {
          const r = await this.#fh.write(bytes, written, bytes.length - written, this.#durable + written);
          written += r.bytesWritten;
        }
        await this.#fh.datasync();
        this.#syncs++;
        this.#durable += bytes.length;
        for (const p of batch) p.resolve();
      } catch (err) {
        // Nothing after the last durable byte is kept: no partial state.
        this.#failed = new Error(`${this.path}: write failed: ${(err as Error).message}`);
        await this.#fh.truncate(this.#durable).catch(() => undefined);
        for (const p of [...batch, ...this.#queue]) p.reject(this.#failed);
        this.#queue = [];
        this.#size = this.#durable;
      }
    }
    this.#flushing = null;
  }

  /**
   * Read and check the record at `offset`. With `sizeHint`, the record's size with its header as
   * the caller expects it (up to `MAX_HINTED`), header and payload come in one read when the
   * record fits in it; otherwise, or without a hint, the header is read first.
   */
  async read(offset: number, sizeHint = 0): Promise<Buffer> {
    if (sizeHint > RECORD_HEADER && sizeHint <= MAX_HINTED) {
      const buf = Buffer.allocUnsafe(sizeHint);
      const { bytesRead } = await this.#fh.read(buf, 0, sizeHint, offset);
      const length = bytesRead >= RECORD_HEADER ? buf.readUInt32BE(0) : 0;
      if (length > 0 && RECORD_HEADER + length <= bytesRead)
        return this.#checked(offset, buf.subarray(RECORD_HEADER, RECORD_HEADER + length), buf.readUInt32BE(4));
    }
    const head = Buffer.allocUnsafe(RECORD_HEADER);
    await this.#fh.read(head, 0, RECORD_HEADER, offset);
    const length = head.readUInt32BE(0);
    if (length === 0 || length > MAX_RECORD) throw new StorageCorruptionError(this.path, offset, `impossible record length ${length}`);
    const payload = Buffer.allocUnsafe(length);
    const { bytesRead } = await this.#fh.read(payload, 0, length, offset + RECORD_HEADER);
    if (bytesRead !== length) throw new StorageCorruptionError(this.path, offset, 'checksum mismatch');
    return this.#checked(offset, payload, head.readUInt32BE(4));
  }

  /**
   * The first `bytes` of the payload of the record at `offset` (fewer when the record is shorter),
   * read without the rest and so without its checksum: for fields at the front of a record whose
   * checksum was checked when the file was opened or the record appended.
   */
  async readPrefix(offset: number, bytes: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(RECORD_HEADER + bytes);
    const { bytesRead } = await this.#fh.read(buf, 0, buf.length, offset);
    const length = bytesRead >= RECORD_HEADER ? buf.readUInt32BE(0) : 0;
    if (length === 0 || length > MAX_RECORD) throw new StorageCorruptionError(this.path, offset, `impossible record length ${length}`);
    return buf.subarray(RECORD_HEADER, Math.min(bytesRead, RECORD_HEADER + length));
  }

  #checked(offset: number, payload: Buffer, sum: number): Buffer {
    if (crc32(payload) !== sum) throw new StorageCorruptionError(this.path, offset, 'checksum mismatch');
    return payload;
  }

  /** Wait for pending appends, then close. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#flushing) await this.#flushing;
    await this.#fh.close();
  }
}
