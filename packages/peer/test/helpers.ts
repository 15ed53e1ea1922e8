import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClassicTransaction, findProof, type NetworkParams, type Transaction } from '@chain/core';
import { Peer, type PeerOptions } from '@chain/peer';

/** The comp3221 rules at difficulty 1: fast to mine in tests. */
export const NET: NetworkParams = Object.freeze({
  name: 'peer-test',
  genesisTime: 1767225600000,
  difficulty: 1,
  pow: 'seed',
  txFormat: 'classic',
  maxTxPerBlock: 5,
  txTtlMs: 3600000,
});

export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), 'chain-peer-'));
}

let counter = 0;
export function tx(content = `t${++counter}`, timestamp = Date.now()): Transaction {
  return createClassicTransaction('abcd1234', { content, timestamp });
}

export async function startPeer(opts: PeerOptions = {}): Promise<Peer> {
  return Peer.start({ network: NET, port: 0, mine: false, heartbeatMs: 200, ...opts });
}

/** Mine one block on `peer` through its work manager (the reference search). */
export async function mineOnce(peer: Peer): Promise<void> {
  const work = peer.work.describe();
  if (!work.templateHash) throw new Error('nothing to mine');
  const proof = findProof({ rule: work.pow, templateHash: work.templateHash, previousProof: work.previousProof, difficulty: work.difficulty });
  const r = await peer.work.submit(proof as number, work.templateHash);
  if (r.status !== 'Reward') throw new Error(`no reward: ${r.reason} ${r.message}`);
}

/** Resolve when `check` holds, polling on peer events; reject after `ms`. */
export function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const started = Date.now();
    const iv = setInterval(() => {
      if (check()) {
        clearInterval(iv);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(iv);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }
    }, 5);
  });
}

export function addr(p: Peer): string {
  return `127.0.0.1:${p.address.port}`;
}
