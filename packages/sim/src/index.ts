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
export { tQuantile, tCdf, incompleteBeta, logGamma } from './student-t';
export { estimate, rateEstimate, compare, CONFIDENCE, type Estimate, type Counts, type Comparison, type IntervalMethod } from './estimate';
export { significant, percentSig } from './format';
export { parseDuration, parseDurations, formatDuration, parseBandwidth } from './units';
export { SIM_FLAGS, flagSpec, parseFlag, formatFlag, isNumeric, type FlagSpec, type FlagKind } from './flags';
export { SCENARIOS, SCENARIO_LIST, scenarioOf, type Scenario, type ScenarioName } from './scenarios/registry';
export { flagDefaults, scenarioOptions, resolvedSettings, type GivenFlags } from './config';
export type { Figure, FigureUnit, Reference, Verdicts } from './figures';
export { parseSeeds, parseSweep, gridPoints, makePlan, planTasks, planHash, MAX_TASKS, type Plan, type Axis, type Task } from './plan';
export { parseShard, shardFromEnv, shardTasks, type Shard } from './shard';
export { shardRecords, mergeRecords, RECORDS_FORMAT, type ShardHeader } from './records';
export { runTask, SIM_VERSION, type TaskSpec, type RunRecord, type TaskProgress } from './task';
export { runTasks, defaultJobs, type PoolOptions } from './pool';
export { runPlan, planSpecs, render, type ExperimentOptions, type Rendered } from './experiment';
export { buildDocument, summarise, type SimDocument, type PointSummary, type FigureSummary, type ReferenceSummary } from './document';
export { documentTable, figureText } from './report-table';
export { documentCsv, documentJsonl } from './report-rows';
export { documentPlot } from './report-plot';
export { blockEvents, type BlockEvent } from './block-events';
export { worldSettings, type WorldSettings } from './world-settings';
export { lineChart, type ChartOptions, type Series } from './svg';
// Each scenario's whole API: its options, result and settings, defaults, resolve, run, table and plot.
export * from './scenarios/propagation';
export {
  propagationSweep,
  sweepTable,
  sweepPlot,
  propagationPlot,
  GERVAIS_INTERVALS,
  type PropagationSweep,
} from './scenarios/propagation-sweep';
export * from './scenarios/selfish';
export * from './scenarios/doublespend';
export * from './scenarios/partition';
export * from './scenarios/eclipse';
export type { RunHooks, ResultBase } from './scenarios/common';
export { runScenario, planOf, type RunRequest, type SimFlags, type SimOutput } from './run';
