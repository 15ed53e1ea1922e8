import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packAll, publishedPackages, ROOT, run, SCRATCH, type Packed } from '../lib/packages';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * Where a third-party dependency of a package is installed in this checkout: the package's own
 * node_modules first (a version the root does not hoist), then the root's.
 */
function installed(dependency: string, from: string): string {
  for (const dir of [join(from, 'node_modules', dependency), join(ROOT, 'node_modules', dependency)]) if (existsSync(dir)) return dir;
  throw new Error(`${dependency} (a dependency of ${from}) is not installed: run npm ci`);
}

/**
 * A project that installed every published package from its tarball: SCRATCH/consumer, whose
 * node_modules holds the unpacked tarballs (packAll) and links to their third-party dependencies.
 */
async function consumer(): Promise<{ dir: string; packed: Packed[]; specifiers: string[] }> {
  const packed = await packAll();
  const dir = join(SCRATCH, 'consumer');
  const ours = new Set(packed.map((p) => p.pkg.manifest.name));
  const linked = new Set<string>();
  for (const { pkg } of packed) {
    for (const dependency of Object.keys(pkg.manifest.dependencies ?? {})) {
      if (ours.has(dependency) || linked.has(dependency)) continue;
      const link = join(dir, 'node_modules', dependency);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(installed(dependency, pkg.path), link, 'dir');
      linked.add(dependency);
    }
  }
  const types = join(dir, 'node_modules', '@types', 'node');
  mkdirSync(dirname(types), { recursive: true });
  symlinkSync(installed('@types/node', ROOT), types, 'dir');
  return { dir, packed, specifiers: publishedPackages().flatMap((p) => p.specifiers) };
}

/** Type-check `files` in `dir` with these compiler options and no skipLibCheck: every declaration is checked. */
async function typecheck(dir: string, compilerOptions: Record<string, unknown>, files: string[]): Promise<string> {
  const options = { ...compilerOptions, strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', types: ['node'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files }, null, 2));
  return run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
    () => '',
    (err: { stdout?: string; stderr?: string; message: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message,
  );
}

/** A module that imports every entry point, namespace-wise. */
function importsOf(specifiers: string[]): string {
  return (
    specifiers.map((s, i) => `import * as m${i} from '${s}';\n`).join('') +
    `export const entries = [${specifiers.map((_, i) => `m${i}`).join(', ')}];\n`
  );
}

describe('consumers of the packed tarballs', () => {
  let dir = '';
  let specifiers: string[] = [];
  before(async () => {
    ({ dir, specifiers } = await consumer());
  });

  it('type-check under moduleResolution node16, from CommonJS and from ESM (TS1479 if CommonJS types import an ESM-only module)', async () => {
    const sub = join(dir, 'node16');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }));
    writeFileSync(join(sub, 'from-cjs.cts'), importsOf(specifiers));
    writeFileSync(join(sub, 'from-esm.mts'), importsOf(specifiers));
    assert.equal(await typecheck(sub, { module: 'node16', moduleResolution: 'node16' }, ['from-cjs.cts', 'from-esm.mts']), '');
  });

  it('type-check under moduleResolution bundler', async () => {
    const sub = join(dir, 'bundler');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'index.ts'), importsOf(specifiers));
    assert.equal(await typecheck(sub, { module: 'esnext', moduleResolution: 'bundler' }, ['index.ts']), '');
  });

  it('load with require() and import(), with the same exports', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const out = {};
      for (const s of ${JSON.stringify(specifiers)}) {
        out[s] = { cjs: Object.keys(require(s)).sort(), esm: Object.keys(await import(s)).sort() };
      }
      console.log(JSON.stringify(out));
    `;
    writeFileSync(join(dir, 'load.mjs'), script);
    // A plain Node: no tsx, no @chain/source condition, so the published files are what loads.
    const { stdout } = await run(process.execPath, ['load.mjs'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' } });
    const loaded = JSON.parse(stdout) as Record<string, { cjs: string[]; esm: string[] }>;
    assert.deepEqual(Object.keys(loaded), specifiers);
    for (const [s, { cjs, esm }] of Object.entries(loaded)) {
      assert.ok(esm.length > 0, `${s} exports nothing`);
      assert.deepEqual(cjs, esm, `${s}: the CommonJS and ES builds export different names`);
    }
  });

  it('run the chain-peer command from its bin entry', async () => {
    const cli = publishedPackages().find((p) => p.manifest.bin !== undefined);
    assert.ok(cli, 'a package has a bin');
    const { name, version, bin } = cli.manifest;
    for (const [command, file] of Object.entries(bin ?? {})) {
      const { stdout }: { stdout: string } = await run(process.execPath, [join(dir, 'node_modules', name, file), '--version'], {
        cwd: dir,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      assert.equal(stdout.trim(), version, `${command} --version`);
    }
  });
});
