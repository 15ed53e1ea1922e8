import assert from 'node:assert/strict';
import { mineToTarget, retargetVectors } from '@chain/testkit';
import {
  ChainState,
  RETARGET_NETWORK,
  createTemplate,
  powHash,
  templateHash,
  txId,
  txRoot,
  type Block,
  createGenesis,
  medianTimePast,
  networkHash,
  nextTarget,
  parseNetwork,
  targetFromDifficulty,
  targetFromHex,
  targetToHex,
  workOfTarget,
  type TargetHistory,
} from '@chain/core';

interface Vectors {
  network: { params: unknown; networkHash: string; genesisHash: string; limit: string };
  preset: { params: unknown; networkHash: string; genesisHash: string; limit: string; initialWork: string };
  targets: (TargetHistory & { target: string; work: string; note: string })[];
  difficulties: { difficulty: number; target: string; work: string }[];
  medianTimePast: { ancestorTimestamps: number[]; median: number; note: string }[];
  blocks: {
    block: Block;
    id: string;
    txRoot: string;
    templateHash: string;
    previousProof: number;
    target: string;
    powHash: string;
    note: string;
  }[];
}

describe('the vectors of retargeting networks (docs/spec.md §9)', () => {
  const v = retargetVectors<Vectors>();
  const params = parseNetwork(v.network.params);

  it('network hash and genesis', () => {
    assert.equal(networkHash(params), v.network.networkHash);
    assert.equal(createGenesis(params).currentHash, v.network.genesisHash);
    assert.equal(targetToHex(targetFromDifficulty(params.difficulty)), v.network.limit);
  });

  it('the retarget preset: its parameters, network hash, genesis, limit and initial work', () => {
    assert.deepEqual(RETARGET_NETWORK, parseNetwork(v.preset.params));
    assert.equal(networkHash(RETARGET_NETWORK), v.preset.networkHash);
    assert.equal(createGenesis(RETARGET_NETWORK).currentHash, v.preset.genesisHash);
    assert.equal(targetToHex(targetFromDifficulty(RETARGET_NETWORK.difficulty)), v.preset.limit);
    const initial = targetFromHex(RETARGET_NETWORK.retarget?.initialTarget as string);
    assert.equal(workOfTarget(initial).toString(), v.preset.initialWork);
  });

  it('the target and work of the block after each parent', () => {
    for (const t of v.targets) {
      const target = nextTarget(params, t);
      assert.equal(targetToHex(target), t.target, t.note);
      assert.equal(workOfTarget(target).toString(), t.work, t.note);
    }
  });

  it('fixed-difficulty targets and their work', () => {
    for (const d of v.difficulties) {
      assert.equal(targetToHex(targetFromDifficulty(d.difficulty)), d.target);
      assert.equal(workOfTarget(targetFromHex(d.target)).toString(), d.work);
    }
  });

  it('median time past', () => {
    for (const m of v.medianTimePast) assert.equal(medianTimePast(m.ancestorTimestamps), m.median, m.note);
  });

  it('mined blocks: hashes, targets, the smallest proofs, and a chain that takes them', async () => {
    const chain = await ChainState.open({ params });
    for (const b of v.blocks) {
      const block = b.block;
      const tx = block.transactions[0]!;
      assert.equal(txId(chain.genesisHash, tx), b.id);
      assert.equal(txRoot('signed', chain.genesisHash, block.transactions), b.txRoot);
      assert.equal(templateHash(block.index, block.timestamp, block.previousHash, b.txRoot), b.templateHash);
      assert.equal(powHash({ rule: 'bound', templateHash: b.templateHash, proof: block.proof, previousProof: b.previousProof }), b.powHash);
      assert.equal(targetToHex(chain.targetAfter(block.previousHash)), b.target, b.note);
      const parent = chain.meta(block.previousHash)!;
      const template = createTemplate(parent, block.transactions, [b.id], block.timestamp, 'signed');
      assert.deepEqual(mineToTarget(params, template, targetFromHex(b.target)), block, 'the smallest proof from 0');
      const r = await chain.addBlock(block, block.timestamp);
      assert.ok(r.ok && r.status === 'extended', `${b.note}: ${JSON.stringify(r)}`);
    }
  });
});
