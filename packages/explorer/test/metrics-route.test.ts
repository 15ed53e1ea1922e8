import assert from 'node:assert/strict';
import { Peer } from '@chain/peer';
import { EASY_CLASSIC } from '@chain/testkit';
import { startExplorer, type Explorer } from '@chain/explorer';

describe('explorer /metrics', () => {
  let peer: Peer;
  let explorer: Explorer | undefined;
  before(async () => {
    peer = await Peer.start({ network: EASY_CLASSIC, port: 0, mine: false });
  });
  afterEach(() => explorer?.close());
  after(() => peer.stop());

  it('serves the metrics it is given at /metrics, as they are made at each scrape', async () => {
    let scrapes = 0;
    const metrics = { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => `chain_scrapes ${++scrapes}\n` };
    explorer = await startExplorer({ peers: peer, metrics });
    const first = await fetch(`${explorer.url}metrics`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), metrics.contentType);
    assert.equal(await first.text(), 'chain_scrapes 1\n');
    assert.equal(await (await fetch(`${explorer.url}metrics`)).text(), 'chain_scrapes 2\n');
    const post = await fetch(`${explorer.url}metrics`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  it('has no /metrics without them', async () => {
    explorer = await startExplorer({ peers: peer });
    assert.equal((await fetch(`${explorer.url}metrics`)).status, 404);
  });
});
