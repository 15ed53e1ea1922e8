import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { packAll, publishedPackages, REPOSITORY, ROOT, run, SCRATCH, type Packed } from '../lib/packages';

const LICENSE = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

/** The package a bare module specifier names (`@chain/core/pow` → `@chain/core`), or null for a builtin or a relative path. */
function packageOf(specifier: string): string | null {
  if (
    specifier.startsWith('.') ||
    specifier.startsWith('/') ||
    specifier.startsWith('node:') ||
    builtinModules.includes(specifier.split('/')[0]!)
  )
    return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Modules named by the static imports and re-exports of an ES module or a declaration file. */
function staticImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]/g))
    found.push((m[1] ?? m[2])!);
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('package tarballs', () => {
  let packed: Packed[] = [];
  before(async () => {
    packed = await packAll();
  });

  it('covers every published package', () => {
    assert.deepEqual(
      packed.map((p) => p.pkg.dir),
      publishedPackages().map((p) => p.dir),
    );
    assert.ok(packed.length >= 7, `only ${packed.length} published packages found`);
  });

  for (const pkg of publishedPackages()) {
    describe(pkg.manifest.name, () => {
      const get = () => packed.find((p) => p.pkg.dir === pkg.dir)!;

      it('holds the LICENSE (the root one), the README, package.json and dist/', () => {
        const { files, unpacked } = get();
        for (const f of ['LICENSE', 'README.md', 'package.json'])
          assert.ok(files.includes(f), `${f} is not in the tarball of ${pkg.dir}: ${files.join(', ')}`);
        assert.equal(readFileSync(join(unpacked, 'LICENSE'), 'utf8'), LICENSE, `${pkg.dir}/LICENSE differs from the root LICENSE`);
        assert.ok(
          files.some((f) => f.startsWith('dist/')),
          `no dist/ in the tarball of ${pkg.dir}: is it built?`,
        );
        const stray = files.filter((f) => /^(src|test)\//.test(f) || f.endsWith('.tsbuildinfo'));
        assert.deepEqual(stray, [], 'sources and tests are not published');
      });

      it('says where it comes from: repository, homepage, bugs, keywords, author, licence', () => {
        const m = pkg.manifest;
        assert.deepEqual(m.repository, { type: 'git', url: `git+${REPOSITORY}.git`, directory: pkg.dir });
        assert.equal(m.homepage, `${REPOSITORY}/tree/main/${pkg.dir}#readme`);
        assert.deepEqual(m.bugs, { url: `${REPOSITORY}/issues` });
        assert.ok(
          Array.isArray(m.keywords) && m.keywords.length > 0 && m.keywords.every((k) => typeof k === 'string' && k !== ''),
          'keywords: a list of words',
        );
        assert.ok(typeof m.author === 'string' && m.author !== '', 'author');
        assert.equal(m.license, 'MIT');
      });

      it('has a package.json that `npm pkg fix` leaves as it is (npm publish would otherwise correct it, e.g. drop a bin)', async () => {
        const dir = mkdtempSync(join(SCRATCH, 'fix-'));
        copyFileSync(join(pkg.path, 'package.json'), join(dir, 'package.json'));
        await run('npm', ['pkg', 'fix'], { cwd: dir });
        assert.deepEqual(
          JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
          pkg.manifest,
          `npm pkg fix would change ${pkg.dir}/package.json`,
        );
      });

      it('imports, in its built code and type declarations, only its dependencies and Node builtins', () => {
        const { unpacked } = get();
        const m = pkg.manifest;
        const allowed = new Set([m.name, ...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
        const undeclared = new Set<string>();
        // ES modules and declarations; the CommonJS build mirrors the ES one. dist/web is a browser bundle.
        for (const file of filesUnder(join(unpacked, 'dist')).filter(
          (f) => /\.(js|d\.ts|d\.cts)$/.test(f) && !relative(unpacked, f).startsWith('dist/web/'),
        )) {
          for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
            const name = packageOf(specifier);
            if (name !== null && !allowed.has(name)) undeclared.add(`${name} (${relative(unpacked, file)})`);
          }
        }
        assert.deepEqual([...undeclared], [], `${pkg.dir} imports packages missing from its dependencies`);
      });
    });
  }
});
