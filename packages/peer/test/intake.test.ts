import assert from 'node:assert/strict';
import { ChainState, UNREQUESTED_DEPTH } from '@chain/core';
import { silentLogger } from '@chain/net';
import { Intake } from '../src/intake';
import type { PoolJournal } from '../src/storage/pool-journal';
import { NET, tx } from './helpers';
import { chainOn } from './forks';

const REMOTE = { kind: 'remote' } as const;

describe('intake', () => {
  it('a transaction that cannot be journaled leaves the pool through the chain: no template holds it', async () => {
    const chain = await ChainState.open({ params: NET });
    const journal = { append: () => Promise.reject(new Error('pool.log: write failed: ENOSPC')) } as unknown as PoolJournal;
    const intake = new Intake({ chain, journal, now: Date.now, logger: silentLogger });
    const version = chain.version;
    const admitted: string[] = [];
    intake.on('admitted', (e) => admitted.push(e.id));
    const templates: (string | null)[] = [];
    // Whoever follows the chain's version (the work manager) sees the template with it, then without it.
    chain.onChange(() => templates.push(chain.template(Date.now())?.templateHash ?? null));
    await assert.rejects(intake.admit(tx('no room'), REMOTE), /ENOSPC/);
    assert.equal(admitted.length, 1);
    assert.equal(chain.pool.size, 0);
    assert.ok(chain.version > version + 1, 'the version moved on again when it left');
    assert.equal(templates[templates.length - 1], null);
    assert.equal(chain.template(Date.now()), null);
  });

  it('accepts announced blocks as asked: one deep below the tip is stale and not reported; a sync batch of the same is stored', async () => {
    const chain = await ChainState.open({ params: NET });
    const intake = new Intake({ chain, journal: null, now: Date.now, logger: silentLogger });
    const blocks = chainOn(NET, null, UNREQUESTED_DEPTH + 5);
    await intake.accept(blocks, REMOTE);
    const late = chainOn(NET, blocks[1] ?? null, 1)[0];
    const reported: string[] = [];
    intake.on('block', (e) => reported.push(e.status));
    const [r] = await intake.accept([late], REMOTE, { unrequested: true });
    assert.equal(r && !r.ok && r.reason, 'stale');
    assert.deepEqual(reported, []);
    const [s] = await intake.accept([late], REMOTE);
    assert.equal(s?.ok && s.status, 'side');
    assert.deepEqual(reported, ['side']);
  });

  it('reports a refused transaction with its reason and source', async () => {
    const chain = await ChainState.open({ params: NET });
    const intake = new Intake({ chain, journal: null, now: Date.now, logger: silentLogger });
    const refused: unknown[] = [];
    intake.on('tx-refused', (e) => refused.push(e));
    const t = tx('once');
    assert.equal((await intake.admit(t, REMOTE)).ok, true);
    const again = await intake.admit(t, REMOTE);
    await intake.admit({ not: 'a transaction' }, { kind: 'local' });
    assert.deepEqual(refused, [
      { id: again.id, reason: 'duplicate', source: REMOTE },
      { id: undefined, reason: 'malformed', source: { kind: 'local' } },
    ]);
  });

  it('says whether a block was announced or fetched', async () => {
    const chain = await ChainState.open({ params: NET });
    const intake = new Intake({ chain, journal: null, now: Date.now, logger: silentLogger });
    const [a, b] = chainOn(NET, null, 2);
    const seen: boolean[] = [];
    intake.on('block', (e) => seen.push(e.announced));
    await intake.accept([a], REMOTE);
    await intake.accept([b], REMOTE, { unrequested: true });
    assert.deepEqual(seen, [false, true]);
  });
});
