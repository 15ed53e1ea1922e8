/**
 * The WebAssembly SIMD proof-of-work kernel (source: assembly/kernel.ts): four consecutive
 * proofs per step, one SHA-256 compression per proof from the job's midstate, `d` advanced
 * in place by a decimal adder per lane. This wrapper formats lanes from BigInt when needed.
 */
import type { PowJob } from '@chain/core/pow';
import { JobKernel, confirmHit } from './job-setup';
import { KERNEL_WASM_BASE64 } from './wasm-bytes.generated';

const LANES = 4;
/** Steps (of four proofs) per call into WebAssembly. */
const MAX_STEPS = 1 << 20;

/** The part of the WebAssembly global used here (not in this project's TypeScript libs). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface KernelExports {
  memory: { buffer: ArrayBuffer };
  wPtr(): number;
  statePtr(): number;
  incPtr(): number;
  lenPtr(): number;
  negPtr(): number;
  incLenPtr(): number;
  getStatus(): number;
  getHitMask(): number;
  scan(steps: number, first: number): number;
}

let compiled: object | undefined;

/** Whether this runtime can compile the kernel (WebAssembly with SIMD). */
export function wasmKernelSupported(): boolean {
  if (!wasm) return false;
  try {
    compiled ??= new wasm.Module(Buffer.from(KERNEL_WASM_BASE64, 'base64'));
    return true;
  } catch {
    return false;
  }
}

export class WasmKernel extends JobKernel {
  readonly name = 'wasm-simd';
  private readonly x: KernelExports;
  private readonly mem: Uint8Array;
  private readonly i32: Int32Array;
  private prevSquare = 0n;
  private prefixLength = 0;

  constructor() {
    super();
    if (!wasmKernelSupported()) throw new Error('WebAssembly SIMD is not available');
    const instance = new wasm!.Instance(compiled!, {
      env: {
        abort: () => {
          throw new Error('wasm kernel aborted');
        },
      },
    });
    this.x = instance.exports as unknown as KernelExports;
    this.mem = new Uint8Array(this.x.memory.buffer);
    this.i32 = new Int32Array(this.x.memory.buffer);
  }

  protected load(job: PowJob, prefix: Uint8Array, state: Int32Array): void {
    this.i32.set(state, this.x.statePtr() >> 2);
    this.prefixLength = prefix.length;
    this.prevSquare = BigInt(job.previousProof) ** 2n;
  }

  protected scanJob(job: PowJob, from: number, count: number): number {
    // Every hash meets the largest target: the first proof holds.
    if (this.word.first === 0xffffffff && this.word.exact) {
      this.next = -1;
      return from;
    }
    const last = from + count - 1;
    let p = from;
    if (this.next !== p) this.format(p);
    const x = this.x;
    while (p <= last) {
      const steps = Math.min(MAX_STEPS, Math.ceil((last - p + 1) / LANES));
      const done = x.scan(steps, this.word.first | 0);
      const status = x.getStatus();
      if (status === 0) {
        p += LANES * done;
        continue;
      }
      if (status === 2) {
        p += LANES * done;
        if (p <= last) this.format(p);
        continue;
      }
      const base = p + LANES * done;
      const mask = x.getHitMask();
      for (let j = 0; j < LANES; j++) {
        const q = base + j;
        if ((mask & (1 << j)) === 0 || q > last) continue;
        if (confirmHit(job, this.word, q)) {
          this.next = -1;
          return q;
        }
      }
      p = base + LANES;
      if (p <= last) this.format(p);
    }
    this.next = p;
    return -1;
  }

  /** Writes lanes 0–3 for proofs p … p + 3 exactly from BigInt. */
  private format(p: number): void {
    const x = this.x,
      mem = this.mem,
      i32 = this.i32;
    const w = x.wPtr(),
      inc = x.incPtr();
    mem.fill(0, w, w + 16 * 16);
    for (let j = 0; j < LANES; j++) {
      const q = BigInt(p) + BigInt(j);
      const text = (q * q - this.prevSquare).toString();
      const n = text.length;
      const put = (k: number, byte: number): void => {
        mem[w + 16 * (k >> 2) + 4 * j + (3 - (k & 3))] = byte;
      };
      for (let k = 0; k < n; k++) put(k, text.charCodeAt(k));
      put(n, 0x80);
      const bits = (this.prefixLength + n) * 8;
      put(62, bits >>> 8);
      put(63, bits & 0xff);
      const incText = (8n * q + 16n).toString();
      for (let k = 0; k < 32; k++) {
        mem[inc + 32 * j + k] = k < incText.length ? incText.charCodeAt(incText.length - 1 - k) - 48 : 0;
      }
      i32[(x.lenPtr() >> 2) + j] = n;
      i32[(x.negPtr() >> 2) + j] = text.charCodeAt(0) === 45 ? 1 : 0;
      i32[(x.incLenPtr() >> 2) + j] = incText.length;
    }
    this.next = p;
  }
}
