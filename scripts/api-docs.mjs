#!/usr/bin/env node
// The API reference of the published packages, generated with TypeDoc into site/api (git-ignored).
//
// The entry points are each package's exports: every subpath of its `exports` map with the
// `@chain/source` condition (`@chain/core`, `@chain/core/node`, `@chain/core/pow`, …), and each is
// named after its import specifier. The options are in typedoc.json; a warning fails the run.
//
// Usage: node scripts/api-docs.mjs [--check]   (--check writes to a temporary directory and removes it)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter } from 'typedoc';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

/** Every published entry point: its source file and its import specifier. */
function entryPoints() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = [];
  for (const dir of workspaces.filter((w) => w.startsWith('packages/'))) {
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    if (pkg.private) continue;
    for (const [subpath, conditions] of Object.entries(pkg.exports ?? {})) {
      const source = typeof conditions === 'object' && conditions !== null ? conditions['@chain/source'] : undefined;
      if (typeof source !== 'string') continue;
      out.push({ file: join(root, dir, source), name: subpath === '.' ? pkg.name : pkg.name + subpath.slice(1) });
    }
  }
  return out;
}

const entries = entryPoints();
const out = check ? mkdtempSync(join(tmpdir(), 'chain-api-')) : join(root, 'site', 'api');
const started = Date.now();
const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json'), entryPoints: entries.map((e) => e.file), out });
// TypeDoc names a module after its path below the entry points' common directory (packages/):
// `core/src`, `core/src/node`; a reader imports it by package name, and links resolve against that.
const byPath = new Map(
  entries.map((e) => [
    relative(join(root, 'packages'), e.file)
      .replace(/\.ts$/, '')
      .replace(/\/index$/, ''),
    e.name,
  ]),
);
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
  for (const module of context.project.children ?? []) module.name = byPath.get(module.name) ?? module.name;
});
const project = await app.convert();
if (!project) {
  console.error('api-docs: TypeDoc could not convert the packages');
  process.exit(1);
}
app.validate(project);
if (!app.logger.hasErrors() && !app.logger.hasWarnings()) await app.generateDocs(project, out);
const failed = app.logger.hasErrors() || app.logger.hasWarnings();
if (check) rmSync(out, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failed) {
  console.error(`api-docs: TypeDoc reported the problems above (${seconds} s)`);
  process.exit(1);
}
console.log(
  `api-docs: ${entries.length} entry points, no warnings, ${check ? 'checked' : `written to ${relative(root, out)}`} (${seconds} s)`,
);
