#!/usr/bin/env node
// Fails when the TypeScript sources of the packages import each other in a cycle.
//
// Every .ts/.tsx file under packages/*/src is read with TypeScript's own scanner (imports,
// re-exports, `import type`, dynamic `import()` and `require` alike: a type-only cycle is a cycle
// too) and every specifier is resolved with TypeScript's module resolution and the `@chain/source`
// condition, so `@chain/core` leads to packages/core/src/index.ts. Edges that leave packages/*/src
// (node:, node_modules) are ignored. Cycles across packages are found as well as inside one.
//
// Usage: node scripts/check-cycles.mjs [root]   (exit 0: no cycle; 1: cycles, each named)
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const packagesDir = join(root, 'packages');

/** Every source file of every package, and the source roots. */
function sourceFiles() {
  const files = [];
  const roots = [];
  for (const name of readdirSync(packagesDir).sort()) {
    const src = join(packagesDir, name, 'src');
    if (!existsSync(src) || !statSync(src).isDirectory()) continue;
    roots.push(src + sep);
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
      }
    };
    walk(src);
  }
  return { files, roots };
}

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ['@chain/source'],
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
};
const host = ts.createCompilerHost(compilerOptions);

const { files, roots } = sourceFiles();
const inSources = (path) => roots.some((r) => path.startsWith(r));
const rel = (path) => relative(root, path).split(sep).join('/');

/** file -> the source files it imports (resolved), in order of first appearance. */
const graph = new Map();
let edges = 0;
for (const file of files) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = new Set();
  for (const { fileName: specifier } of info.importedFiles) {
    const resolved = ts.resolveModuleName(specifier, file, compilerOptions, host).resolvedModule;
    if (!resolved) continue; // a workspace package resolves to its src (the `@chain/source` condition)
    const target = resolve(resolved.resolvedFileName);
    if (target !== file && inSources(target)) targets.add(target);
  }
  graph.set(file, [...targets]);
  edges += targets.size;
}

// Strongly connected components (Tarjan); every component of more than one file holds a cycle,
// and one shortest cycle through it is named.
let index = 0;
const state = new Map();
const stack = [];
const components = [];
function connect(v) {
  state.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!state.has(w)) {
      connect(w);
      state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
    } else if (state.get(w).onStack) {
      state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
    }
  }
  if (state.get(v).low === state.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component);
  }
}
for (const file of graph.keys()) if (!state.has(file)) connect(file);

/** A shortest cycle through `start` inside `members` (breadth-first). */
function cycleThrough(start, members) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let p = previous.get(v); p !== null; p = previous.get(p)) path.unshift(p);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const packages = new Set(files.map((f) => rel(f).split('/')[1]));
console.log(`check-cycles: ${files.length} source files, ${edges} imports in ${packages.size} packages (${[...packages].join(', ')})`);
if (components.length === 0) {
  console.log('check-cycles: no import cycle');
  process.exit(0);
}
for (const component of components) {
  const members = new Set(component);
  const first = [...component].sort()[0];
  console.error(`check-cycles: import cycle: ${cycleThrough(first, members).map(rel).join(' -> ')}`);
  console.error(`  (${component.length} files import each other in a ring: ${component.map(rel).sort().join(', ')})`);
}
console.error(
  `check-cycles: ${components.length} import cycle${components.length === 1 ? '' : 's'} found; break ${components.length === 1 ? 'it' : 'them'} (move the shared part to a leaf module)`,
);
process.exit(1);
