import { EventEmitter } from 'node:events';
import type { AddBlockResult, AddBlocksOptions, AddTxResult, ChainState, NetworkParams } from '@chain/core';
import { formatAddress, type Address, type TransportServer } from '@chain/net';
import { Miner, type WorkSource } from '@chain/miner';
import { DataDirLock } from './storage/dir-lock';
import { openChain, type OpenedChain } from './open-chain';
import { Neighbour, Neighbours } from './neighbours';
import { MAX_FAILURES, QUARANTINE_MS } from './address-book';
import { resolveOptions, type PeerOptions, type ResolvedOptions } from './options';
import { WorkManager } from './work';
import { registerHandlers } from './handlers';
import { Synchronizer } from './sync';
import { Inbound } from './inbound';
import { Intake } from './intake';
import { Relay } from './relay';
import { UploadBudget } from './upload-budget';
import { negotiate } from './version';
import { registerV12Handlers } from './handlers-v12';
import { headerReader } from './headers/stored-headers';
import { Announcer } from './announce/announcer';
import { Fetcher } from './announce/fetcher';
import { CompactSender } from './compact/sender';
import { VerifyPool } from './verify-pool';
import { LOCAL, type Source } from './source';
import type { TimerHandle } from './timers';
import type { PeerEvents, PeerStatus } from './events';

export type { Source } from './source';

/**
 * A chain peer (docs/spec.md §6): a server answering every opcode, client connections
 * to its neighbours, push gossip and heartbeat sync, durable storage and an
 * in-process miner (worker threads; `mine: false` turns it off).
 */
export class Peer extends EventEmitter<PeerEvents> {
  readonly options: ResolvedOptions;
  readonly chain: ChainState;
  readonly work: WorkManager;
  /** The address book and the connections to neighbours and candidates (docs/spec.md §7). */
  readonly neighbours: Neighbours;
  readonly #server: TransportServer;
  readonly #storage: OpenedChain;
  readonly #intake: Intake;
  readonly #sync: Synchronizer;
  readonly #inbound: Inbound;
  readonly #relay: Relay;
  readonly #announcer: Announcer;
  readonly #fetcher: Fetcher;
  readonly #verifyPool: VerifyPool | null;
  #address: Address | undefined;
  #heartbeat: TimerHandle | null = null;
  #stopping: Promise<void> | null = null;
  #miner: Miner | null = null;
  #lock: DataDirLock | null = null;

  private constructor(options: ResolvedOptions, storage: OpenedChain) {
    super();
    const { chain, journal } = storage;
    this.options = options;
    this.chain = chain;
    this.#storage = storage;
    const log = options.logger;
    this.#verifyPool = options.verifyThreads > 0 ? new VerifyPool(options.verifyThreads) : null;
    const intake = new Intake({ chain, journal, now: options.now, logger: log, verifyPool: this.#verifyPool });
    this.#intake = intake;
    const accept = (blocks: readonly unknown[], source: Source, o?: AddBlocksOptions) => intake.accept(blocks, source, o);
    const distrust = (address: string, why: string) => this.distrust(address, why);
    const listenAddress = () => this.listenAddress;
    this.neighbours = new Neighbours({
      book: { maxNeighbours: options.maxNeighbours, dialIntervalMs: options.dialIntervalMs },
      now: options.now,
      timers: options.timers,
      connect: (address, configured) => Neighbour.dial(options.transport, address, configured, options.maxFrame, log),
      changed: (address, state) => {
        if (state === 'quarantined')
          log.info(
            `dropped learned address ${address} after ${MAX_FAILURES} failed attempts in a row; not learned again for ${QUARANTINE_MS / 60_000} minutes`,
          );
        this.#relay.neighbourState(address, state); // a connection that went away may come back to an empty pool
        this.emit('peer', { address, state });
      },
      opened: (n) => void this.#opened(n),
    });
    this.work = new WorkManager({ chain, intake, now: options.now, timers: options.timers, graceMs: options.minerGraceMs });
    this.#sync = new Synchronizer({
      chain,
      logger: log,
      now: options.now,
      timers: options.timers,
      listenAddress,
      links: () => this.neighbours.links(),
      accept,
      admitAll: (txs, source) => intake.admitAll(txs, source),
      fetchPool: (n, ids) => this.#fetcher.fetchPool(n, ids),
      replied: (n) => this.neighbours.replied(n),
      failed: (n) => this.neighbours.hbFailed(n),
      distrust,
    });
    this.#server = options.transport.createServer({
      maxFrame: options.maxFrame,
      maxConnections: options.maxConnections,
      partialFrameTimeoutMs: options.partialFrameTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      // A neighbour's inbound connection keeps its slot when all are taken (docs/spec.md §7).
      canEvict: (id) => this.#inbound.canEvict(id),
      logger: log,
    });
    this.#inbound = new Inbound({
      disconnect: (id) => void this.#server.disconnect(id),
      isNeighbour: (address) => this.neighbours.book.isNeighbour(address),
      learn: (host, address) => this.neighbours.learn(host, address),
    });
    // One budget a connection for everything that sends blocks or headers (hb, pb, gh, gb).
    const upload = new UploadBudget({ bytesPerSecond: options.uploadBytesPerSecond, burstBytes: options.maxFrame, now: options.now });
    registerHandlers(this.#server, {
      chain,
      maxFrame: options.maxFrame,
      logger: log,
      inbound: this.#inbound,
      upload,
      listenAddress,
      admitReceived: (tx, source) => intake.admitReceived(tx, source),
      accept,
      poll: (known, waitMs, signal) => this.work.poll(known, waitMs, signal),
      submit: (proof, templateHash) => this.work.submit(proof, templateHash),
      unknownParent: (source) => this.#relay.unknownParent(source),
      distrust,
      knows: (source, id) => source.kind === 'neighbour' && this.#relay.knows(source.address, id),
    });
    const compactIn = {
      chain,
      logger: log,
      now: options.now,
      sourceOf: (id: number) => this.#inbound.sourceOf(id),
      accept,
      unknownParent: (source: Source) => this.#relay.unknownParent(source),
      distrust,
    };
    const { timers, maxFrame } = options;
    const note = (address: string, id: string) => this.#relay.note(address, id);
    this.#fetcher = new Fetcher({
      now: options.now,
      timers,
      fetchTimeoutMs: options.fetchTimeoutMs,
      maxFrame,
      has: (id) => chain.pool.has(id) || chain.txHeight(id) !== undefined,
      connection: (address) => {
        const n = this.neighbours.get(address);
        return n?.state === 'open' && n.version === '1.2' ? n.client : undefined;
      },
      admit: (tx, source) => intake.admitReceived(tx, source),
      note,
      logger: log,
    });
    const announceIn = {
      chain,
      maxFrame,
      logger: log,
      inbound: this.#inbound,
      listenAddress,
      admitReceived: (tx: unknown, source: Source) => intake.admitReceived(tx, source),
      knows: (source: Source, id: string) => source.kind === 'neighbour' && this.#relay.knows(source.address, id),
      note,
      fetcher: this.#fetcher,
    };
    if (options.protocol !== '1.1')
      registerV12Handlers(this.#server, {
        version: options.protocol,
        announce: announceIn,
        compact: compactIn,
        headers: { chain, maxFrame, upload, reader: headerReader(chain, storage.store) },
      });
    this.#announcer = new Announcer({
      timers,
      random: options.random,
      meanMs: options.announceMs,
      maxFrame,
      body: (id) => chain.pool.get(id)?.tx,
      unnote: (address, id) => this.#relay.unnote(address, id),
      logger: log,
    });
    // The parts report; the peer tells the world.
    intake.on('tx', (e) => this.emit('tx', e));
    intake.on('tx-refused', (e) => this.emit('tx-refused', e));
    intake.on('block', (e) => this.emit('block', e));
    intake.on('reorg', (e) => this.emit('reorg', e));
    this.#sync.on('progress', (e) => this.emit('sync-progress', e));
    const compactOut = new CompactSender({
      params: chain.params,
      genesisHash: chain.genesisHash,
      // Queued for a neighbour counts as known to it (so it is not forwarded twice), but not yet held.
      holds: (address, id) => this.#relay.knows(address, id) && !this.#announcer.pending(address, id),
    });
    // After the peer's own listeners: a transaction is reported before it is forwarded.
    this.#relay = new Relay(intake, {
      list: () => this.neighbours.list(),
      get: (address) => this.neighbours.get(address),
      syncFrom: (n) => void this.#sync.syncFrom(n),
      syncOne: () => this.#sync.syncOne(),
      v12: {
        announceTx: (n, id) => this.#announcer.announce(n, id),
        sendBlock: (n, block) => compactOut.send(n, block),
        known: (address, id) => this.#announcer.known(address, id),
      },
    });
  }

  /**
   * Lock the data directory, open storage, restore the chain and pool, listen,
   * and connect to neighbours. Rejects with a `DataDirLockedError` when another
   * running process holds the data directory (docs/spec.md §7), having touched nothing in it.
   */
  static async start(input: PeerOptions = {}): Promise<Peer> {
    const options = resolveOptions(input);
    // Before anything in the directory is read or written; released by stop, or here if starting fails.
    const lock = options.dataDir ? await DataDirLock.acquire(options.dataDir, { logger: options.logger, now: options.now }) : null;
    try {
      const peer = await Peer.#open(options);
      peer.#lock = lock;
      return peer;
    } catch (err) {
      await lock?.release();
      throw err;
    }
  }

  static async #open(options: ResolvedOptions): Promise<Peer> {
    const log = options.logger;
    const peer = new Peer(options, await openChain(options));
    try {
      peer.#address = await peer.#server.listen(options.port, options.host);
    } catch (err) {
      await peer.#verifyPool?.close();
      await peer.#closeStorage();
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE')
        throw Object.assign(new Error(`port ${options.port} on ${options.host} is already in use (option port; 0 picks a free one)`), {
          code: 'EADDRINUSE',
        });
      throw err;
    }
    log.info(`listening on ${formatAddress(peer.#address)} (network ${options.network.name}, height ${peer.chain.height})`);
    for (const address of options.neighbours) peer.neighbours.configure(address);
    peer.#heartbeat = options.timers.setInterval(() => peer.#tick(), options.heartbeatMs);
    if (options.mine) peer.#startMiner();
    return peer;
  }

  get network(): NetworkParams {
    return this.options.network;
  }

  /** The bound address. */
  get address(): Address {
    return this.#address as Address;
  }

  /** The `host:port` this peer tells others in `hb`. */
  get listenAddress(): string {
    return this.options.advertise ?? formatAddress(this.address);
  }

  /** The in-process miner, when mining. */
  get miner(): Miner | null {
    return this.#miner;
  }

  /** A connection to a neighbour or candidate opened: agree on a version, then sync. */
  async #opened(n: Neighbour): Promise<void> {
    const version = await negotiate(n.client, this.options.protocol);
    if (n.state !== 'open' || version === null) return; // it went away meanwhile: the next opening tries again
    n.version = version;
    await this.#sync.syncFrom(n);
  }

  /** Signatures handed to the verify threads and not yet answered (0 without threads). */
  get verifyQueue(): number {
    return this.#verifyPool?.queued ?? 0;
  }

  /** Work for a miner in this process: direct calls, no sockets. */
  localWorkSource(): WorkSource {
    return {
      getWork: (known, waitMs, signal) => this.work.poll(known, waitMs, signal),
      submit: async (proof, templateHash) => {
        const r = await this.work.submit(proof, templateHash);
        return r.status === 'Reward' ? { status: 'Reward', block: r.block } : { status: 'No reward', reason: r.reason };
      },
    };
  }

  #startMiner(): void {
    const miner = new Miner({ source: this.localWorkSource(), workers: this.options.workers });
    const log = this.options.logger;
    miner.on('block', (b) => log.debug(`mined block ${b.index} ${b.currentHash}`));
    miner.on('rejected', (r) => log.debug(`mined proof not rewarded: ${r.reason}`));
    miner.on('error', (err) => log.error(`miner: ${err.message}`));
    miner.start();
    this.#miner = miner;
  }

  now(): number {
    return this.options.now();
  }

  status(): PeerStatus {
    const tip = this.chain.tip;
    return {
      network: this.network.name,
      address: this.listenAddress,
      height: tip.index,
      tip: tip.hash,
      poolSize: this.chain.pool.size,
      sideBlocks: this.chain.sideBlockCount,
      ...this.neighbours.status(),
      connections: this.#server.connections.length,
      hashrate: this.#miner?.hashrate ?? 0,
    };
  }

  /**
   * Admit a transaction: the rules, then the journal (durable before this
   * resolves), then forward it to every neighbour but its source.
   */
  submitTransaction(input: unknown, source: Source = LOCAL): Promise<AddTxResult> {
    return this.#intake.admit(input, source);
  }

  /**
   * Add a block from any source (a neighbour, sync, or this peer's miner). It
   * is durable when this resolves; a new best block is announced with `nb`.
   */
  async acceptBlock(block: unknown, source: Source): Promise<AddBlockResult> {
    return (await this.#intake.accept([block], source))[0] as AddBlockResult;
  }

  /**
   * Add blocks received together (a sync batch) in order, stored with one group
   * commit; stops at the first refused block. Each new block is reported as by
   * {@link acceptBlock}, and the new tip is announced with `nb` once (a neighbour
   * missing its ancestors fetches them with `hb`).
   */
  acceptBlocks(blocks: readonly unknown[], source: Source): Promise<AddBlockResult[]> {
    return this.#intake.accept(blocks, source);
  }

  /** A neighbour sent an invalid block: disconnect it (docs/spec.md §6); a learned one is dropped and quarantined (§7). */
  async distrust(address: string, why: string): Promise<void> {
    this.options.logger.warn(`disconnected neighbour ${address}: ${why}`);
    this.#inbound.disconnect(address);
    await this.neighbours.distrust(address);
  }

  /** Stop: no new work, close connections and storage. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.#heartbeat !== null) this.options.timers.clearInterval(this.#heartbeat);
      this.#heartbeat = null;
      this.emit('stopping');
      await this.#miner?.stop();
      this.work.close();
      await this.#server.close();
      this.#sync.close();
      await this.neighbours.closeAll();
      this.#relay.close();
      this.#announcer.close();
      this.#fetcher.close();
      await this.#sync.settled();
      await this.chain.settled(); // blocks being added finish before storage closes
      await this.#verifyPool?.close();
      await this.#closeStorage();
      this.emit('stopped');
    })();
    return this.#stopping;
  }

  #tick(): void {
    const now = this.now();
    this.chain.prunePool(now); // the work manager follows the pool
    this.neighbours.tick();
    // Neighbours and candidates being verified alike: a candidate's `hb` reply is what makes it a neighbour.
    for (const n of this.neighbours.links()) if (n.state === 'open') void this.#sync.syncFrom(n);
    const j = this.#storage.journal;
    if (j && j.records > 2 * this.chain.pool.size + 1000) {
      void j
        .compact(this.chain.pool.list().map((e) => e.tx))
        .catch((err) => this.options.logger.error(`pool journal compaction: ${(err as Error).message}`));
    }
  }

  async #closeStorage(): Promise<void> {
    try {
      await this.#storage.close();
    } finally {
      await this.#lock?.release(); // after the files are closed
    }
  }
}
