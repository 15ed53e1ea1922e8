import { JsKernel } from './js-kernel';
import type { PowKernel } from './types';
import { WasmKernel, wasmKernelSupported } from './wasm-kernel';

/** `wasm`: WebAssembly SIMD, four proofs per step; `js`: unrolled JavaScript; `auto`: wasm when available. */
export type KernelKind = 'auto' | 'wasm' | 'js';

/** Creates a fresh proof-of-work kernel of the requested kind. */
export function createKernel(kind: KernelKind = 'auto'): PowKernel {
  if (kind === 'js') return new JsKernel();
  if (kind === 'wasm' || wasmKernelSupported()) return new WasmKernel();
  return new JsKernel();
}
