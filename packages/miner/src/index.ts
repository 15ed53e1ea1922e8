// Proof of work itself (rules, jobs, arithmetic, reference search) is @chain/core's, the one the
// peers validate with; the miner searches with it and passes it on.
export * from '@chain/core/pow';
export { searchProof, type SearchOptions, type Solution } from './search';
export { autoChunkSize, jobChunkSize } from './chunk-size';
export {
  WorkerPool,
  createWorkerPool,
  type HashrateReport,
  type PoolSolution,
  type SearchHandle,
  type SearchRequest,
  type WorkerPoolEvents,
  type WorkerPoolOptions,
} from './pool';
export { createKernel, type KernelKind } from './kernel/create';
export { JsKernel } from './kernel/js-kernel';
export { WasmKernel, wasmKernelSupported } from './kernel/wasm-kernel';
export type { PowKernel } from './kernel/types';
export { JobKernel } from './kernel/job-setup';
export { WindowRate } from './window-rate';
export { Miner, type MinerOptions, type MinerEvents } from './miner';
export { tcpWorkSource, type Work, type WorkSource, type SubmitReply, type RequestClient } from './work-source';
