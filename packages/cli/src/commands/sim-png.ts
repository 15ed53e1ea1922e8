import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

/** A browser to render with: its executable and the environment it needs. */
interface Browser {
  readonly executablePath: string;
  readonly env: Record<string, string>;
}

/** The packages a `.png` chart needs, with ranges whose every version accepts Node 20.19. */
export const PNG_PACKAGES = 'playwright-core@^1.65.1 @sparticuz/chromium@~143.0.4';

const NEEDS = 'a .png chart is drawn by a headless Chromium, which chain-peer does not install (about 65 MB)';
const INSTALL = `install it where chain-peer is installed: npm install ${PNG_PACKAGES} (add -g when chain-peer is global)`;

/** Loads a package by name; a parameter so that a test can stand for one that is not installed. */
export type Loader = (name: string) => Promise<unknown>;

const load: Loader = (name) => import(name);

/**
 * The browser that renders PNG charts: `CHROMIUM_PATH` when set, otherwise the Chromium of
 * `@sparticuz/chromium` (Linux x64), unpacked into the temporary directory on first use (a few
 * seconds) with the libraries it links against. A reason instead when neither is available,
 * naming what to install; checked before a run, so that a long run never ends without its chart.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env, loader: Loader = load): Promise<Browser | { unavailable: string }> {
  try {
    await loader('playwright-core');
  } catch {
    return { unavailable: `${NEEDS}; playwright-core is not installed: ${INSTALL}; or write .svg` };
  }
  const override = env.CHROMIUM_PATH;
  if (override !== undefined && override !== '') {
    if (!existsSync(override)) return { unavailable: `CHROMIUM_PATH is ${override}, which does not exist` };
    return { executablePath: override, env: {} };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return {
      unavailable: `${NEEDS}; this is ${process.platform} ${process.arch}: set CHROMIUM_PATH to a Chrome or Chromium, or write .svg`,
    };
  let chromium: typeof import('@sparticuz/chromium');
  try {
    chromium = (await loader('@sparticuz/chromium')) as typeof import('@sparticuz/chromium');
  } catch {
    return { unavailable: `${NEEDS}; @sparticuz/chromium is not installed: ${INSTALL}; or set CHROMIUM_PATH, or write .svg` };
  }
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const bin = join(entry.slice(0, entry.lastIndexOf(`${sep}build${sep}`)), 'bin');
  const [executablePath, libraries] = await Promise.all([
    chromium.default.executablePath(bin),
    inflater(entry)(join(bin, 'al2023.tar.br')),
  ]);
  const extra: Record<string, string> = { LD_LIBRARY_PATH: [join(libraries, 'lib'), env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  // The system's fonts when it has a fontconfig setup; otherwise the fonts unpacked beside the browser.
  if (env.FONTCONFIG_PATH === undefined && !existsSync('/etc/fonts/fonts.conf'))
    extra.FONTCONFIG_PATH = join(dirname(executablePath), 'fonts');
  return { executablePath, env: extra };
}

/** @sparticuz/chromium's own unpacker: exported from 149 on, a module beside the entry in 143 (the last to accept Node 20). */
function inflater(entry: string): (file: string) => Promise<string> {
  const own = createRequire(import.meta.url)(join(dirname(entry), 'lambdafs.cjs')) as { inflate: (file: string) => Promise<string> };
  return own.inflate;
}

/** Draw an SVG chart as PNG, at twice its size in pixels (sharp on high-density screens). */
export async function svgToPng(svg: string, browser: Browser): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const width = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)?.[1] ?? 720);
  const height = Number(/<svg[^>]*\sheight="(\d+)"/.exec(svg)?.[1] ?? 440);
  const b = await chromium.launch({ executablePath: browser.executablePath, headless: true, env: { ...process.env, ...browser.env } });
  try {
    const page = await b.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width, height } });
  } finally {
    await b.close();
  }
}
