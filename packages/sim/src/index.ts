/**
 * @chain/sim: a deterministic simulator that runs real @chain/peer peers, with @chain/core's
 * rules, on a virtual network: a virtual clock and event loop, one seeded generator, an in-memory
 * transport with latency, bandwidth, loss and partitions, Poisson block discovery, and attackers
 * (selfish mining, double spending, eclipse). Same seed, same trace.
 */
export { Random } from './random';
export { Scheduler, quiesce, type RunOptions, type RunReport, type SimTimer } from './scheduler';
export { Trace } from './trace';
export { jsonBytes, frameBytes } from './size';
export { fullMesh, randomRegular, parseTopology, loadTopology, isConnected, type Topology } from './topology';
export { LatencyModel, parseLatency, SIMBLOCK_2019, REGION_PRESETS, type LatencySpec, type RegionPreset } from './latency';
export { Links, MIN_RTO_MS, LOOPBACK_MS, type Partition, type LinkOptions } from './links';
export { Fabric, type FabricOptions, type WireMode, type OutboundFilter, type InboundFilter, type FabricPort } from './transport/fabric';
export { World, SIM_NETWORK, SIM_PORT, hostOf, CountingLogger, type WorldOptions, type SimNode, type TopologySpec } from './world';
export { BlockTracker, type BlockRecord } from './tracker';
export { Mining, HonestMiner, mineHonestly, buildBlock, solve, type MinerAgent } from './mining';
export { Traffic } from './traffic';
export { TxFactory } from './txgen';
export { memoEd25519 } from './crypto';
export { SelfishMachine, type SelfishDecision } from './strategies/selfish-machine';
export { SelfishMiner } from './strategies/selfish';
export {
  DoubleSpender,
  decide as doubleSpendDecision,
  type Attempt,
  type AttemptState,
  type AttemptDecision,
} from './strategies/double-spend';
export { PrivateBranch, parentOf } from './strategies/private-branch';
export { staleModel, selfishRevenue, selfishThreshold, nakamoto, rosenfeld, strictDoubleSpend } from './theory';
export { GERVAIS_2016_INTERVALS, DECKER_2013 } from './published';
export { percentile, quantiles, mean, wilson } from './stats';
export { lineChart, type ChartOptions, type Series } from './svg';
export { propagation, propagationTable, type PropagationOptions, type PropagationResult } from './scenarios/propagation';
export {
  propagationSweep,
  sweepTable,
  sweepPlot,
  propagationPlot,
  GERVAIS_INTERVALS,
  type PropagationSweep,
} from './scenarios/propagation-sweep';
export { selfish, selfishTable, selfishPlot, type SelfishOptions, type SelfishResult } from './scenarios/selfish';
export { doublespend, doublespendTable, doublespendPlot, type DoubleSpendOptions, type DoubleSpendResult } from './scenarios/doublespend';
export { partition, partitionTable, partitionPlot, type PartitionOptions, type PartitionResult } from './scenarios/partition';
export { eclipse, eclipseTable, eclipsePlot, type EclipseOptions, type EclipseResult, type VictimReport } from './scenarios/eclipse';
export { runScenario, parseDuration, parseDurations, SCENARIOS, type ScenarioName, type SimFlags, type SimOutput } from './run';
