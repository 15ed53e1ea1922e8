/** One peer followed: its events counted as they come, its state read when scraped. */
import type { Peer, PeerEvents } from '@chain/peer';
import type { Families, SampledGauge } from './families';
import {
  BLOCK_SOURCES,
  BLOCK_STATUSES,
  NEIGHBOUR_KINDS,
  NEIGHBOUR_STATES,
  REASON_LABELS,
  TX_SOURCES,
  blockSourceLabel,
  reasonLabel,
  txSourceLabel,
} from './labels';

type Event<K extends keyof PeerEvents> = PeerEvents[K][0];

export class PeerWatch {
  readonly name: string;
  readonly #peer: Peer;
  readonly #f: Families;
  readonly #detach: () => void;

  constructor(peer: Peer, name: string, families: Families) {
    this.name = name;
    this.#peer = peer;
    this.#f = families;
    const f = families;
    const p = { peer: name };
    // Every known label value starts at 0, so that a rate over the first event is right.
    for (const source of TX_SOURCES) f.txAdmitted.inc({ ...p, source }, 0);
    for (const reason of REASON_LABELS) f.txRefused.inc({ ...p, reason }, 0);
    for (const source of BLOCK_SOURCES) for (const status of BLOCK_STATUSES) f.blocks.inc({ ...p, source, status }, 0);
    f.reorgs.inc(p, 0);
    f.syncDownloaded.inc(p, 0);
    f.syncTarget.set(p, 0);
    f.reorgDepth.zero(p);
    const onTx = (e: Event<'tx'>) => f.txAdmitted.inc({ ...p, source: txSourceLabel(e.source) });
    const onRefused = (e: Event<'tx-refused'>) => f.txRefused.inc({ ...p, reason: reasonLabel(e.reason) });
    const onBlock = (e: Event<'block'>) => f.blocks.inc({ ...p, source: blockSourceLabel(e.source, e.announced), status: e.status });
    const onReorg = (e: Event<'reorg'>) => {
      f.reorgs.inc(p);
      f.reorgDepth.observe(p, e.disconnected.length);
    };
    const onSync = (e: Event<'sync-progress'>) => {
      f.syncTarget.set(p, e.target);
      f.syncDownloaded.inc(p, e.received);
    };
    peer.on('tx', onTx);
    peer.on('tx-refused', onRefused);
    peer.on('block', onBlock);
    peer.on('reorg', onReorg);
    peer.on('sync-progress', onSync);
    this.#detach = () => {
      peer.off('tx', onTx);
      peer.off('tx-refused', onRefused);
      peer.off('block', onBlock);
      peer.off('reorg', onReorg);
      peer.off('sync-progress', onSync);
    };
  }

  /** Fill the gauges read from the peer's state now. */
  sample(gauge: SampledGauge): void {
    const peer = this.#peer;
    const f = this.#f;
    const p = { peer: this.name };
    switch (gauge) {
      case 'height':
        return f.height.set(p, peer.chain.height);
      case 'tipAge':
        return f.tipAge.set(p, Math.max(0, (peer.now() - peer.chain.tip.timestamp) / 1000));
      case 'poolSize':
        return f.poolSize.set(p, peer.chain.pool.size);
      case 'sideBlocks':
        return f.sideBlocks.set(p, peer.chain.sideBlockCount);
      case 'connections':
        return f.connections.set(p, peer.status().connections);
      case 'verifyQueue':
        return f.verifyQueue.set(p, peer.verifyQueue);
      case 'neighbours': {
        const { neighbours, candidates } = peer.status();
        const counts = new Map<string, number>();
        for (const n of [...neighbours, ...candidates]) counts.set(`${n.kind} ${n.state}`, (counts.get(`${n.kind} ${n.state}`) ?? 0) + 1);
        for (const kind of NEIGHBOUR_KINDS)
          for (const state of NEIGHBOUR_STATES) f.neighbours.set({ ...p, kind, state }, counts.get(`${kind} ${state}`) ?? 0);
        return;
      }
    }
  }

  /** Stop counting this peer's events. */
  close(): void {
    this.#detach();
  }
}
