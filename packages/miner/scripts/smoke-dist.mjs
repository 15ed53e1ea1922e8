#!/usr/bin/env node
// Checks the built package (dist/) end to end, through its exports map, in ESM and CommonJS:
// the synchronous search and a two-worker pool must find the golden proof of the default
// network's first block. Run after `npm run build`: node scripts/smoke-dist.mjs
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const job = {
  rule: 'bound',
  templateHash: 'b3df4de65b810ed24ff1c09a7c81278b433002afb1cb56f55d3646b27c1cbbf7',
  previousProof: 100,
  difficulty: 4,
};
const expected = 20349;

async function check(label, miner) {
  assert.equal(miner.searchProof(job)?.proof, expected, `${label}: searchProof`);
  const pool = miner.createWorkerPool({ workers: 2, chunkSize: 1024 });
  try {
    await pool.ready();
    const found = await pool.search(job).promise;
    assert.equal(found?.proof, expected, `${label}: pool`);
    console.log(`${label}: ok (pool found ${found.proof}, ${found.attempts} attempts)`);
  } finally {
    await pool.close();
  }
}

const esm = await import('@chain/miner');
assert.match(import.meta.resolve('@chain/miner'), /\/dist\/index\.js$/);
await check('esm', esm);
const require = createRequire(import.meta.url);
assert.match(require.resolve('@chain/miner'), /\/dist\/index\.cjs$/);
await check('cjs', require('@chain/miner'));
