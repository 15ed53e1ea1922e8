/**
 * A new chain end to end, in one process: two peers of MY_CHAIN on free ports, a key pair, a signed
 * transaction sent to one peer, and a block with it mined by a miner of our own on the other.
 * Run it: node --conditions=@chain/source --import tsx examples/new-chain/run.ts
 */
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { createKeyPair, signTransaction, type Block } from '@chain/core';
import { searchProof } from '@chain/miner';
import { Peer } from '@chain/peer';
import { identity, MY_CHAIN } from './network';

export interface RunResult {
  readonly genesisHash: string;
  readonly txId: string;
  readonly block: Block;
  readonly heights: readonly [number, number];
}

/** Waits for `peer` to reach `height`, failing after `ms`. */
async function reach(peer: Peer, height: number, ms: number): Promise<void> {
  const signal = AbortSignal.timeout(ms);
  while (peer.status().height < height) await once(peer, 'block', { signal });
}

export async function run(log: (line: string) => void = () => {}): Promise<RunResult> {
  const { networkHash, genesisHash } = identity(MY_CHAIN);
  log(`network ${MY_CHAIN.name}: network hash ${networkHash.slice(0, 16)}…, genesis ${genesisHash.slice(0, 16)}…`);

  // The miner peer mines nothing by itself (mine: false): this script is its miner, below.
  const miner = await Peer.start({ network: MY_CHAIN, port: 0, dataDir: null, mine: false });
  const wallet = await Peer.start({
    network: MY_CHAIN,
    port: 0,
    dataDir: null,
    mine: false,
    neighbours: [`127.0.0.1:${miner.address.port}`],
  });
  try {
    const keys = createKeyPair();
    const tx = signTransaction({ params: MY_CHAIN, secretKey: keys.secretKey, content: 'hello, my chain', timestamp: Date.now() });
    const reply = await wallet.submitTransaction(tx);
    if (reply.status !== 'Accepted') throw new Error(`the transaction was refused: ${reply.reason} (${reply.message})`);
    log(`sent ${reply.id.slice(0, 16)}… from ${keys.publicKey.slice(0, 16)}… to the wallet peer`);

    // Gossip brings the transaction to the miner peer; its template then holds it.
    const signal = AbortSignal.timeout(10_000);
    let work = miner.work.describe();
    while (work.pending === 0 || work.templateHash === null) work = await miner.work.poll(work.templateHash, 1000, signal);
    const found = searchProof({
      rule: work.pow,
      templateHash: work.templateHash,
      previousProof: work.previousProof,
      difficulty: work.difficulty,
    });
    if (!found) throw new Error('no proof found');
    const result = await miner.work.submit(found.proof, work.templateHash);
    if (result.status !== 'Reward') throw new Error(`the proof was refused: ${result.reason}`);
    log(
      `mined block ${result.block.index} (proof ${found.proof}, ${found.attempts} attempts) with ${result.block.transactions.length} transaction`,
    );

    await reach(wallet, result.block.index, 10_000);
    const heights = [miner.status().height, wallet.status().height] as const;
    log(`heights: miner ${heights[0]}, wallet ${heights[1]}`);
    return { genesisHash, txId: reply.id, block: result.block, heights };
  } finally {
    await Promise.all([wallet.stop(), miner.stop()]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run(console.log).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
