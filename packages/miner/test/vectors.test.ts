import assert from 'node:assert/strict';
import { JsKernel, WasmKernel, checkProof, findProof, powDecimal, powHash, searchProof } from '../src/index';
import { vectorJob, vectors } from './helpers';

describe('golden vectors', () => {
  it('pow arithmetic: d and the seed hash, beyond 2^53', () => {
    assert.ok(vectors.pow.length >= 4);
    for (const v of vectors.pow) {
      assert.equal(powDecimal({ proof: v.proof, previousProof: v.previousProof }), v.d);
      assert.equal(powHash({ rule: 'seed', proof: v.proof, previousProof: v.previousProof }), v.seedHash);
    }
  });

  for (const [name, net] of Object.entries(vectors.networks)) {
    describe(`network ${name}`, () => {
      it('each block proof hashes to its powHash and holds', () => {
        for (const b of net.blocks) {
          const job = vectorJob(net, b);
          assert.equal(powHash({ ...job, proof: b.block.proof }), b.powHash);
          assert.ok(checkProof(job, b.block.proof));
        }
      });

      for (const kind of ['js', 'wasm'] as const) {
        it(`${kind} kernel finds each block proof as the smallest from 0`, () => {
          for (const b of net.blocks) {
            const job = vectorJob(net, b);
            const found = searchProof(job, { kernel: kind });
            assert.equal(found?.proof, b.block.proof);
            assert.equal(found?.hash, b.powHash);
            assert.equal(found?.attempts, b.block.proof + 1);
          }
        });
      }
    });
  }

  it('comp3221: the first seed proof after genesis (previous proof 100) is 5', () => {
    const job = { rule: 'seed' as const, previousProof: 100, difficulty: 2 };
    assert.equal(findProof(job, { start: 0 }), 5);
    for (const kernel of [new JsKernel(), new WasmKernel()]) assert.equal(searchProof(job, { kernel })?.proof, 5);
  });
});
