#!/usr/bin/env node
// Fails when a relative link in the repository's Markdown docs leads nowhere.
//
// Reads README.md, docs/*.md (and docs/*/ one level down), packages/*/README.md and
// examples/*/README.md; every inline link or image `[text](target)` and every reference
// definition `[name]: target` outside code is checked: the file (or directory) must exist and a
// `#fragment` on a Markdown file must be one of its headings as GitHub anchors them. Links with a
// scheme (https:, mailto:) are not fetched.
//
// Usage: node scripts/check-links.mjs [root]   (exit 0: every link resolves; 1: each broken one named)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The Markdown files checked under `root`. */
export function markdownFiles(root) {
  const files = [];
  const add = (path) => existsSync(path) && statSync(path).isFile() && files.push(path);
  add(join(root, 'README.md'));
  const mdIn = (dir, depth) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isFile() && entry.name.endsWith('.md')) files.push(path);
      else if (entry.isDirectory() && depth > 0) mdIn(path, depth - 1);
    }
  };
  mdIn(join(root, 'docs'), 1);
  for (const group of ['packages', 'examples']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) add(join(dir, name, 'README.md'));
  }
  return files;
}

/** The text with fenced code blocks and inline code blanked, so that their brackets are not links. */
function withoutCode(text) {
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(`+)[^`\n]*?\1/g, (m) => ' '.repeat(m.length));
}

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorsCache = new Map();

/** Every anchor a Markdown file offers (headings, numbered as GitHub does when repeated, and explicit ids). */
function anchorsOf(file) {
  let anchors = anchorsCache.get(file);
  if (anchors) return anchors;
  anchors = new Set();
  const seen = new Map();
  const text = readFileSync(file, 'utf8').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = anchorOf(heading.replace(/`/g, ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id);
  anchorsCache.set(file, anchors);
  return anchors;
}

/** The relative link targets of one Markdown text, with their line numbers. */
export function linksOf(text) {
  const plain = withoutCode(text);
  const out = [];
  const lineAt = (index) => plain.slice(0, index).split('\n').length;
  for (const m of plain.matchAll(/!?\[(?:[^\]\n]|\n(?!\n))*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    out.push({ target: m[1], line: lineAt(m.index) });
  }
  for (const m of plain.matchAll(/^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
    out.push({ target: m[1], line: lineAt(m.index) });
  }
  return out.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target));
}

/** The broken links of the files, each as `file:line: target (why)`. */
export function brokenLinks(root, files = markdownFiles(root)) {
  const broken = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const { target, line } of linksOf(text)) {
      const [pathPart, fragment] = target.split('#', 2);
      const path = decodeURIComponent(pathPart ?? '');
      const dest = path === '' ? file : resolve(dirname(file), path);
      const where = `${relative(root, file)}:${line}: ${target}`;
      if (!existsSync(dest)) {
        broken.push(`${where} (no such file: ${relative(root, dest)})`);
        continue;
      }
      if (fragment && dest.endsWith('.md') && !anchorsOf(dest).has(fragment.toLowerCase())) {
        broken.push(`${where} (no heading #${fragment} in ${relative(root, dest)})`);
      }
    }
  }
  return broken;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const files = markdownFiles(root);
  const broken = brokenLinks(root, files);
  for (const b of broken) console.error(`check-links: ${b}`);
  console.log(`check-links: ${files.length} Markdown files, ${broken.length} broken link${broken.length === 1 ? '' : 's'}`);
  process.exit(broken.length === 0 ? 0 : 1);
}
