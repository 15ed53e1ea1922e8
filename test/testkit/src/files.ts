import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkParams } from '@chain/core';

/** A new empty directory named `<prefix><random>` in `parent` (made if missing), by default the system's temporary directory. */
export function tmpDir(prefix = 'chain-test-', parent = tmpdir()): string {
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, prefix));
}

/** Write `params` as a network file `<dir>/<name>.json`; returns its path. */
export function writeNetworkFile(dir: string, params: NetworkParams): string {
  const file = join(dir, `${params.name}.json`);
  writeFileSync(file, JSON.stringify(params));
  return file;
}
