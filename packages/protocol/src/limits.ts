/** Default largest frame body `L` (docs/spec.md §5: 16 MiB). */
export const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;

/** Bytes of the length header in front of every frame. */
export const HEADER_BYTES = 4;

/** Bytes of the opcode at the start of every frame body. */
export const OPCODE_BYTES = 2;

/** Bounds applied while decoding payloads. */
export interface PayloadLimits {
  /** Deepest nesting of arrays and objects anywhere in a payload. */
  readonly maxDepth: number;
  /** Longest free-text string (`message` fields). */
  readonly maxText: number;
  /** Most entries in an `hb` locator. */
  readonly maxLocator: number;
  /** Longest `listen` address (`host:port`). */
  readonly maxListen: number;
  /** Most keys of a block or transaction object carried inside a payload. */
  readonly maxObjectKeys: number;
  /** Most blocks in an `hb` reply (docs/spec.md §5: 500). */
  readonly maxHbBlocks: number;
  /** Most pool transactions in an `hb` reply (docs/spec.md §5: 1000). */
  readonly maxHbPool: number;
  /** Most transaction ids in an `ia`, `gt` or `hi` (version 1.2). */
  readonly maxIds: number;
  /** Most transactions in a `tb`, `bt` or `gt` reply (version 1.2). */
  readonly maxTxBatch: number;
  /** Most short ids of a compact block (`cb`): the largest block a network allows. */
  readonly maxShortIds: number;
  /** Most headers in a `gh` reply (version 1.2). */
  readonly maxHeaders: number;
  /** Most hashes in a `gb` request and blocks in its reply (version 1.2). */
  readonly maxGetBlocks: number;
}

/** The bounds used unless a caller overrides them. */
export const DEFAULT_LIMITS: PayloadLimits = Object.freeze({
  maxDepth: 64,
  maxText: 1024,
  maxLocator: 64,
  maxListen: 270,
  maxObjectKeys: 32,
  maxHbBlocks: 500,
  maxHbPool: 1000,
  maxIds: 1000,
  maxTxBatch: 1000,
  maxShortIds: 10000,
  maxHeaders: 2000,
  maxGetBlocks: 500,
});
