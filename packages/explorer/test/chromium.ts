import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import chromium from '@sparticuz/chromium';

/** A Chromium to launch: its executable and the environment it needs. */
export interface FoundChromium {
  executablePath: string;
  env: Record<string, string>;
  /** Where it came from, for messages. */
  source: string;
}

/**
 * The browser of the browser test, from the `CHROMIUM_PATH` environment variable when it is set,
 * otherwise the Chromium of `@sparticuz/chromium` (Linux x64 only): its brotli archive is unpacked
 * into the temporary directory on first use (about 2 s; later runs reuse it), with the NSS and
 * expat libraries it links against, so that nothing but Node is needed. Returns a reason instead
 * when neither is available on this platform.
 *
 * No switches are added to the ones playwright-core passes (`--headless`, `--no-sandbox` unless
 * `chromiumSandbox` is set, `--disable-background-networking`, `--disable-component-update`,
 * `--no-first-run`, …), which suffice as root and with no network. `chromium.args` are for AWS
 * Lambda (`--single-process`, `--no-zygote`) and weaken the page's security
 * (`--disable-web-security`), so the page would not be tested as a browser runs it.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium | { unavailable: string }> {
  const override = env.CHROMIUM_PATH;
  if (override !== undefined && override !== '') {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH is ${override}, which does not exist`);
    return { executablePath: override, env: {}, source: `CHROMIUM_PATH (${override})` };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      unavailable: `@sparticuz/chromium runs on Linux x64 only (this is ${process.platform} ${process.arch}): set CHROMIUM_PATH to a Chrome or Chromium executable`,
    };
  }
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@sparticuz/chromium');
  const bin = join(entry.slice(0, entry.lastIndexOf(`${sep}build${sep}`)), 'bin');
  // The package's own unpacker: exported from 149 on, a module beside the entry in 143 (the last to accept Node 20).
  const { inflate } = require(join(dirname(entry), 'lambdafs.cjs')) as { inflate: (file: string) => Promise<string> };
  const [executablePath, libraries] = await Promise.all([chromium.executablePath(bin), inflate(join(bin, 'al2023.tar.br'))]);
  const libDir = join(libraries, 'lib');
  const extra: Record<string, string> = { LD_LIBRARY_PATH: [libDir, env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  // The system's fonts when it has a fontconfig setup; otherwise the fonts unpacked beside the browser.
  if (env.FONTCONFIG_PATH === undefined && !existsSync('/etc/fonts/fonts.conf'))
    extra.FONTCONFIG_PATH = join(dirname(executablePath), 'fonts');
  return { executablePath, env: extra, source: `@sparticuz/chromium (${executablePath})` };
}
