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
 *     u8 version=2 │ 32 B hash │ 32 B previousHash │ f64 index │ f64 timestamp │ f64 proof │ u32 txCount │ 32 B txRoot │ JSON
 *
 * Version 1 records (written before the txRoot was kept, or by a store given no way to compute
 * it) lack the txRoot and are read as they are. Only blocks this peer validated are ever
 * appended, so a restart trusts them and verifies no signature again.
 */

/** The meta of a version 1 record: everything but the txRoot. */
const META_V1 = 1 + 32 + 32 + 8 + 8 + 8 + 4;
/** The meta of a version 2 record: the txRoot follows, so a header is read without the block. */
const META_V2 = META_V1 + 32;
const META_BYTES: Readonly<Record<number, number>> = { 1: META_V1, 2: META_V2 };
/** Default budget of the read cache: JSON bytes of the blocks kept parsed. */
export const DEFAULT_CACHE_BYTES = 4 * 1024 * 1024;

export interface DiskBlockStoreOptions {
  /** Bytes of block JSON the read cache keeps parsed (default 4 MiB; 0: no cache). */
  readonly cacheBytes?: number;
  /**
   * The txRoot of a block being stored (it needs the network: ids commit to the genesis), kept in
   * its record so that headers are served without reading blocks; without it records are version 1.
   */
  readonly txRoot?: (block: Block) => string | null;
}

/** A block's record payload: version 2 with its `txRoot` (64 hex), version 1 without. */
export function encodeBlockRecord(block: Block, txRoot?: string | null): Buffer {
  const json = Buffer.from(JSON.stringify(block), 'utf8');
  const meta = txRoot ? META_V2 : META_V1;
  const out = Buffer.allocUnsafe(meta + json.length);
  out.writeUInt8(txRoot ? 2 : 1, 0);
  out.write(block.currentHash, 1, 32, 'hex');
  out.write(block.previousHash, 33, 32, 'hex');
  out.writeDoubleBE(block.index, 65);
  out.writeDoubleBE(block.timestamp, 73);
  out.writeDoubleBE(block.proof, 81);
  out.writeUInt32BE(block.transactions.length, 89);
  if (txRoot) out.write(txRoot, META_V1, 32, 'hex');
  json.copy(out, meta);
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
  readonly #txRoot: ((block: Block) => string | null) | undefined;

  private constructor(
    path: string,
    file: RecordFile,
    metas: MetaLog,
    offsets: Float64Array,
    torn: TornTail | null,
    options: DiskBlockStoreOptions & { cacheBytes: number },
  ) {
    this.path = path;
    this.#cache = new BlockCache(options.cacheBytes);
    this.#txRoot = options.txRoot;
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
      const meta = META_BYTES[payload[0] as number];
      if (meta === undefined || payload.length < meta) throw new StorageCorruptionError(path, offset, 'not a block record');
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
    return new DiskBlockStore(path, file, metas, offsets, torn, { ...options, cacheBytes });
  }

  get size(): number {
    return this.#metas.length;
  }

  async put(block: Block): Promise<void> {
    const hash = block.currentHash;
    if (this.#metas.rowOf(hash) >= 0) return;
    const record = encodeBlockRecord(block, this.#txRoot?.(block));
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
    this.#cache.set(hash, block, record.length - (META_BYTES[record[0] as number] as number));
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
    const meta = META_BYTES[payload[0] as number] ?? META_V1;
    let block: Block;
    try {
      block = JSON.parse(payload.toString('utf8', meta)) as Block;
    } catch {
      throw new StorageCorruptionError(this.path, offset, 'block JSON does not parse');
    }
    this.#cache.set(hash, block, payload.length - meta);
    return block;
  }

  /**
   * The txRoot of a stored block, read from its record's meta alone (no block is read or parsed):
   * null when its record has none (version 1), undefined when the block is not stored.
   */
  async txRootOf(hash: string): Promise<string | null | undefined> {
    const row = this.#metas.rowOf(hash);
    if (row < 0) return undefined;
    const offset = this.#offsets[row] as number;
    const meta = await this.#file.readPrefix(offset, META_V2);
    if (meta[0] !== 2 || meta.length < META_V2) return null;
    return meta.toString('hex', META_V1, META_V2);
  }

  /**
   * At most the bytes of a stored block's JSON, known without reading it (from where the next
   * record starts); undefined when the block is not stored.
   */
  jsonBytesOf(hash: string): number | undefined {
    const row = this.#metas.rowOf(hash);
    if (row < 0) return undefined;
    const offset = this.#offsets[row] as number;
    const next = row + 1 < this.#metas.length ? (this.#offsets[row + 1] as number) : this.#file.size;
    return next - offset - RECORD_HEADER - META_V1;
  }

  async metas(): Promise<StoredMetas> {
    return this.#metas;
  }

  async close(): Promise<void> {
    await this.#file.close();
  }
}
