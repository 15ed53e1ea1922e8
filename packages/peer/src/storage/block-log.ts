import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createMetaLog, metaOf, type Block, type BlockStore, type MetaLog, type StoredMetas } from '@chain/core';
import { RECORD_HEADER, RecordFile, StorageCorruptionError, type TornTail } from './record-file';
import { rowsToReserve } from './row-reserve';
import { BlockCache } from './block-cache';

/**
 * The durable {@link BlockStore}: `blocks.log`, an append-only file of
 * checksummed records, one per validated block. Each record starts with the
 * block's meta in binary (so that opening needs no JSON parsing) followed by the
 * block's JSON:
 *
 *     u8 version=1 │ 32 B hash │ 32 B previousHash │ f64 index │ f64 timestamp │ f64 proof │ u32 txCount │ JSON
 *
 * Only blocks this peer validated are ever appended, so a restart trusts them
 * and verifies no signature again.
 */

const VERSION = 1;
const META_BYTES = 1 + 32 + 32 + 8 + 8 + 8 + 4;
/** Default budget of the read cache: JSON bytes of the blocks kept parsed. */
export const DEFAULT_CACHE_BYTES = 4 * 1024 * 1024;

export interface DiskBlockStoreOptions {
  /** Bytes of block JSON the read cache keeps parsed (default 4 MiB; 0: no cache). */
  readonly cacheBytes?: number;
}

export function encodeBlockRecord(block: Block): Buffer {
  const json = Buffer.from(JSON.stringify(block), 'utf8');
  const out = Buffer.allocUnsafe(META_BYTES + json.length);
  out.writeUInt8(VERSION, 0);
  out.write(block.currentHash, 1, 32, 'hex');
  out.write(block.previousHash, 33, 32, 'hex');
  out.writeDoubleBE(block.index, 65);
  out.writeDoubleBE(block.timestamp, 73);
  out.writeDoubleBE(block.proof, 81);
  out.writeUInt32BE(block.transactions.length, 89);
  json.copy(out, META_BYTES);
  return out;
}

/** `a`, or a copy twice as large when it has no room for `n` values (`exact`: of `n` values). */
function withRoom(a: Float64Array, n: number, exact = false): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(exact ? n : Math.max(1024, 2 * a.length, n));
  b.set(a);
  return b;
}

export class DiskBlockStore implements BlockStore {
  readonly path: string;
  /** The torn last record cut off at open, if any. */
  readonly torn: TornTail | null;
  readonly #file: RecordFile;
  /** Every stored block's meta in file order, in compact form; row r's record is at #offsets[r]. */
  readonly #metas: MetaLog;
  #offsets: Float64Array;
  readonly #pending = new Map<string, Block>();
  /** Recently read or written blocks: the tip and its neighbourhood are read again and again. */
  readonly #cache: BlockCache;

  private constructor(path: string, file: RecordFile, metas: MetaLog, offsets: Float64Array, torn: TornTail | null, cacheBytes: number) {
    this.path = path;
    this.#cache = new BlockCache(cacheBytes);
    this.#file = file;
    this.#metas = metas;
    this.#offsets = offsets;
    this.torn = torn;
  }

  /** Open the block log in `dir` (created if missing). */
  static async open(dir: string, options: DiskBlockStoreOptions = {}): Promise<DiskBlockStore> {
    const cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
    if (!Number.isSafeInteger(cacheBytes) || cacheBytes < 0)
      throw new RangeError(`cacheBytes must be a whole number of bytes, got ${String(cacheBytes)}`);
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'blocks.log');
    const metas = createMetaLog();
    let offsets: Float64Array = new Float64Array(0);
    let reserved = 0;
    const { file, torn } = await RecordFile.open(path, (payload, offset, fileSize) => {
      if (payload.length < META_BYTES || payload[0] !== VERSION) throw new StorageCorruptionError(path, offset, 'not a block record');
      if (metas.rowOfBytes(payload, 1) >= 0) return;
      if (metas.length >= reserved) {
        // Room for about the whole log at once (from its size), not a doubling at a time.
        reserved = rowsToReserve(metas.length + 1, offset + RECORD_HEADER + payload.length, fileSize, reserved);
        metas.reserve(reserved);
        offsets = withRoom(offsets, reserved, true);
      }
      const row = metas.pushBytes(
        payload,
        1,
        payload,
        33,
        payload.readDoubleBE(65),
        payload.readDoubleBE(73),
        payload.readDoubleBE(81),
        payload.readUInt32BE(89),
      );
      offsets[row] = offset;
    });
    return new DiskBlockStore(path, file, metas, offsets, torn, cacheBytes);
  }

  get size(): number {
    return this.#metas.length;
  }

  async put(block: Block): Promise<void> {
    const hash = block.currentHash;
    if (this.#metas.rowOf(hash) >= 0) return;
    const record = encodeBlockRecord(block);
    const { offset, durable } = this.#file.append(record);
    this.#pending.set(hash, block);
    try {
      await durable;
    } finally {
      this.#pending.delete(hash);
    }
    if (this.#metas.rowOf(hash) < 0) {
      const row = this.#metas.push(metaOf(block));
      this.#offsets = withRoom(this.#offsets, row + 1);
      this.#offsets[row] = offset;
    }
    this.#cache.set(hash, block, record.length - META_BYTES);
  }

  /** Blocks and JSON bytes in the read cache. */
  get cached(): { readonly blocks: number; readonly bytes: number } {
    return { blocks: this.#cache.size, bytes: this.#cache.bytes };
  }

  async get(hash: string): Promise<Block | undefined> {
    const hit = this.#cache.get(hash) ?? this.#pending.get(hash);
    if (hit) return hit;
    const row = this.#metas.rowOf(hash);
    if (row < 0) return undefined;
    const offset = this.#offsets[row] as number;
    // The next row's record mostly follows this one: their distance is this record's size.
    const next = row + 1 < this.#metas.length ? (this.#offsets[row + 1] as number) : this.#file.size;
    const payload = await this.#file.read(offset, next - offset);
    let block: Block;
    try {
      block = JSON.parse(payload.toString('utf8', META_BYTES)) as Block;
    } catch {
      throw new StorageCorruptionError(this.path, offset, 'block JSON does not parse');
    }
    this.#cache.set(hash, block, payload.length - META_BYTES);
    return block;
  }

  async metas(): Promise<StoredMetas> {
    return this.#metas;
  }

  async close(): Promise<void> {
    await this.#file.close();
  }
}
