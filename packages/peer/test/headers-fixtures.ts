import {
  ChainState,
  createClassicTransaction,
  createGenesis,
  createTemplate,
  headerOf,
  identifyBlock,
  meetsDifficulty,
  metaOf,
  powHash,
  sealBlock,
  txId,
  type Block,
  type BlockHeader,
  type NetworkParams,
} from '@chain/core';
import type { TransportClient } from '@chain/net';
import type { GbReply, GhReply } from '@chain/protocol';
import { mineTemplate } from '@chain/testkit';
import { Neighbour } from '../src/neighbours';
import { NET } from './helpers';

/** The header of each block (its identity computed as a receiver would). */
export function headersOf(blocks: readonly Block[], params: NetworkParams = NET): BlockHeader[] {
  const genesisHash = createGenesis(params).currentHash;
  return blocks.map((b) => {
    const id = identifyBlock(b, params, genesisHash);
    if (!id.ok) throw new Error(`not a block: ${id.message}`);
    return headerOf(id.block, id.txIds, params.txFormat);
  });
}

let serial = 0;

/** A block on `parent` whose hash is right and whose proof of work fails. */
export function badProofOn(parent: Block, params: NetworkParams = NET): Block {
  const genesisHash = createGenesis(params).currentHash;
  const timestamp = parent.timestamp + 1;
  const tx = createClassicTransaction('abcd1234', { content: `bad${++serial}`, timestamp });
  const t = createTemplate(metaOf(parent), [tx], [txId(genesisHash, tx)], timestamp, params.txFormat);
  for (let proof = 0; ; proof++) {
    const h = powHash({ rule: params.pow, templateHash: t.templateHash, proof, previousProof: t.previousProof });
    if (!meetsDifficulty(h, params.difficulty)) return sealBlock(t, proof);
  }
}

/** A block on `parent` whose header holds (the proof of work included) and whose transaction lies outside its window. */
export function badBodyOn(parent: Block, params: NetworkParams = NET): Block {
  const genesisHash = createGenesis(params).currentHash;
  const timestamp = parent.timestamp + 1;
  const tx = createClassicTransaction('abcd1234', { content: `late${++serial}`, timestamp: timestamp + 10 });
  return mineTemplate(params, createTemplate(metaOf(parent), [tx], [txId(genesisHash, tx)], timestamp, params.txFormat));
}

export async function chainWith(blocks: readonly Block[], params: NetworkParams = NET): Promise<ChainState> {
  const chain = await ChainState.open({ params });
  const added = await chain.addBlocks(blocks, Date.now());
  if (!added.every((r) => r.ok)) throw new Error('a block of the fixture was refused');
  return chain;
}

/** What a fake 1.2 neighbour was asked and sent. */
export interface Served {
  gh: number;
  gb: number;
  /** Blocks sent in `gb` replies. */
  blocks: number;
}

/**
 * A neighbour on a 1.2 connection whose `gh` and `gb` are answered from `blocks` (a chain on the
 * genesis, valid or not), as a server would: headers after the first locator hash it has, the
 * asked blocks it has in order. `gb` may be replaced (to hang, to lie).
 */
export function fakeNeighbour(
  address: string,
  blocks: readonly Block[],
  options: {
    readonly gb?: (hashes: readonly string[], served: Served) => Promise<GbReply>;
    readonly params?: NetworkParams;
    /** The height it claims (default its chain's). */
    readonly height?: number;
  } = {},
) {
  const params = options.params ?? NET;
  const genesis = createGenesis(params);
  const headers = headersOf(blocks, params);
  const heightOf = new Map<string, number>([[genesis.currentHash, 1], ...blocks.map((b, i): [string, number] => [b.currentHash, i + 2])]);
  const byHash = new Map(blocks.map((b) => [b.currentHash, b]));
  const served: Served = { gh: 0, gb: 0, blocks: 0 };
  const height = options.height ?? blocks.length + 1;
  const answer = async (op: string, payload: { locator: string[]; limit: number; hashes: string[] }): Promise<unknown> => {
    await new Promise((r) => setImmediate(r));
    if (op === 'gh') {
      served.gh++;
      const at = payload.locator.map((h) => heightOf.get(h)).find((h) => h !== undefined) as number;
      return { height, headers: headers.slice(at - 1, at - 1 + payload.limit) } satisfies GhReply;
    }
    if (op === 'gb') {
      served.gb++;
      if (options.gb) return options.gb(payload.hashes, served);
      const out = payload.hashes.map((h) => byHash.get(h)).filter((b): b is Block => b !== undefined);
      served.blocks += out.length;
      return { blocks: out } satisfies GbReply;
    }
    throw new Error(`unexpected ${op}`);
  };
  const client = { request: answer } as unknown as TransportClient;
  const n = new Neighbour(address, true, client);
  n.state = 'open';
  n.version = '1.2';
  n.height = height;
  n.tip = blocks[blocks.length - 1]?.currentHash ?? genesis.currentHash;
  return { n, served, headers };
}
