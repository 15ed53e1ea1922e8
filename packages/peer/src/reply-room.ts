import type { Block } from '@chain/core';

/** Room kept in a reply frame for everything but its blocks, headers or transactions. */
export const FRAME_MARGIN = 4096;

/** Blocks a reply carries, and their bytes of JSON (separators included). */
export interface BlocksWithin {
  readonly blocks: Block[];
  readonly bytes: number;
}

/** Bytes of `value` as JSON. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** The bytes a reply may still take for its items: each item's JSON and one separator. */
export class ReplyRoom {
  #bytes = 0;

  constructor(readonly room: number) {}

  /** Bytes counted so far, separators included. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether an item of `size` bytes of JSON still fits. */
  has(size: number): boolean {
    return this.#bytes + size + 1 <= this.room;
  }

  /** Count an item of `size` bytes of JSON if it still fits; false, counting nothing, if not. */
  take(size: number): boolean {
    if (!this.has(size)) return false;
    this.#bytes += size + 1;
    return true;
  }
}
