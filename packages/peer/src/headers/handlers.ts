import type { Block, BlockHeader, BlockMeta, ChainState } from '@chain/core';
import type { TransportServer } from '@chain/net';
import { ProtocolError, type GbReply, type GhReply } from '@chain/protocol';
import { FRAME_MARGIN, ReplyRoom, jsonBytes, type BlocksWithin } from '../reply-room';
import type { UploadBudget } from '../upload-budget';
import type { HeaderReader } from './stored-headers';

/** Record metas read at once while serving headers. */
const READ_AHEAD = 64;
/** A 64-hex stand-in for a txRoot: a header's JSON has the same length with the real one. */
const ROOT_PLACEHOLDER = '0'.repeat(64);

/** What serving `gh` and `gb` needs. */
export interface HeaderHandlerContext {
  readonly chain: ChainState;
  readonly maxFrame: number;
  /** Bytes each connection may still be sent (shared with `hb` and `pb`). */
  readonly upload: UploadBudget;
  readonly reader: HeaderReader;
}

/**
 * Headers of best-chain blocks from height `from`, `limit` at most, while their JSON fits in
 * `room` bytes: sized from the metas in memory before anything is read, then only the txRoots of
 * those sent are read (a few bytes of each record).
 */
export async function headersWithin(
  chain: ChainState,
  reader: HeaderReader,
  from: number,
  limit: number,
  room: number,
): Promise<{ readonly headers: BlockHeader[]; readonly bytes: number }> {
  const metas: BlockMeta[] = [];
  const space = new ReplyRoom(room);
  for (let h = Math.max(2, from); h <= chain.height && metas.length < limit; h++) {
    const meta = chain.meta(chain.hashAt(h) as string) as BlockMeta;
    if (!space.take(jsonBytes(toHeader(meta, ROOT_PLACEHOLDER)))) break;
    metas.push(meta);
  }
  const bytes = space.bytes;
  const headers: BlockHeader[] = [];
  for (let i = 0; i < metas.length; i += READ_AHEAD) {
    const part = await Promise.all(metas.slice(i, i + READ_AHEAD).map((m) => reader.header(m)));
    for (const h of part) {
      if (!h) return { headers, bytes }; // not stored: never for a best-chain block
      headers.push(h);
    }
  }
  return { headers, bytes };
}

/**
 * The blocks of `hashes` this peer has, in the order asked, while their JSON fits in `room`
 * bytes: a block's size comes from the block log before it is read, so only what is sent is read
 * (a store that cannot tell reads a block and measures it, stopping at the first that does not fit).
 */
export async function askedWithin(chain: ChainState, reader: HeaderReader, hashes: readonly string[], room: number): Promise<BlocksWithin> {
  const blocks: Block[] = [];
  const space = new ReplyRoom(room);
  for (const hash of hashes) {
    if (chain.meta(hash) === undefined) continue;
    const known = reader.jsonBytes(hash);
    if (known !== undefined && !space.has(known)) break;
    const block = await chain.getBlock(hash);
    if (!block) continue;
    if (!space.take(known ?? jsonBytes(block))) break;
    blocks.push(block);
  }
  return { blocks, bytes: space.bytes };
}

function toHeader(meta: BlockMeta, txRoot: string): BlockHeader {
  return {
    index: meta.index,
    timestamp: meta.timestamp,
    previousHash: meta.previousHash,
    txRoot,
    proof: meta.proof,
    currentHash: meta.hash,
    txCount: meta.txCount,
  };
}

/** Serve `gh` and `gb` (protocol 1.2) within the frame and each connection's upload budget. */
export function registerHeaderHandlers(server: TransportServer, ctx: HeaderHandlerContext): void {
  const { chain, upload, reader } = ctx;
  const budget = ctx.maxFrame - FRAME_MARGIN;

  server.handle('gh', async (req, rc): Promise<GhReply> => {
    const fork = chain.findFork(req.locator);
    if (fork === null) throw new ProtocolError('wrong-network', 'no locator hash is on this chain, not even the genesis');
    const room = Math.min(budget, upload.allowance(rc.connectionId));
    const { headers, bytes } = await headersWithin(chain, reader, fork + 1, req.limit, room);
    upload.spend(rc.connectionId, bytes);
    return { height: chain.height, headers };
  });

  server.handle('gb', async (req, rc): Promise<GbReply> => {
    const room = Math.min(budget, upload.allowance(rc.connectionId));
    const { blocks, bytes } = await askedWithin(chain, reader, req.hashes, room);
    upload.spend(rc.connectionId, bytes);
    return { blocks };
  });
}
