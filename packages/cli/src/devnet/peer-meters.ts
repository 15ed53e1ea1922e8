import type { Block } from '@chain/core';
import type { Peer, PeerEvents } from '@chain/peer';
import { WindowRate } from '@chain/miner';

/**
 * What a devnet's status table measures of one peer over a sliding window:
 * transactions confirmed per second (those that joined its best chain; a
 * reorganisation counts what it connects less what it disconnects). The hash
 * rate is the miner's own, in the peer's status.
 */
export class PeerMeters {
  readonly confirmed: WindowRate;
  readonly #detach: () => void;

  constructor(peer: Peer, windowMs = 10_000, now: () => number = Date.now) {
    this.confirmed = new WindowRate(windowMs, now);
    const count = (blocks: readonly Block[]) => blocks.reduce((s, b) => s + b.transactions.length, 0);
    const onBlock = ({ block, status }: PeerEvents['block'][0]) => {
      if (status === 'extended') this.confirmed.add(block.transactions.length);
    };
    const onReorg = ({ connected, disconnected }: PeerEvents['reorg'][0]) => this.confirmed.add(count(connected) - count(disconnected));
    peer.on('block', onBlock);
    peer.on('reorg', onReorg);
    this.#detach = () => {
      peer.off('block', onBlock);
      peer.off('reorg', onReorg);
    };
  }

  stop(): void {
    this.#detach();
  }
}
