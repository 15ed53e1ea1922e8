import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Block, BlockMeta, BlockStore } from '@chain/core';
import { RecordFile, StorageCorruptionError, type TornTail } from './record-file';

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
const CACHE_BLOCKS = 512;

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

function decodeMeta(payload: Buffer): BlockMeta | null {
  if (payload.length < META_BYTES || payload[0] !== VERSION) return null;
  return {
    hash: payload.toString('hex', 1, 33),
    previousHash: payload.toString('hex', 33, 65),
    index: payload.readDoubleBE(65),
    timestamp: payload.readDoubleBE(73),
    proof: payload.readDoubleBE(81),
    txCount: payload.readUInt32BE(89),
  };
}

export class DiskBlockStore implements BlockStore {
  readonly path: string;
  /** The torn last record cut off at open, if any. */
  readonly torn: TornTail | null;
  readonly #file: RecordFile;
  readonly #metas: BlockMeta[];
  readonly #offsets: Map<string, number>;
  readonly #pending = new Map<string, Block>();
  readonly #cache = new Map<string, Block>();

  private constructor(path: string, file: RecordFile, metas: BlockMeta[], offsets: Map<string, number>, torn: TornTail | null) {
    this.path = path;
    this.#file = file;
    this.#metas = metas;
    this.#offsets = offsets;
    this.torn = torn;
  }

  /** Open the block log in `dir` (created if missing). */
  static async open(dir: string): Promise<DiskBlockStore> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'blocks.log');
    const metas: BlockMeta[] = [];
    const offsets = new Map<string, number>();
    const { file, torn } = await RecordFile.open(path, (payload, offset) => {
      const meta = decodeMeta(payload);
      if (!meta) throw new StorageCorruptionError(path, offset, 'not a block record');
      if (offsets.has(meta.hash)) return;
      offsets.set(meta.hash, offset);
      metas.push(meta);
    });
    return new DiskBlockStore(path, file, metas, offsets, torn);
  }

  get size(): number {
    return this.#offsets.size;
  }

  async put(block: Block): Promise<void> {
    const hash = block.currentHash;
    if (this.#offsets.has(hash)) return;
    const { offset, durable } = this.#file.append(encodeBlockRecord(block));
    this.#pending.set(hash, block);
    try {
      await durable;
    } finally {
      this.#pending.delete(hash);
    }
    this.#offsets.set(hash, offset);
    this.#metas.push({
      hash,
      previousHash: block.previousHash,
      index: block.index,
      timestamp: block.timestamp,
      proof: block.proof,
      txCount: block.transactions.length,
    });
    this.#remember(hash, block);
  }

  async get(hash: string): Promise<Block | undefined> {
    const hit = this.#cache.get(hash) ?? this.#pending.get(hash);
    if (hit) return hit;
    const offset = this.#offsets.get(hash);
    if (offset === undefined) return undefined;
    const payload = await this.#file.read(offset);
    let block: Block;
    try {
      block = JSON.parse(payload.toString('utf8', META_BYTES)) as Block;
    } catch {
      throw new StorageCorruptionError(this.path, offset, 'block JSON does not parse');
    }
    this.#remember(hash, block);
    return block;
  }

  async metas(): Promise<readonly BlockMeta[]> {
    return this.#metas;
  }

  async close(): Promise<void> {
    await this.#file.close();
  }

  #remember(hash: string, block: Block): void {
    if (this.#cache.size >= CACHE_BLOCKS) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(hash, block);
  }
}
