import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { STATIC_FILES, bundleWebScript } from './web-bundle';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
};

/**
 * The page's folder, `web/` next to this module: `dist/web/` when built (with
 * the bundled app.js), `src/web/` when running from source (app.ts and what it
 * imports are then bundled in memory with esbuild, once).
 */
export function webDir(): string {
  return join(fileURLToPath(new URL('.', import.meta.url)), 'web');
}

let loading: Promise<Map<string, Asset>> | null = null;

/** The page's files by name, loaded once per process. */
export function loadAssets(): Promise<Map<string, Asset>> {
  loading ??= (async () => {
    const dir = webDir();
    const built = join(dir, 'app.js');
    const files = new Map<string, Asset>();
    for (const name of STATIC_FILES) files.set(name, { type: TYPES[name] as string, body: await readFile(join(dir, name)) });
    const script = existsSync(built) ? await readFile(built) : Buffer.from(await bundleWebScript(dir));
    files.set('app.js', { type: TYPES['app.js'] as string, body: script });
    return files;
  })();
  loading.catch(() => (loading = null));
  return loading;
}
