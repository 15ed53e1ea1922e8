import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the files under `dir`, recursively. */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

describe('built package (dist)', () => {
  const built = ['index.js', 'index.cjs', 'worker.js', 'worker.cjs'].map((f) => `${root}dist/${f}`);
  const fresh = built.every(existsSync) && Math.min(...built.map((f) => statSync(f).mtimeMs)) >= newest(`${root}src`);

  it('ESM and CommonJS builds search with their own workers', async function () {
    if (!fresh) this.skip(); // run `npm run build -w @chain/miner` first (npm run test:dist does both)
    const { stdout } = await promisify(execFile)(process.execPath, ['scripts/smoke-dist.mjs'], { cwd: root });
    assert.match(stdout, /esm: ok/);
    assert.match(stdout, /cjs: ok/);
  });
});
