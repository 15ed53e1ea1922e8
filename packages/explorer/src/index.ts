/**
 * @chain/explorer: an HTTP JSON API and a live web page for one chain peer or
 * a local network of peers.
 */
export { startExplorer, type Explorer, type ExplorerOptions } from './server';
export { rejectionStatus, MAX_BLOCKS_PER_PAGE, MAX_POOL_PAGE } from './api';
export { HISTORY_LIMITS } from './history';
export { MAX_SCANNED_TXS } from './lookup';
export { MAX_BRANCHES, MAX_BRANCH_BLOCKS } from './forks';
export { formatHashrate } from './hashrate';
export { formatWork } from './work';
export type * from './types';
