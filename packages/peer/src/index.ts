/**
 * @chain/peer: a chain peer composed of @chain/core (rules), @chain/protocol
 * and @chain/net (the wire), @chain/miner (work), and durable storage.
 */
export { Peer } from './peer';
export type { Source } from './source';
export { systemTimers, type Timers, type TimerHandle } from './timers';
export { resolveOptions, parseHostPort, type PeerOptions, type ResolvedOptions } from './options';
export type { PeerEvents, PeerStatus, NeighbourStatus, NeighbourState, PeerChange } from './events';
export { WorkManager, MAX_GP_WAIT_MS, type SubmitResult, type WorkOptions, type WorkIntake } from './work';
export { DiskBlockStore, encodeBlockRecord, DEFAULT_CACHE_BYTES, type DiskBlockStoreOptions } from './storage/block-log';
export { PoolJournal } from './storage/pool-journal';
export { DataDirLock, DataDirLockedError, LOCK_FILE } from './storage/dir-lock';
export type { LockHolder } from './storage/lock-holder';
export { RecordFile, StorageCorruptionError, encodeRecord, type TornTail } from './storage/record-file';
export { crc32 } from './storage/crc32';
export { SYNC_BATCH, HB_POOL } from './handlers';
