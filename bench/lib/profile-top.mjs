#!/usr/bin/env node
// Summarise a .cpuprofile: self time by function and by file (top N). Usage: node bench/lib/profile-top.mjs FILE [N]
import { readFileSync } from 'node:fs';
const [file, n = '25'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const byFn = new Map();
const byFile = new Map();
let total = 0;
for (const node of prof.nodes) {
  const t = (dt.get(node.id) ?? 0) / 1000;
  total += t;
  const cf = node.callFrame;
  const file = (cf.url || '(native)').replace(/^file:\/\/.*\/(packages|node_modules)\//, '$1/');
  const k = `${cf.functionName || '(anonymous)'}  ${file}:${cf.lineNumber + 1}`;
  byFn.set(k, (byFn.get(k) ?? 0) + t);
  byFile.set(file, (byFile.get(file) ?? 0) + t);
}
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
console.log(`total ${total.toFixed(0)} ms`);
for (const [k, t] of top(byFn)) console.log(`${t.toFixed(1).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
console.log('--- by file');
for (const [k, t] of top(byFile)) console.log(`${t.toFixed(1).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)} %  ${k}`);
