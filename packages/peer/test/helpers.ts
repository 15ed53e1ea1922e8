import { createClassicTransaction, type Transaction } from '@chain/core';
import { Peer, type PeerOptions } from '@chain/peer';
import { EASY_CLASSIC, proofFor } from '@chain/testkit';

/** The comp3221 rules at difficulty 1: fast to mine in tests. */
export const NET = EASY_CLASSIC;

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
  const r = await peer.work.submit(proofFor(work), work.templateHash as string);
  if (r.status !== 'Reward') throw new Error(`no reward: ${r.reason} ${r.message}`);
}

export function addr(p: Peer): string {
  return `127.0.0.1:${p.address.port}`;
}

/** The peers a suite's tests start (push them here): every one is stopped after each test. */
export function stoppedAfterEach(): Peer[] {
  const peers: Peer[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.stop()));
  });
  return peers;
}
