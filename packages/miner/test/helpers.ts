import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { specVectors } from '@chain/testkit';
import type { PowJob } from '../src/index';

/** The parts of the specification's vectors the miner checks itself against. */
export const vectors = specVectors<{
  pow: { previousProof: number; proof: number; d: string; seedHash: string }[];
  networks: Record<
    string,
    {
      params: { difficulty: number; pow: 'seed' | 'bound' };
      blocks: { block: { proof: number }; templateHash: string; previousProof: number; powHash: string }[];
    }
  >;
}>();

type VectorNetwork = (typeof vectors.networks)[string];

/** The proof-of-work job of a vector block on its network. */
export function vectorJob(net: VectorNetwork, b: VectorNetwork['blocks'][number]): PowJob {
  return { rule: net.params.pow, templateHash: b.templateHash, previousProof: b.previousProof, difficulty: net.params.difficulty };
}

export const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export const MAX = Number.MAX_SAFE_INTEGER;

/** Proofs spread over the whole range, with extra weight near 0, near 2^53 − 1 and round numbers. */
export const proofArb = fc.oneof(
  fc.integer({ min: 0, max: 2000 }),
  fc.integer({ min: MAX - 2000, max: MAX }),
  fc.integer({ min: 0, max: 20 }).map((k) => Math.min(MAX, 10 ** Math.floor(k * 0.8))),
  fc.integer({ min: 0, max: MAX }),
);

export const templateArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));

export const jobArb = (difficulty: fc.Arbitrary<number>): fc.Arbitrary<PowJob> =>
  fc.record({
    rule: fc.constantFrom<'seed' | 'bound'>('seed', 'bound'),
    templateHash: templateArb,
    previousProof: proofArb,
    difficulty,
  });
