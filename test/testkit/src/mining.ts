import {
  MAX_PROOF,
  createTemplate,
  findProof,
  hashMeetsTarget,
  metaOf,
  powHash,
  sealBlock,
  txId,
  type Block,
  type BlockTemplate,
  type NetworkParams,
  type PowRule,
  type Transaction,
} from '@chain/core';

/** What `gp` (or a work manager's `describe()`) says to mine. */
export interface WorkDescription {
  readonly pow: PowRule;
  readonly templateHash: string | null;
  readonly previousProof: number;
  readonly difficulty: number;
  /** The target of a retargeting network's block (docs/spec.md §9.6), which replaces the difficulty. */
  readonly target?: string;
}

/** A proof for the template described (the reference search); throws when there is nothing to mine. */
export function proofFor(work: WorkDescription): number {
  if (!work.templateHash) throw new Error('nothing to mine');
  const proof = findProof({
    rule: work.pow,
    templateHash: work.templateHash,
    previousProof: work.previousProof,
    difficulty: work.difficulty,
    ...(work.target === undefined ? {} : { target: work.target }),
  });
  if (proof === null) throw new Error(`no proof for template ${work.templateHash}`);
  return proof;
}

/** The block of `template` sealed with the smallest proof from 0 under `params` (the reference search). */
export function mineTemplate(params: NetworkParams, template: BlockTemplate): Block {
  return sealBlock(
    template,
    proofFor({
      pow: params.pow,
      templateHash: template.templateHash,
      previousProof: template.previousProof,
      difficulty: params.difficulty,
    }),
  );
}

/**
 * The block of `template` sealed with the smallest proof from 0 whose hash is at most `target`
 * (a 256-bit target, docs/spec.md §9.2): the reference search, for any target.
 */
export function mineToTarget(params: NetworkParams, template: BlockTemplate, target: bigint): Block {
  for (let proof = 0; proof <= MAX_PROOF; proof++) {
    const h = powHash({ rule: params.pow, templateHash: template.templateHash, proof, previousProof: template.previousProof });
    if (hashMeetsTarget(h, target)) return sealBlock(template, proof);
  }
  throw new Error(`no proof for template ${template.templateHash}`);
}

/** The template of the block on `parent` holding `txs` (ids under `genesisHash`), at `timestamp` or the parent's if later. */
export function templateOn(
  params: NetworkParams,
  genesisHash: string,
  parent: Block,
  txs: readonly Transaction[],
  timestamp: number,
): BlockTemplate {
  const ids = txs.map((tx) => txId(genesisHash, tx));
  return createTemplate(metaOf(parent), txs, ids, Math.max(timestamp, parent.timestamp), params.txFormat);
}

/** The valid block on `parent` holding `txs`, mined offline with the reference search ({@link templateOn}). */
export function blockOn(params: NetworkParams, genesisHash: string, parent: Block, txs: readonly Transaction[], timestamp: number): Block {
  return mineTemplate(params, templateOn(params, genesisHash, parent, txs, timestamp));
}

/**
 * Mine one block at a peer over the wire (`gp`, the reference search, `up`);
 * asks again when the template changed in between. Returns the block.
 */
export async function mineAt(port: number, host = '127.0.0.1'): Promise<Block> {
  // Loaded here, not at the top: suites that never mine over the wire need not load @chain/net.
  const { request } = await import('@chain/net');
  for (let attempt = 0; attempt < 20; attempt++) {
    const work = await request(host, port, 'gp', undefined, { timeoutMs: 5000 });
    if (!work.templateHash) throw new Error('nothing to mine');
    const proof = proofFor(work);
    const reply = await request(host, port, 'up', { proof, templateHash: work.templateHash }, { timeoutMs: 5000 });
    if (reply.status === 'Reward') return reply.block;
    if (reply.reason !== 'stale') throw new Error(`no reward: ${reply.reason}`);
  }
  throw new Error('the template kept changing');
}
