import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findBrowser, PNG_PACKAGES, type Loader } from '../src/commands/sim-png';

const missing = (...names: string[]): Loader => {
  return async (name) => {
    if (names.includes(name)) throw new Error(`Cannot find package '${name}'`);
    return import(name);
  };
};

describe('sim --plot file.png without the browser packages', () => {
  it('names the packages to install, at the ranges the repository tests with', () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    const ranges = Object.fromEntries(
      PNG_PACKAGES.split(' ').map((p) => [p.slice(0, p.lastIndexOf('@')), p.slice(p.lastIndexOf('@') + 1)]),
    );
    assert.deepEqual(ranges, {
      'playwright-core': root.devDependencies['playwright-core'],
      '@sparticuz/chromium': root.devDependencies['@sparticuz/chromium'],
    });
  });

  it('says playwright-core is missing and the exact install command', async () => {
    const r = await findBrowser({}, missing('playwright-core', '@sparticuz/chromium'));
    assert.ok('unavailable' in r);
    assert.match(r.unavailable, /playwright-core is not installed/);
    assert.ok(r.unavailable.includes(`npm install ${PNG_PACKAGES}`), r.unavailable);
  });

  it('says @sparticuz/chromium is missing and the exact install command', async function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    const r = await findBrowser({}, missing('@sparticuz/chromium'));
    assert.ok('unavailable' in r);
    assert.match(r.unavailable, /@sparticuz\/chromium is not installed/);
    assert.ok(r.unavailable.includes(`npm install ${PNG_PACKAGES}`), r.unavailable);
  });

  it('finds the installed Chromium when both are there', async function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    const r = await findBrowser({});
    assert.ok(!('unavailable' in r), JSON.stringify(r));
    assert.match(r.executablePath, /chromium$/);
  });
});
