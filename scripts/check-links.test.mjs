// The link checker finds what is broken and nothing else: node --test scripts/
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { anchorOf, brokenLinks } from './check-links.mjs';

function repo(files) {
  const root = mkdtempSync(join(tmpdir(), 'check-links-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('anchors are GitHub heading slugs', () => {
  assert.equal(anchorOf('The `tx` reply (§5.7)'), 'the-tx-reply-57');
  assert.equal(anchorOf('Signing takes named fields'), 'signing-takes-named-fields');
});

test('names each missing file and missing heading, with its line', () => {
  const root = repo({
    'README.md': '# Top\n\nSee [the guide](docs/guide.md#setup) and [gone](docs/gone.md).\n',
    'docs/guide.md': '# Guide\n\n## Set up\n\n[back](../README.md#top) [self](#guide) [bad](#nowhere)\n',
    'packages/a/README.md': '![pic](../../docs/pic.png) [web](https://example.org/x.md)\n',
  });
  assert.deepEqual(brokenLinks(root), [
    'README.md:3: docs/guide.md#setup (no heading #setup in docs/guide.md)',
    'README.md:3: docs/gone.md (no such file: docs/gone.md)',
    'docs/guide.md:5: #nowhere (no heading #nowhere in docs/guide.md)',
    'packages/a/README.md:1: ../../docs/pic.png (no such file: docs/pic.png)',
  ]);
});

test('ignores links inside code and accepts repeated headings, directories and references', () => {
  const root = repo({
    'README.md':
      '# A\n\n## Same\n\n## Same\n\n[two](#same-1) [dir](docs) [ref][r]\n\n' +
      '```md\n[not a link](missing.md)\n```\n\nAnd `[nor](this.md)`.\n\n[r]: docs/x.md\n',
    'docs/x.md': '# X\n',
  });
  assert.deepEqual(brokenLinks(root), []);
});
