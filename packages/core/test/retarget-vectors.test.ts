import assert from 'node:assert/strict';
import { retargetVectors } from '@chain/testkit';
import {
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
  targets: (TargetHistory & { target: string; work: string; note: string })[];
  difficulties: { difficulty: number; target: string; work: string }[];
  medianTimePast: { ancestorTimestamps: number[]; median: number; note: string }[];
}

describe('the vectors of retargeting networks (docs/spec.md §9)', () => {
  const v = retargetVectors<Vectors>();
  const params = parseNetwork(v.network.params);

  it('network hash and genesis', () => {
    assert.equal(networkHash(params), v.network.networkHash);
    assert.equal(createGenesis(params).currentHash, v.network.genesisHash);
    assert.equal(targetToHex(targetFromDifficulty(params.difficulty)), v.network.limit);
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
});
