import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A browser to render with: its executable and the environment it needs. */
interface Browser {
  readonly executablePath: string;
  readonly env: Record<string, string>;
}

const NEEDS =
  'a .png chart is drawn by a headless Chromium: chain-peer installs playwright-core and @sparticuz/chromium (Linux x64) as optional dependencies';

/**
 * The browser that renders PNG charts: `CHROMIUM_PATH` when set, otherwise the Chromium of the
 * optional dependency `@sparticuz/chromium` (Linux x64), unpacked into the temporary directory on
 * first use (a few seconds) with the libraries it links against. A reason instead when neither is
 * available; checked before a run, so that a long run never ends without its chart.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<Browser | { unavailable: string }> {
  try {
    await import('playwright-core');
  } catch {
    return { unavailable: `${NEEDS}, and playwright-core is not installed (npm install playwright-core), or write .svg` };
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
    chromium = await import('@sparticuz/chromium');
  } catch {
    return { unavailable: `${NEEDS}, and @sparticuz/chromium is not installed: set CHROMIUM_PATH, or write .svg` };
  }
  const bin = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', 'bin');
  const [executablePath, libraries] = await Promise.all([
    chromium.default.executablePath(bin),
    chromium.inflate(join(bin, 'al2023.tar.br')),
  ]);
  const extra: Record<string, string> = { LD_LIBRARY_PATH: [join(libraries, 'lib'), env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  // The system's fonts when it has a fontconfig setup; otherwise the fonts unpacked beside the browser.
  if (env.FONTCONFIG_PATH === undefined && !existsSync('/etc/fonts/fonts.conf'))
    extra.FONTCONFIG_PATH = join(dirname(executablePath), 'fonts');
  return { executablePath, env: extra };
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
