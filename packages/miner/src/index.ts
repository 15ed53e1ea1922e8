// Proof of work itself (rules, jobs, arithmetic, reference search) is @chain/core's, the one the
// peers validate with; the miner searches with it and passes it on.
export {
  MAX_PROOF, isProof, validateJob, powDecimal, powMessage, powHash, meetsDifficulty, checkProof, findProof,
  type PowJob, type PowRule, type PowAttempt, type SearchRange,
} from '@chain/core/pow';
export { searchProof, type SearchOptions, type Solution } from './search.js';
export {
  WorkerPool, createWorkerPool,
  type HashrateReport, type PoolSolution, type SearchHandle, type SearchRequest, type WorkerPoolEvents, type WorkerPoolOptions,
} from './pool.js';
export { createKernel, type KernelKind } from './kernel/create.js';
export { JsKernel } from './kernel/js-kernel.js';
export { WasmKernel, wasmKernelSupported } from './kernel/wasm-kernel.js';
export type { PowKernel } from './kernel/types.js';
export { Miner, type MinerOptions, type MinerEvents } from './miner.js';
export { tcpWorkSource, type Work, type WorkSource, type SubmitReply, type RequestClient } from './work-source.js';
