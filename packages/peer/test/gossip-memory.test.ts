import assert from 'node:assert/strict';
import { ChainState, txId } from '@chain/core';
import { silentLogger } from '@chain/net';
import type { HbReply } from '@chain/protocol';
import { registerHandlers, type HandlerContext } from '../src/handlers';
import { Inbound } from '../src/inbound';
import { Intake } from '../src/intake';
import { UploadBudget } from '../src/upload-budget';
import { NET, tx } from './helpers';
import { fakeServer } from './fake-server';

const A = '127.0.0.1:7001';

describe('gossip memory', () => {
  it('the intake reports a duplicate from a neighbour as seen, with its id; not one from elsewhere', async () => {
    const chain = await ChainState.open({ params: NET });
    const intake = new Intake({ chain, journal: null, now: Date.now, logger: silentLogger });
    const seen: { id: string; address: string }[] = [];
    intake.on('seen', (e) => seen.push({ id: e.id, address: e.source.kind === 'neighbour' ? e.source.address : e.source.kind }));
    const t = tx();
    assert.equal((await intake.admit(t, { kind: 'local' })).ok, true);
    await intake.admit(t, { kind: 'remote' });
    await intake.admit(t, { kind: 'neighbour', address: A });
    await intake.admit({ ...t, content: 42 }, { kind: 'neighbour', address: A }); // malformed: no id
    assert.deepEqual(seen, [{ id: txId(chain.genesisHash, t), address: A }]);
  });

  it('an hb reply leaves out of its pool what the requesting neighbour is known to have, and nothing for a stranger', async () => {
    const chain = await ChainState.open({ params: NET });
    const txs = [tx(), tx(), tx()];
    for (const t of txs) assert.equal(chain.addTransaction(t, Date.now()).ok, true);
    const ids = txs.map((t) => txId(chain.genesisHash, t));
    const inbound = new Inbound({ disconnect: () => undefined, isNeighbour: () => true, learn: () => 'known' });
    inbound.announce(1, '127.0.0.1', A);
    const { server, handlers } = fakeServer();
    const ctx = {
      chain,
      maxFrame: 1 << 20,
      logger: silentLogger,
      inbound,
      upload: new UploadBudget({ bytesPerSecond: 1 << 20, burstBytes: 1 << 20, now: Date.now }),
      listenAddress: () => '127.0.0.1:7000',
      knows: (source, id) => {
        return source.kind === 'neighbour' && source.address === A && id === ids[1];
      },
    } as Partial<HandlerContext> as HandlerContext;
    registerHandlers(server, ctx);
    const hb = handlers.get('hb') as (req: unknown, rc: unknown) => Promise<HbReply>;
    const req = { genesis: chain.genesisHash, locator: [chain.genesisHash], listen: null };
    const fromA = await hb(req, { connectionId: 1, remote: { host: '127.0.0.1' } });
    assert.deepEqual(
      fromA.pool.map((t) => txId(chain.genesisHash, t)),
      [ids[0], ids[2]],
    );
    const fromStranger = await hb(req, { connectionId: 2, remote: { host: '127.0.0.1' } });
    assert.deepEqual(
      fromStranger.pool.map((t) => txId(chain.genesisHash, t)),
      ids,
    );
  });
});
