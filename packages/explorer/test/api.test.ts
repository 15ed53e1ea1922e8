import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createClassicTransaction, metaOf, targetFromDifficulty, targetToHex, txId, type Block } from '@chain/core';
import type { Peer } from '@chain/peer';
import { startExplorer, type Explorer } from '@chain/explorer';
import { EASY_CLASSIC, EventReader, getJson, mineOn, nextEvent, postJson, startDevnet } from './helpers';

describe('explorer API', function () {
  let peers: Peer[];
  let explorer: Explorer;
  let api: string;
  const readers: EventReader[] = [];

  before(async () => {
    peers = await startDevnet(2, EASY_CLASSIC);
    explorer = await startExplorer({ peers, sampleMs: 100 });
    api = `${explorer.url}api`;
  });
  after(async () => {
    for (const r of readers) r.close();
    await explorer.close();
    await Promise.all(peers.map((p) => p.stop()));
  });

  const tx = (content: string, timestamp = Date.now()) => createClassicTransaction('abcd1234', { content, timestamp });

  /** Mine the pool of peer A into a block by hand (the peers do not mine). */
  async function mineA(): Promise<Block> {
    const a = peers[0]!;
    const template = a.chain.template(a.now());
    assert.ok(template, 'something to mine');
    const block = mineOn(a, a.chain.tip, template.transactions, template.timestamp);
    const r = await a.acceptBlock(block, { kind: 'local' });
    assert.ok(r.ok && r.status === 'extended');
    return block;
  }

  it('status: height, tip, pool, neighbours, hash rate', async () => {
    const { status, body } = await getJson(`${api}/status`);
    assert.equal(status, 200);
    assert.equal(body.peer, 'A');
    assert.equal(body.height, peers[0]!.chain.height);
    assert.equal(body.tip, peers[0]!.chain.tip.hash);
    assert.equal(body.network.name, 'explorer-test');
    assert.equal(body.genesisHash, peers[0]!.chain.genesisHash);
    for (const key of ['poolSize', 'hashrate', 'sideBlocks', 'connections', 'tipTimestamp']) assert.equal(typeof body[key], 'number', key);
    assert.ok(Array.isArray(body.neighbours));
    const b = await getJson(`${api}/status?peer=b`);
    assert.equal(b.body.peer, 'B');
    const none = await getJson(`${api}/status?peer=Z`);
    assert.equal(none.status, 404);
    assert.equal(none.body.error, 'not-found');
    assert.match(none.body.message, /peers: A, B/);
  });

  it('a transaction through POST /api/transactions: 202, then pending, then in a block, with events', async () => {
    const events = await EventReader.open(`${api}/events`);
    readers.push(events);
    assert.equal(events.status, 200);
    assert.match(events.contentType, /^text\/event-stream/);
    await events.waitFor('status');
    const t = tx('explorer api hello');
    const accepted = await postJson(`${api}/transactions`, t);
    assert.equal(accepted.status, 202);
    assert.equal(accepted.body.status, 'Accepted');
    const id = accepted.body.id as string;
    assert.equal(accepted.headers.get('location'), `/api/transactions/${id}`);
    assert.equal((await events.waitFor('tx', (d) => d.id === id)).source, 'remote');

    const pending = await getJson(`${api}/transactions/${id}`);
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body, { id, tx: t, status: 'pending', block: null });
    const pool = await getJson(`${api}/pool`);
    assert.deepEqual(
      pool.body.transactions.map((e: { id: string }) => e.id),
      [id],
    );
    assert.equal(pool.body.size, 1);

    const block = await mineA();
    const ev = await events.waitFor('block', (d) => d.block.hash === block.currentHash);
    assert.equal(ev.status, 'extended');
    assert.deepEqual(ev.txIds, [id]);
    assert.equal(ev.block.transactions, 1);
    const mined = await getJson(`${api}/transactions/${id}`);
    assert.equal(mined.body.status, 'confirmed');
    assert.deepEqual(mined.body.block, { index: block.index, hash: block.currentHash, confirmations: 1 });

    // The same transaction again: the tx opcode's reason, as a 409.
    const again = await postJson(`${api}/transactions`, t);
    assert.equal(again.status, 409);
    assert.equal(again.body.status, 'Rejected');
    assert.equal(again.body.reason, 'duplicate');
  });

  it('blocks: a page of summaries, one block by height or hash with its transactions', async () => {
    const a = peers[0]!;
    const list = await getJson(`${api}/blocks?from=1&limit=2`);
    assert.equal(list.status, 200);
    assert.equal(list.body.height, a.chain.height);
    assert.deepEqual(
      list.body.blocks.map((b: { index: number }) => b.index),
      [1, 2],
    );
    assert.deepEqual(Object.keys(list.body.blocks[0]).sort(), ['hash', 'index', 'previousHash', 'proof', 'timestamp', 'transactions']);
    const latest = await getJson(`${api}/blocks?limit=1`);
    assert.deepEqual(
      latest.body.blocks.map((b: { hash: string }) => b.hash),
      [a.chain.tip.hash],
    );

    const byHeight = await getJson(`${api}/blocks/2`);
    const byHash = await getJson(`${api}/blocks/${a.chain.hashAt(2)}`);
    assert.equal(byHeight.status, 200);
    assert.deepEqual(byHeight.body, byHash.body);
    assert.equal(byHeight.body.onBestChain, true);
    assert.equal(byHeight.body.block.currentHash, a.chain.hashAt(2));
    assert.equal(byHeight.body.transactions.length, byHeight.body.block.transactions.length);
    const genesis = await getJson(`${api}/blocks/1`);
    assert.equal(genesis.body.next, a.chain.hashAt(2));
  });

  it('4xx with reasons: rejected transactions, bad parameters, unknown things, oversized bodies', async () => {
    const cases: [string, unknown, number, string][] = [
      ['bad sender', { sender: 'nope', content: 'x', timestamp: Date.now() }, 422, 'bad-sender'],
      ['bad content', { sender: 'abcd1234', content: 'a|b', timestamp: Date.now() }, 422, 'bad-content'],
      ['stale', tx('old', Date.now() - 2 * 3600000), 422, 'stale'],
      ['future', tx('later', Date.now() + 3600000), 422, 'future'],
      ['extra field', { ...tx('x'), extra: 1 }, 400, 'malformed'],
    ];
    for (const [what, body, status, reason] of cases) {
      const r = await postJson(`${api}/transactions`, body);
      assert.equal(r.status, status, what);
      assert.deepEqual([r.body.status, r.body.reason, typeof r.body.message], ['Rejected', reason, 'string'], what);
    }
    const notJson = await postJson(`${api}/transactions`, '{"sender":');
    assert.deepEqual([notJson.status, notJson.body.error], [400, 'malformed']);
    const array = await postJson(`${api}/transactions`, [1]);
    assert.deepEqual([array.status, array.body.error], [400, 'malformed']);
    const form = await postJson(`${api}/transactions`, 'sender=abcd1234', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.deepEqual([form.status, form.body.error], [415, 'unsupported-media-type']);
    const big = await postJson(`${api}/transactions`, { ...tx('x'), content: 'y'.repeat(20_000) });
    assert.deepEqual([big.status, big.body.error], [413, 'too-large']);

    const expect = async (path: string, status: number, error: string) => {
      const r = await getJson(`${api}${path}`);
      assert.deepEqual([r.status, r.body.error], [status, error], path);
      assert.equal(typeof r.body.message, 'string');
    };
    await expect('/blocks/999', 404, 'not-found');
    await expect(`/blocks/${'ab'.repeat(32)}`, 404, 'not-found');
    await expect('/blocks/xyz', 400, 'malformed');
    await expect(`/transactions/${'cd'.repeat(32)}`, 404, 'not-found');
    await expect('/transactions/123', 400, 'malformed');
    await expect('/blocks?limit=-1', 400, 'malformed');
    await expect('/blocks?limit=100000', 400, 'malformed');
    await expect('/nothing', 404, 'not-found');
    const put = await getJson(`${api}/status`, { method: 'PUT' });
    assert.deepEqual([put.status, put.body.error, put.headers.get('allow')], [405, 'method-not-allowed', 'GET']);
    const head = await fetch(`${api}/events`, { method: 'HEAD' });
    assert.deepEqual([head.status, head.headers.get('content-type')], [200, 'text/event-stream; charset=utf-8']);
    const page = await fetch(`${explorer.url}nothing.html`);
    assert.equal(page.status, 404);
  });

  it('an oversized body streamed without content-length is refused with 413 too', async () => {
    const { port } = explorer.address;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/transactions',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write('x'.repeat(1024));
      req.end();
    });
    assert.equal(status, 413);
  });

  it('only answers loopback host names when bound to loopback', async () => {
    const { port } = explorer.address;
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/api/status', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 403);
  });

  it('peers: the neighbours and the local peers', async () => {
    const a = peers[0]!;
    const b = peers[1]!;
    if (!b.status().neighbours.some((n) => n.state === 'open')) await nextEvent(b, 'peer', ({ state }) => state === 'ready');
    const r = await getJson(`${api}/peers?peer=B`);
    assert.equal(r.status, 200);
    assert.equal(r.body.peer, 'B');
    assert.deepEqual(
      r.body.neighbours.map((n: { address: string }) => n.address),
      [a.listenAddress],
    );
    assert.deepEqual(
      r.body.local.map((p: { name: string }) => p.name),
      ['A', 'B'],
    );
    assert.deepEqual(r.body.neighbours[0], { ...r.body.neighbours[0], kind: 'configured', source: 'configured', configured: true });
    assert.ok(Array.isArray(r.body.candidates));
    // A learned B from its heartbeat: a neighbour once B answered A's hb, with the host that announced it.
    if (!a.neighbours.get(b.listenAddress))
      await nextEvent(a, 'peer', ({ address, state }) => address === b.listenAddress && state === 'ready');
    const learned = (await getJson(`${api}/peers?peer=A`)).body.neighbours.find((n: { address: string }) => n.address === b.listenAddress);
    assert.equal(learned.kind, 'neighbour');
    assert.equal(learned.source, '127.0.0.1');
    assert.equal(learned.failures, 0);
    assert.equal(typeof learned.lastSeen, 'number');
  });

  it('forks: side branches, abandoned blocks and reorganisations, with events', async () => {
    const events = await EventReader.open(`${api}/events`);
    readers.push(events);
    const a = peers[0]!;
    const parent = a.chain.meta(a.chain.tip.previousHash)!;
    const now = a.now();
    // A rival of the tip (a side block), then a child of the rival: a reorganisation.
    const rival = mineOn(a, parent, [tx('rival', now)], now);
    const r1 = await a.acceptBlock(rival, { kind: 'local' });
    assert.ok(r1.ok && r1.status === 'side');
    const side = await getJson(`${api}/forks`);
    assert.equal(side.body.sideBlocks, 1);
    assert.equal(side.body.branches.length, 1);
    assert.equal(side.body.branches[0].forkHeight, parent.index);
    assert.deepEqual(
      side.body.branches[0].blocks.map((b: { hash: string; abandoned: boolean }) => [b.hash, b.abandoned]),
      [[rival.currentHash, false]],
    );
    assert.equal((await events.waitFor('block', (d) => d.block.hash === rival.currentHash)).status, 'side');
    const onlySide = await getJson(`${api}/transactions/${txId(a.chain.genesisHash, rival.transactions[0]!)}`);
    assert.deepEqual(
      [onlySide.body.status, onlySide.body.block],
      ['side', { index: rival.index, hash: rival.currentHash, confirmations: 0 }],
    );
    const oldTip = a.chain.tip.hash;
    const child = mineOn(a, metaOf(rival), [tx('child', now)], now + 1);
    const r2 = await a.acceptBlock(child, { kind: 'local' });
    assert.ok(r2.ok && r2.status === 'reorg', JSON.stringify(r2).slice(0, 300));
    const reorg = await events.waitFor('reorg');
    assert.deepEqual(
      reorg.disconnected.map((b: { hash: string }) => b.hash),
      [oldTip],
    );
    assert.deepEqual(
      reorg.connected.map((b: { hash: string }) => b.hash),
      [rival.currentHash, child.currentHash],
    );
    assert.equal(reorg.forkHeight, parent.index);
    const forks = await getJson(`${api}/forks`);
    assert.deepEqual(forks.body.reorgs[0], reorg);
    assert.deepEqual(
      forks.body.branches[0].blocks.map((b: { hash: string; abandoned: boolean }) => [b.hash, b.abandoned]),
      [[oldTip, true]],
    );
    const abandoned = await getJson(`${api}/blocks/${oldTip}`);
    assert.deepEqual(
      [abandoned.body.onBestChain, abandoned.body.abandoned, abandoned.body.confirmations, abandoned.body.next],
      [false, true, 0, null],
    );
    // Its transaction went back to the pool and is pending again.
    const id = abandoned.body.transactions[0].id;
    assert.equal((await getJson(`${api}/transactions/${id}`)).body.status, 'pending');
  });

  it('event streams are limited (503 busy), and close() ends them', async () => {
    const small = await startExplorer({ peers, maxEventClients: 1 });
    const first = await EventReader.open(`${small.url}api/events?peer=B`);
    readers.push(first);
    assert.equal((await first.waitFor('status')).peer, 'B');
    const second = await getJson(`${small.url}api/events`);
    assert.deepEqual([second.status, second.body.error, second.headers.get('retry-after')], [503, 'busy', '5']);
    await small.close();
    await first.ended;
    await assert.rejects(fetch(`${small.url}api/status`));
  });

  it('stats: hash-rate samples and block intervals, each with the fixed difficulty', async () => {
    for (const content of ['stats 1', 'stats 2']) {
      assert.ok((await peers[0]!.submitTransaction(tx(content), { kind: 'local' })).ok);
      await mineA();
    }
    const r = await getJson(`${api}/stats`);
    assert.equal(r.status, 200);
    assert.ok(r.body.samples.length >= 1);
    assert.deepEqual(Object.keys(r.body.samples[0]).sort(), ['hashrate', 'height', 'time']);
    assert.ok(r.body.intervals.length >= 1);
    const fixed = { target: targetToHex(targetFromDifficulty(EASY_CLASSIC.difficulty)), work: String(16 ** EASY_CLASSIC.difficulty) };
    for (const i of r.body.intervals) {
      assert.ok(i.index >= 3 && i.ms >= 0, JSON.stringify(i));
      assert.deepEqual({ target: i.target, work: i.work }, fixed, `block ${i.index}`);
    }
  });

  it('serves the page, its script and its stylesheet', async () => {
    const page = await fetch(explorer.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await page.text(), /<script defer src="\/app.js"><\/script>/);
    const script = await fetch(`${explorer.url}app.js`);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.ok((await script.text()).length > 10_000);
    assert.equal((await fetch(`${explorer.url}style.css`)).status, 200);
  });
});
