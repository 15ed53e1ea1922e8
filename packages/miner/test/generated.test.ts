import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error: plain JavaScript build script without type declarations
import { generate } from '../scripts/gen-compress.mjs';
// @ts-expect-error: plain JavaScript build script without type declarations
import { compile, render } from '../scripts/build-wasm.mjs';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('generated sources are up to date', () => {
  it('src/kernel/compress.generated.ts matches scripts/gen-compress.mjs', () => {
    assert.equal(read('../src/kernel/compress.generated.ts'), (generate as () => string)());
  });

  it('src/kernel/wasm-bytes.generated.ts matches assembly/kernel.ts compiled by AssemblyScript', async function () {
    this.timeout(60_000);
    const wasm = await (compile as () => Promise<Buffer>)();
    assert.equal(read('../src/kernel/wasm-bytes.generated.ts'), (render as (b: Buffer) => string)(wasm));
  });
});
