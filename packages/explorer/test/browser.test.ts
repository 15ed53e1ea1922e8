import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { metaOf, signTransaction, randomSecretSeed } from '@chain/core';
import type { Peer } from '@chain/peer';
import { startExplorer, type Explorer } from '@chain/explorer';
import { tmpDir } from '@chain/testkit';
import { findChromium } from './chromium';
import { EASY_SIGNED, mineOn, nextEvent, startDevnet } from './helpers';

/** The picture in the READMEs, rewritten only when asked: `UPDATE_SCREENSHOT=1 npm test`. */
const SCREENSHOT = fileURLToPath(new URL('../../../docs/explorer.png', import.meta.url));
const UPDATE_SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1';
const DEADLINE = 20_000;

describe('explorer page in a real browser', function () {
  this.timeout(60_000);
  let peers: Peer[] = [];
  let explorer: Explorer | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  const errors: string[] = [];

  before(async function () {
    const browser = await findChromium();
    if ('unavailable' in browser) {
      console.warn(`    browser test skipped: ${browser.unavailable}`);
      this.skip();
    }
    profile = tmpDir('chain-explorer-chromium-');
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: browser.executablePath,
        headless: true,
        env: { ...process.env, ...browser.env },
        viewport: { width: 1440, height: 960 },
      });
    } catch (err) {
      throw new Error(
        `could not start the browser from ${browser.source} (if an earlier run was interrupted while unpacking it, delete it): ${(err as Error).message}`,
      );
    }
    peers = await startDevnet(3, EASY_SIGNED, { mine: true });
    explorer = await startExplorer({ peers, sampleMs: 250 });
  });

  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await explorer?.close();
    await Promise.all(peers.map((p) => p.stop()));
  });

  /** Some history to look at: a few mined blocks, then a reorganisation on A that abandons its tip. */
  async function makeHistory(): Promise<void> {
    const a = peers[0]!;
    const seed = randomSecretSeed();
    for (let i = 1; i <= 4; i++) {
      const mined = nextEvent(
        a,
        'block',
        ({ block }) => block.transactions.length > 0 && block.transactions[0]!.content === `warm-up ${i}`,
        DEADLINE,
      );
      const r = await peers[i % peers.length]!.submitTransaction(
        signTransaction({ genesisHash: a.chain.genesisHash, secretKey: seed, content: `warm-up ${i}`, timestamp: Date.now() }),
      );
      assert.ok(r.ok);
      await mined;
    }
    const tip = a.chain.tip;
    const parent = a.chain.meta(tip.previousHash)!;
    const now = a.now();
    const rival = mineOn(
      a,
      parent,
      [signTransaction({ genesisHash: a.chain.genesisHash, secretKey: seed, content: 'rival branch', timestamp: now })],
      now,
    );
    const child = mineOn(
      a,
      metaOf(rival),
      [signTransaction({ genesisHash: a.chain.genesisHash, secretKey: seed, content: 'rival wins', timestamp: now })],
      now + 1,
    );
    assert.ok((await a.acceptBlock(rival, { kind: 'local' })).ok);
    const r = await a.acceptBlock(child, { kind: 'local' });
    assert.ok(r.ok && r.status === 'reorg');
    // The abandoned block's transaction went back to the pool: let it be mined again before the page opens.
    if (a.chain.pool.size > 0) await nextEvent(a, 'block', () => a.chain.pool.size === 0, DEADLINE);
  }

  async function open(): Promise<Page> {
    const page = await context!.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(explorer!.url);
    await page.locator('#live.on').waitFor({ timeout: DEADLINE });
    await page.locator('[data-testid=strip] g.block').first().waitFor({ timeout: DEADLINE });
    return page;
  }

  it('submits a transaction through the form, sees it mined live, clicks into it', async () => {
    await makeHistory();
    const page = await open();
    assert.equal(await page.locator('[data-testid=height]').textContent(), String(peers[0]!.chain.height));
    assert.ok((await page.locator('[data-testid=strip] g.block.abandoned').count()) >= 1, 'the abandoned block is drawn');
    assert.equal(await page.locator('[data-testid=peer-select] option').count(), 3);

    await page.locator('[data-testid=content]').fill('hello from the browser');
    await page.locator('[data-testid=submit]').click();
    const result = page.locator('[data-testid=submit-result]');
    await result.getByText('Accepted').waitFor({ timeout: DEADLINE });
    const id = await result.getAttribute('data-id');
    assert.match(id ?? '', /^[0-9a-f]{64}$/);

    // Live: the transaction is followed until a block holds it, and that block is marked in the strip.
    const mined = page.locator(`[data-testid=mine] li.mined[data-id="${id}"]`);
    await mined.waitFor({ timeout: DEADLINE });
    const href = (await mined.locator('a[href^="#block/"]').getAttribute('href')) ?? '';
    const hash = href.slice('#block/'.length);
    const block = page.locator(`[data-testid=strip] g.block.mine[data-hash="${hash}"]`);
    await block.waitFor({ timeout: DEADLINE });
    const onPeer = await peers[0]!.chain.getBlock(hash);
    assert.ok(onPeer, 'the block is on the peer');

    await block.click();
    await page.getByTestId('detail-title').getByText(`Block #${onPeer.index}`).waitFor({ timeout: DEADLINE });
    await page.locator(`[data-testid=strip] g.block.selected[data-hash="${hash}"]`).waitFor({ timeout: DEADLINE });
    const row = page.locator(`[data-testid=block-txs] tr[data-tx="${id}"]`);
    assert.equal(await row.locator('td.content').textContent(), 'hello from the browser');

    await row.locator('a').click();
    await page.getByTestId('detail-title').getByText(`in block #${onPeer.index}`).waitFor({ timeout: DEADLINE });
    assert.equal(await page.getByTestId('tx-content').textContent(), 'hello from the browser');
    assert.equal((await page.locator('[data-testid=interval-chart] rect.bar').count()) > 0, true, 'block intervals are drawn');
    assert.equal(await page.locator('[data-testid=hashrate-chart] polyline').count(), 1, 'the hash rate is drawn');
    assert.equal(await page.locator('[data-testid=difficulty-chart] polyline').count(), 1, 'the difficulty is drawn');
    assert.match((await page.getByTestId('difficulty-chart').getAttribute('data-current')) ?? '', /^\d+ hashes$/);

    const png = await page.screenshot({ fullPage: true, ...(UPDATE_SCREENSHOT ? { path: SCREENSHOT } : {}) });
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'the page renders to a PNG');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a rejected transaction with its reason', async () => {
    const page = await open();
    await page.locator('[data-testid=content]').fill('no | pipes');
    await page.locator('[data-testid=submit]').click();
    await page.locator('[data-testid=submit-result]').getByText('bad-content').waitFor({ timeout: DEADLINE });
    // Another peer of the devnet through the selector.
    await page.locator('[data-testid=peer-select]').selectOption('B');
    await page.waitForURL(/\?peer=B$/, { timeout: DEADLINE });
    await page.getByText(`Neighbours of B`).waitFor({ timeout: DEADLINE });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
