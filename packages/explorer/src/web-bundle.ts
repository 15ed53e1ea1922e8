import { join } from 'node:path';

/** Files of the page besides the script, copied as they are. */
export const STATIC_FILES = ['index.html', 'style.css'] as const;

/**
 * Bundle the page's script (`src/web/app.ts` and what it imports, @chain/core
 * included) into one minified browser script with esbuild. The build writes it
 * to `dist/web/app.js`; a server running from source calls this on first use.
 */
export async function bundleWebScript(webDir: string): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(webDir, 'app.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    conditions: ['@chain/source'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output for the page');
  return out.text;
}
