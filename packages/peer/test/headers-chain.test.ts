import assert from 'node:assert/strict';
import { ChainState, createGenesis, metaOf, type Block } from '@chain/core';
import { HeaderChain } from '../src/headers/header-chain';
import { NET } from './helpers';
import { chainOn } from './forks';
import { badBodyOn, badProofOn, chainWith, headersOf } from './headers-fixtures';

const genesis = createGenesis(NET);
const now = () => Date.now();

describe('header chain (headers first)', () => {
  const blocks = chainOn(NET, null, 120);
  const headers = headersOf(blocks);

  it('keeps a chain of checked headers from a block this peer holds', async () => {
    const hc = new HeaderChain(await ChainState.open({ params: NET }));
    assert.deepEqual(hc.extend(headers.slice(0, 100), now()), { added: 100 });
    assert.equal(hc.base?.hash, genesis.currentHash);
    assert.equal(hc.lastHeight, 101);
    assert.equal(hc.at(50)?.currentHash, blocks[48]?.currentHash);
    assert.equal(hc.heightOf(blocks[99]?.currentHash as string), 101);
    // The next reply follows the last header held.
    assert.deepEqual(hc.extend(headers.slice(100), now()), { added: 20 });
    assert.equal(hc.lastHeight, 121);
  });

  it('a header whose proof of work fails stops the chain there: those before are kept, none after it', async () => {
    const bad = badProofOn(blocks[59] as Block);
    const after = chainOn(NET, bad, 10);
    const hc = new HeaderChain(await ChainState.open({ params: NET }));
    const r = hc.extend([...headers.slice(0, 60), ...headersOf([bad, ...after])], now());
    assert.equal(r.added, 60);
    assert.equal(r.stop?.kind, 'invalid');
    assert.equal(r.stop?.reason, 'bad-pow');
    assert.equal(hc.lastHeight, 61);
    assert.equal(hc.heightOf(bad.currentHash), undefined);
  });

  it('a claimed hash that is not the hash of the fields is bad-hash; a header of no transaction empty-block', async () => {
    const hc = new HeaderChain(await ChainState.open({ params: NET }));
    const tampered = { ...(headers[5] as (typeof headers)[0]), timestamp: (headers[5]?.timestamp as number) + 1 };
    const r = hc.extend([...headers.slice(0, 5), tampered], now());
    assert.deepEqual([r.added, r.stop?.kind, r.stop?.reason], [5, 'invalid', 'bad-hash']);
    const empty = new HeaderChain(await ChainState.open({ params: NET }));
    assert.equal(empty.extend([{ ...(headers[0] as (typeof headers)[0]), txCount: 0 }], now()).stop?.reason, 'empty-block');
  });

  it('headers that follow no locator hash, or not each other, break the protocol', async () => {
    const hc = new HeaderChain(await ChainState.open({ params: NET }));
    assert.equal(hc.extend(headers.slice(10, 20), now()).stop?.kind, 'unlinked', 'a parent this peer never had');
    assert.equal(hc.base, null);
    const gap = hc.extend([...headers.slice(0, 10), ...headers.slice(11, 20)], now());
    assert.deepEqual([gap.added, gap.stop?.kind], [10, 'unlinked']);
  });

  it('a reply that follows another block this peer knows than the last header held is a switch of branch', async () => {
    const hc = new HeaderChain(await ChainState.open({ params: NET }));
    hc.extend(headers.slice(0, 30), now());
    const other = headersOf(chainOn(NET, blocks[9] as Block, 40, () => 2));
    assert.equal(hc.extend(other, now()).stop?.kind, 'switched');
    assert.equal(hc.lastHeight, 31, 'nothing taken');
  });

  it('a header from the future proves nothing: it stops the reply without calling it invalid', async () => {
    const ahead = chainOn(NET, blocks[19] as Block, 3, () => 1, Date.now() + 10 * 60_000);
    const hc = new HeaderChain(await ChainState.open({ params: NET }));
    const r = hc.extend([...headers.slice(0, 20), ...headersOf(ahead)], now());
    assert.deepEqual([r.added, r.stop?.kind], [20, 'future']);
  });

  it('a header of a block remembered invalid is refused with its reason', async () => {
    const chain = await chainWith(blocks.slice(0, 10));
    const bad = badBodyOn(blocks[9] as Block);
    assert.equal((await chain.addBlock(bad, Date.now())).ok, false);
    const hc = new HeaderChain(chain);
    const r = hc.extend(headersOf([bad]), now());
    assert.deepEqual([r.stop?.kind, r.stop?.reason], ['invalid', 'bad-transactions']);
  });

  it('headers of blocks already held move the base on: only what is missing is kept', async () => {
    const chain = await chainWith(blocks.slice(0, 40));
    const hc = new HeaderChain(chain);
    // As a server answers a locator it shares only the genesis of: from the start of its chain.
    assert.deepEqual(hc.extend(headers.slice(0, 70), now()), { added: 30 });
    assert.equal(hc.base?.hash, blocks[39]?.currentHash);
    assert.equal(hc.size, 30);
  });

  it('holds at most its window; stored headers are let go and the window moves on', async () => {
    const chain = await chainWith(blocks.slice(0, 30));
    const hc = new HeaderChain(await ChainState.open({ params: NET }), 50);
    const r = hc.extend(headers.slice(0, 80), now());
    assert.deepEqual([r.added, r.stop?.kind], [50, 'full']);
    hc.forget(31, metaOf(blocks[29] as Block));
    assert.deepEqual([hc.size, hc.room, hc.base?.index, hc.at(32)?.index], [20, 30, 31, 32]);
    assert.equal(hc.heightOf(blocks[10]?.currentHash as string), undefined);
    assert.ok(chain.meta(hc.base?.hash as string));
    assert.equal(hc.extend(headers.slice(50, 80), now()).added, 30);
  });

  it('its locator leads with the last header held, spaced back to the genesis, 64 hashes at most', async () => {
    const hc = new HeaderChain(await ChainState.open({ params: NET }));
    const own = [genesis.currentHash];
    assert.deepEqual(hc.locator(own), own, 'before any header: this peer’s own');
    hc.extend(headers, now());
    const loc = hc.locator(own);
    assert.equal(loc[0], blocks[119]?.currentHash);
    assert.equal(loc[1], blocks[118]?.currentHash);
    assert.equal(loc[loc.length - 1], genesis.currentHash);
    assert.ok(loc.length <= 64);
    assert.equal(new Set(loc).size, loc.length);
  });
});
