export { MAX_PROOF, isProof, validateJob, type PowJob, type PowRule } from './job.js';
export { meetsDifficulty, powDecimal, powHash, powMessage, referenceSearch, verifyProof } from './reference.js';
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
