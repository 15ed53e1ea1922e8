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
 * Where the page is: `dist/web/` next to the built module (index.html,
 * style.css and the bundled app.js), or, when running from source, the
 * package's `web/` folder, whose app.ts is bundled in memory with esbuild.
 */
export function webDirs(): { built: string; source: string } {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return { built: join(here, 'web'), source: join(here, '..', 'web') };
}

let loading: Promise<Map<string, Asset>> | null = null;

/** The page's files by name, loaded once per process. */
export function loadAssets(): Promise<Map<string, Asset>> {
  loading ??= (async () => {
    const { built, source } = webDirs();
    const fromBuild = existsSync(join(built, 'app.js'));
    const dir = fromBuild ? built : source;
    const files = new Map<string, Asset>();
    for (const name of STATIC_FILES) files.set(name, { type: TYPES[name] as string, body: await readFile(join(dir, name)) });
    const script = fromBuild ? await readFile(join(built, 'app.js')) : Buffer.from(await bundleWebScript(source));
    files.set('app.js', { type: TYPES['app.js'] as string, body: script });
    return files;
  })();
  loading.catch(() => (loading = null));
  return loading;
}
