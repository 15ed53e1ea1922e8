/**
 * @chain/metrics: Prometheus metrics of chain peers, read through @chain/peer's public API and
 * events, and of their traffic through @chain/net's frame observer.
 */
export { ChainMetrics, type ChainMetricsOptions, type MetricsSource } from './chain-metrics';
export { serveMetrics, answerScrape, type MetricsServer, type MetricsServerOptions } from './serve';
export { REORG_DEPTH_BUCKETS } from './families';
export {
  BLOCK_SOURCES,
  BLOCK_STATUSES,
  DIRECTIONS,
  NEIGHBOUR_KINDS,
  NEIGHBOUR_STATES,
  OPCODE_LABELS,
  OTHER,
  REASON_LABELS,
  TX_SOURCES,
} from './labels';
