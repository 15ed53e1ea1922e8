/**
 * Write a data directory holding a valid chain of N blocks (5 signed
 * transactions each on the default network rules at difficulty 1), fast: blocks
 * are built and mined in memory and appended to the block log in chunks of 10,000 (a million
 * blocks, about 1.5 GB of log, never sit in memory at once). Records are version 2 (the txRoot in
 * the meta), as a peer writes them.
 * Usage: npx tsx --conditions=@chain/source bench/peer/make-chain.ts <dir> <blocks>
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createGenesis, signTransaction, type Block, type NetworkParams } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { encodeBlockRecord, encodeRecord } from '@chain/peer';
import { EASY_SIGNED, easyNetwork, mineTemplate, templateOn } from '@chain/testkit';

/** The default rules at difficulty 1. */
export const BENCH_NETWORK: NetworkParams = easyNetwork(EASY_SIGNED, { name: 'bench' });

export function makeChain(dir: string, blocks: number, txPerBlock = 5, spacingMs = 1000): Block {
  mkdirSync(dir, { recursive: true });
  const seed = new Uint8Array(32).fill(7);
  let parent: Block = createGenesis(BENCH_NETWORK);
  const genesisHash = parent.currentHash;
  const fd = openSync(join(dir, 'blocks.log'), 'w');
  let chunks: Buffer[] = [];
  const flush = (): void => {
    if (chunks.length > 0) writeSync(fd, Buffer.concat(chunks));
    chunks = [];
  };
  const t0 = Date.now() - blocks * spacingMs - 60_000;
  for (let i = 0; i < blocks; i++) {
    const ts = t0 + i * spacingMs;
    const txs = Array.from({ length: txPerBlock }, (_, k) =>
      signTransaction({ genesisHash, secretKey: seed, content: `b${i}t${k}`, timestamp: ts, ed25519: nodeEd25519 }),
    );
    const t = templateOn(BENCH_NETWORK, genesisHash, parent, txs, ts);
    const block = mineTemplate(BENCH_NETWORK, t);
    chunks.push(encodeRecord(encodeBlockRecord(block, t.txRoot)));
    if (chunks.length >= 10_000) flush();
    parent = block;
  }
  flush();
  closeSync(fd);
  return parent;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, n] = process.argv.slice(2);
  if (!dir || !n) throw new Error('usage: make-chain.ts <dir> <blocks>');
  const started = Date.now();
  const tip = makeChain(dir, Number(n));
  console.log(`wrote ${n} blocks to ${dir} in ${Date.now() - started} ms; tip ${tip.currentHash}`);
}
