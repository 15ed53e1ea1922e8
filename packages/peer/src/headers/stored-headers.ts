import {
  LruCache,
  createGenesis,
  headerOf,
  identifyBlock,
  type Block,
  type BlockHeader,
  type BlockMeta,
  type BlockStore,
  type ChainState,
  type NetworkParams,
} from '@chain/core';
import { DiskBlockStore } from '../storage/block-log';

/** Roots computed from whole blocks (records that do not keep theirs), remembered at most. */
const COMPUTED_ROOTS = 4096;

/**
 * The txRoot of a block of `params`: one hash over its leaves, the ids coming from the identity a
 * checked block remembers (a block the chain validated is not hashed again).
 */
export function txRootFor(params: NetworkParams): (block: Block) => string | null {
  const genesisHash = createGenesis(params).currentHash;
  return (block) => {
    const id = identifyBlock(block, params, genesisHash);
    return id.ok ? headerOf(id.block, id.txIds, params.txFormat).txRoot : null;
  };
}

/** Where the headers and sizes of stored blocks come from, reading as little as the store allows. */
export interface HeaderReader {
  /** The header of the stored block that `meta` describes; undefined when it is not stored. */
  header(meta: BlockMeta): Promise<BlockHeader | undefined>;
  /** At most the bytes of a stored block's JSON, when known without reading the block. */
  jsonBytes(hash: string): number | undefined;
}

/**
 * Headers from the block log's record metas (a few bytes read per header, no block parsed); for
 * records that lack the txRoot (an older log) and for a store in memory, from the block itself.
 */
export function headerReader(chain: ChainState, store: BlockStore): HeaderReader {
  const rootOf = txRootFor(chain.params);
  const disk = store instanceof DiskBlockStore ? store : null;
  const computed = new LruCache<string, string>(COMPUTED_ROOTS);
  const fromBlock = async (hash: string): Promise<string | undefined> => {
    const hit = computed.get(hash);
    if (hit !== undefined) return hit;
    const block = await chain.getBlock(hash);
    const root = block ? rootOf(block) : null;
    if (root === null) return undefined;
    if (disk) computed.set(hash, root); // a block in memory costs one hash: nothing to save
    return root;
  };
  return {
    async header(meta) {
      const root = (disk ? await disk.txRootOf(meta.hash) : null) ?? (await fromBlock(meta.hash));
      if (root === undefined) return undefined;
      return {
        index: meta.index,
        timestamp: meta.timestamp,
        previousHash: meta.previousHash,
        txRoot: root,
        proof: meta.proof,
        currentHash: meta.hash,
        txCount: meta.txCount,
      };
    },
    jsonBytes: (hash) => disk?.jsonBytesOf(hash),
  };
}
