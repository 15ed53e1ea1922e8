import assert from 'node:assert/strict';
import { ChainState, type Block } from '@chain/core';
import { GatedStore, mineTemplate } from '@chain/testkit';
import { silentLogger } from '@chain/net';
import { Intake } from '../src/intake';
import { LOCAL } from '../src/source';
import { NET, tx } from './helpers';

async function setup() {
  const store = new GatedStore();
  const chain = await ChainState.open({ params: NET, store });
  const intake = new Intake({ chain, journal: null, now: Date.now, logger: silentLogger });
  const events: string[] = [];
  intake.on('ready', (e) => events.push(`ready ${e.block.index} held ${store.held.length}`));
  intake.on('tip', (e) => events.push(`tip ${e.block.index}`));
  const next = async (): Promise<Block> => {
    assert.equal((await intake.admit(tx(), LOCAL)).ok, true);
    const t = chain.template(Date.now());
    assert.ok(t);
    return mineTemplate(NET, t);
  };
  return { store, chain, intake, events, next };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('own blocks ready before they are durable', () => {
  it('a block of its own is `ready` once valid, before its store put is done; `tip` follows when it is durable', async () => {
    const { store, chain, intake, events, next } = await setup();
    const block = await next();
    store.gated = true;
    const accepting = intake.accept([block], LOCAL);
    while (store.held.length === 0) await turn();
    assert.deepEqual(events, ['ready 2 held 0']);
    assert.equal(chain.height, 1, 'not the tip before it is durable');
    store.held.shift()!();
    const [r] = await accepting;
    assert.ok(r?.ok && r.status === 'extended');
    assert.deepEqual(events, ['ready 2 held 0', 'tip 2']);
  });

  it('a block from a neighbour, from sync or refused is not `ready`', async () => {
    const { intake, events, next } = await setup();
    const b2 = await next();
    await intake.accept([b2], { kind: 'neighbour', address: '127.0.0.1:7001' });
    const b3 = await next();
    await intake.accept([{ ...b3, proof: b3.proof + 1 }], LOCAL);
    assert.deepEqual(events, ['tip 2']);
  });

  it('a storage failure after `ready` leaves the chain as it was and fails the accept', async () => {
    const { store, chain, intake, events, next } = await setup();
    const block = await next();
    store.put = () => Promise.reject(new Error('disk full'));
    await assert.rejects(intake.accept([block], LOCAL), /disk full/);
    assert.deepEqual(events, ['ready 2 held 0']);
    assert.equal(chain.height, 1);
    assert.equal(chain.pool.size, 1, 'its transaction is still in the pool');
  });
});
