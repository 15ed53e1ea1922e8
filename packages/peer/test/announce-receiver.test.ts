import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ChainState, txId, type AddTxResult } from '@chain/core';
import { silentLogger } from '@chain/net';
import { ProtocolError, type HiReply, type TbReply } from '@chain/protocol';
import { ManualClock } from '@chain/testkit';
import { Fetcher, MAX_ANNOUNCERS, PER_ANNOUNCER, STRANGERS, strangerKey, type AnnouncerRef } from '../src/announce/fetcher';
import { registerAnnounceHandlers, type AnnounceHandlerContext } from '../src/announce/handlers';
import { Inbound } from '../src/inbound';
import { Intake } from '../src/intake';
import type { Source } from '../src/source';
import { fakeServer } from './fake-server';
import { NET, tx } from './helpers';

const idN = (i: number | string): string => createHash('sha256').update(`id ${i}`).digest('hex');
const TIMEOUT = 2000;

/** A body in these tests: the id it stands for and the verdict the rules give it. */
interface Body {
  readonly id: string;
  readonly verdict: 'ok' | 'bad-signature' | 'stale';
}
const body = (id: string, verdict: Body['verdict'] = 'ok'): Body => ({ id, verdict });

const neighbour = (address: string): AnnouncerRef => ({ key: address, address });
const stranger = (connectionId: number): AnnouncerRef => ({ key: strangerKey(connectionId), address: null });

/**
 * A fetcher on a manual clock: `held` is what this peer has (pool or chain); neighbours' connections
 * answer `gt` with `serve(address, ids)`; `asked` records every `gt`.
 */
function setup(serve: (address: string, ids: string[]) => Promise<Body[]> | Body[] = () => [], reachable = (_a: string) => true) {
  const clock = new ManualClock(1_000_000);
  const held = new Set<string>();
  const asked: { address: string; ids: string[]; at: number }[] = [];
  const noted: string[] = [];
  const fetcher = new Fetcher({
    now: () => clock.now,
    timers: clock,
    fetchTimeoutMs: TIMEOUT,
    maxFrame: 16 * 1024 * 1024,
    has: (id) => held.has(id),
    connection: (address) =>
      reachable(address)
        ? ({
            request: async (_op: 'gt', payload: any) => {
              asked.push({ address, ids: payload.ids, at: clock.now });
              return { txs: await serve(address, payload.ids) };
            },
          } as never)
        : undefined,
    admit: async (input: unknown): Promise<AddTxResult> => {
      const b = input as Body;
      if (b.verdict === 'ok') {
        held.add(b.id);
        return { ok: true, status: 'Accepted', id: b.id, tx: b as never };
      }
      return { ok: false, status: 'Rejected', reason: b.verdict, message: b.verdict, id: b.id };
    },
    note: (address, id) => noted.push(`${address} ${id}`),
    logger: silentLogger,
  });
  /** Deliver `bodies` as a `tb` from `key` would: admitted, then reported. */
  const deliver = async (key: string, bodies: Body[]) => {
    for (const b of bodies) {
      const r: AddTxResult =
        b.verdict === 'ok'
          ? (held.add(b.id), { ok: true, status: 'Accepted', id: b.id, tx: b as never })
          : { ok: false, status: 'Rejected', reason: b.verdict, message: '', id: b.id };
      fetcher.received(key, b.id, r);
    }
  };
  return { clock, held, asked, noted, fetcher, deliver };
}

const A = '10.0.0.1:6000';
const B = '10.0.0.2:6000';
const C = '10.0.0.3:6000';

describe('announcements: receiver', () => {
  describe('what an ia wants', () => {
    it('ids it has neither in its pool nor its chain, nor asked of another in time; each announcer noted as having them', () => {
      const { fetcher, held, noted } = setup();
      held.add(idN(1));
      assert.deepEqual(fetcher.announced(neighbour(A), [idN(1), idN(2), idN(3), idN(2)]), [1, 2], 'not the held one, not twice');
      assert.deepEqual(fetcher.announced(neighbour(B), [idN(2), idN(4)]), [1], 'not the one asked of A');
      assert.deepEqual(fetcher.announced(neighbour(A), [idN(2)]), [], 'not again of A, which owes it');
      assert.ok(noted.includes(`${B} ${idN(2)}`) && noted.includes(`${A} ${idN(1)}`), 'announcers have what they announce');
      assert.deepEqual(fetcher.announced(stranger(7), [idN(9)]), [0]);
      assert.ok(!noted.some((n) => n.endsWith(idN(9))), 'nothing is noted for a stranger');
    });

    it('once the deadline passed without the body, the next announcement is wanted', async () => {
      const { fetcher, clock } = setup();
      assert.deepEqual(fetcher.announced(stranger(1), [idN(1)]), [0]);
      await clock.advance(TIMEOUT - 1);
      assert.deepEqual(fetcher.announced(stranger(2), [idN(1)]), [], 'still in time');
      await clock.advance(1);
      assert.equal(fetcher.size, 0, 'nobody else to ask (a stranger cannot be asked again): dropped');
      assert.deepEqual(fetcher.announced(stranger(2), [idN(1)]), [0]);
    });
  });

  describe('deadlines and the next announcer', () => {
    it('asks the neighbours that announced it too, in turn, with gt: once each, one at a time', async () => {
      const { fetcher, clock, asked } = setup((address, ids) => (address === C ? ids.map((id) => body(id)) : []));
      fetcher.announced(stranger(1), [idN(1), idN(2)]); // asked, never delivers
      fetcher.announced(neighbour(B), [idN(1), idN(2)]);
      fetcher.announced(neighbour(C), [idN(2), idN(1)]);
      await clock.advance(TIMEOUT - 1);
      assert.equal(asked.length, 0, 'the first announcer has its full time');
      await clock.advance(1);
      // B is asked for both in one gt and sends nothing: C is asked at once.
      assert.deepEqual(
        asked.map((a) => [a.address, a.ids]),
        [
          [B, [idN(1), idN(2)]],
          [C, [idN(1), idN(2)]],
        ],
      );
      assert.equal(fetcher.size, 0, 'C delivered');
      await clock.advance(10 * TIMEOUT);
      assert.equal(asked.length, 2, 'nothing fetched twice');
    });

    it('skips a neighbour it cannot reach; a gt that fails moves on at once', async () => {
      const { fetcher, clock, asked, held } = setup(
        (address, ids) => {
          if (address === B) throw new Error('timeout');
          return ids.map((id) => body(id));
        },
        (address) => address !== A,
      );
      fetcher.announced(stranger(1), [idN(1)]);
      for (const n of [A, B, C]) fetcher.announced(neighbour(n), [idN(1)]);
      await clock.advance(TIMEOUT);
      assert.deepEqual(
        asked.map((a) => a.address),
        [B, C],
      );
      assert.ok(held.has(idN(1)));
    });

    it('a copy with a bad signature from the one asked moves on at once (the id does not cover the signature); from another, nothing', async () => {
      const { fetcher, clock, asked, deliver } = setup((_a, ids) => ids.map((id) => body(id)));
      fetcher.announced(stranger(1), [idN(1)]);
      fetcher.announced(neighbour(B), [idN(1)]);
      await deliver(strangerKey(9), [body(idN(1), 'bad-signature')]);
      assert.equal(asked.length, 0, 'a third party’s bad copy changes nothing');
      await deliver(strangerKey(1), [body(idN(1), 'bad-signature')]);
      assert.deepEqual(
        asked.map((a) => [a.address, clock.now]),
        [[B, clock.now]],
        'B asked at once',
      );
      await clock.advance(0);
      assert.equal(fetcher.size, 0, 'B delivered');
    });

    it('a body admitted, held already or refused for what every copy shares ends the fetch', async () => {
      const { fetcher, clock, asked, deliver } = setup();
      fetcher.announced(stranger(1), [idN(1), idN(2)]);
      for (const id of [idN(1), idN(2)]) fetcher.announced(neighbour(B), [id]);
      await deliver(strangerKey(5), [body(idN(1))]); // whoever sent it
      await deliver(strangerKey(1), [body(idN(2), 'stale')]);
      assert.equal(fetcher.size, 0);
      await clock.advance(TIMEOUT * 2);
      assert.equal(asked.length, 0);
    });
  });

  describe('bounds', () => {
    it('an announcer gets at most PER_ANNOUNCER ids asked of it at once; strangers STRANGERS in all; others are not affected', async () => {
      const { fetcher, clock } = setup();
      let k = 0;
      const fresh = (n: number) => Array.from({ length: n }, () => idN(`f${k++}`));
      assert.equal(fetcher.announced(neighbour(A), fresh(1000)).length, PER_ANNOUNCER);
      assert.equal(fetcher.announced(neighbour(A), fresh(1000)).length, 0, 'no more until it delivers or its asks time out');
      const strangersWanted = [1, 2, 3, 4, 5, 6].map((c) => fetcher.announced(stranger(c), fresh(1000)).length);
      assert.equal(
        strangersWanted.reduce((x, y) => x + y, 0),
        STRANGERS,
      );
      assert.equal(fetcher.announced(neighbour(B), fresh(1000)).length, PER_ANNOUNCER, 'a neighbour keeps its own allowance');
      assert.equal(fetcher.size, 2 * PER_ANNOUNCER + STRANGERS);
      await clock.advance(TIMEOUT);
      assert.equal(fetcher.size, 0, 'undelivered asks are forgotten at their deadline');
      assert.equal(fetcher.charged(A), 0);
      assert.equal(fetcher.announced(neighbour(A), fresh(10)).length, 10, 'and the allowance is back');
    });

    it('remembers at most MAX_ANNOUNCERS other announcers of an id', async () => {
      const { fetcher, clock, asked } = setup();
      fetcher.announced(stranger(1), [idN(1)]);
      for (let i = 0; i < 3 * MAX_ANNOUNCERS; i++) fetcher.announced(neighbour(`10.1.0.${i}:6000`), [idN(1)]);
      await clock.advance(TIMEOUT);
      assert.equal(asked.length, MAX_ANNOUNCERS, 'each remembered one asked once, none sends it');
      assert.equal(fetcher.size, 0);
    });

    it('a flood of announced random ids leaves nothing behind, and an honest copy still comes within the deadline', async () => {
      const { fetcher, clock, held } = setup((address, ids) => (address === B ? ids.map((id) => body(id)) : []));
      const start = clock.now;
      for (let round = 0; round < 50; round++) {
        fetcher.announced(
          stranger(1),
          Array.from({ length: 1000 }, (_, i) => idN(`r${round} ${i}`)),
        );
        if (round === 0) {
          fetcher.announced(stranger(2), [idN('real')]); // asked first, never delivers
          fetcher.announced(neighbour(B), [idN('real')]);
        }
        assert.ok(fetcher.size <= 2 * PER_ANNOUNCER + 1, `round ${round}: ${fetcher.size} tracked`);
        if (clock.now >= start + TIMEOUT + 1) assert.ok(held.has(idN('real')), 'the honest neighbour delivered within the deadline');
        await clock.advance(TIMEOUT / 10);
      }
      assert.ok(held.has(idN('real')), 'the honest neighbour delivered');
      await clock.advance(TIMEOUT);
      assert.equal(fetcher.size, 0);
    });
  });

  describe('the heartbeat’s pool (fetchPool)', () => {
    it('fetches with gt what it lacks and nobody is asked for; notes all as the neighbour’s; one at a time per neighbour', async () => {
      const { fetcher, asked, held, noted } = setup();
      held.add(idN(1));
      fetcher.announced(stranger(1), [idN(2)]);
      let release: () => void = () => undefined;
      const request = (_op: 'gt', p: { ids: string[] }) => {
        asked.push({ address: B, ids: p.ids, at: 0 });
        return new Promise<{ txs: Body[] }>((resolve) => (release = () => resolve({ txs: p.ids.map((id) => body(id)) })));
      };
      const n = { address: B, client: { request } as never };
      const first = fetcher.fetchPool(n, [idN(1), idN(2), idN(3), idN(3)]);
      await fetcher.fetchPool(n, [idN(4)]); // returns at once: one at a time
      assert.deepEqual(
        asked.map((a) => a.ids),
        [[idN(3)]],
      );
      release();
      await first;
      assert.ok(held.has(idN(3)));
      assert.ok([1, 2, 3].every((i) => noted.includes(`${B} ${idN(i)}`)));
      const next = fetcher.fetchPool(n, [idN(4)]);
      assert.equal(asked.length, 2, 'the next call fetches');
      release();
      await next;
    });
  });
});

describe('announcements: handlers', () => {
  const NEIGHBOUR = '127.0.0.1:7001';

  async function handlers(o: { admit?: (tx: unknown, source: Source) => Promise<AddTxResult>; maxFrame?: number } = {}) {
    const chain = await ChainState.open({ params: NET });
    const intake = new Intake({ chain, journal: null, now: Date.now, logger: silentLogger });
    const learned: string[] = [];
    const inbound = new Inbound({
      disconnect: () => undefined,
      isNeighbour: (a) => a === NEIGHBOUR,
      learn: (_host, address) => (learned.push(address), 'learned'),
    });
    const noted: string[] = [];
    const fetched: string[] = [];
    const fetcher = {
      announced: (from: AnnouncerRef, ids: readonly string[]) => (fetched.push(from.key), ids.map((_, i) => i).filter((i) => i % 2 === 0)),
      received: (key: string, id: string) => void fetched.push(`${key} got ${id}`),
    };
    const ctx: AnnounceHandlerContext = {
      chain,
      maxFrame: o.maxFrame ?? 1 << 20,
      logger: silentLogger,
      inbound,
      listenAddress: () => '127.0.0.1:7000',
      admitReceived: o.admit ?? ((t, s) => intake.admit(t, s)),
      knows: (source, id) => source.kind === 'neighbour' && noted.includes(`${source.address} ${id}`),
      note: (address, id) => void noted.push(`${address} ${id}`),
      fetcher,
    };
    const { server, call } = fakeServer();
    registerAnnounceHandlers(server, ctx);
    return { chain, call, learned, noted, fetched, inbound };
  }

  it('hi: the tip and the ids of pool transactions the requester is not known to have; another network is refused', async () => {
    const { chain, call, learned, noted } = await handlers();
    const txs = [tx(), tx(), tx()];
    for (const t of txs) assert.ok(chain.addTransaction(t, Date.now()).ok);
    const ids = txs.map((t) => txId(chain.genesisHash, t));
    noted.push(`${NEIGHBOUR} ${ids[1]}`);
    const reply = await call<HiReply>('hi', { genesis: chain.genesisHash, listen: NEIGHBOUR }, 1);
    assert.deepEqual(reply, { height: 1, hash: chain.tip.hash, pool: [ids[0], ids[2]] });
    assert.deepEqual(learned, [NEIGHBOUR], 'the listen address is offered to the book as hb does');
    const fromStranger = await call<HiReply>('hi', { genesis: chain.genesisHash, listen: null }, 2);
    assert.deepEqual(fromStranger.pool, ids);
    await assert.rejects(
      call('hi', { genesis: 'ab'.repeat(32), listen: null }, 3),
      (e: unknown) => e instanceof ProtocolError && e.code === 'wrong-network',
    );
  });

  it('ia: the fetcher decides, for the neighbour the connection is or for the connection', async () => {
    const { call, fetched, chain } = await handlers();
    await call('hi', { genesis: chain.genesisHash, listen: NEIGHBOUR }, 1);
    assert.deepEqual(await call('ia', { ids: [idN(1), idN(2), idN(3)] }, 1), { want: [0, 2] });
    await call('ia', { ids: [idN(1)] }, 2);
    assert.deepEqual(fetched, [NEIGHBOUR, strangerKey(2)]);
  });

  it('tb: admits the bodies together and answers how many went in and why the others did not', async () => {
    const { call, chain, fetched } = await handlers();
    const [t1, t2] = [tx(), tx()];
    assert.ok(chain.addTransaction(t2, Date.now()).ok);
    const reply = await call<TbReply>('tb', { txs: [t1, t2, { sender: 'x' }] }, 4);
    assert.deepEqual(reply, {
      accepted: 1,
      rejected: [
        { index: 1, reason: 'duplicate' },
        { index: 2, reason: 'malformed' },
      ],
    });
    assert.ok(chain.pool.has(txId(chain.genesisHash, t1)));
    const ids = [t1, t2].map((t) => txId(chain.genesisHash, t));
    assert.deepEqual(fetched, [`${strangerKey(4)} got ${ids[0]}`, `${strangerKey(4)} got ${ids[1]}`], 'what came is reported');
  });

  it('tb: a body that cannot be stored is er internal naming the failure', async () => {
    const { call } = await handlers({
      admit: async () => {
        throw new Error('pool.log: ENOSPC');
      },
    });
    await assert.rejects(
      call('tb', { txs: [tx()] }),
      (e: unknown) => e instanceof ProtocolError && e.code === 'internal' && /ENOSPC/.test(e.message),
    );
  });

  it('gt: the pool transactions asked for, in the order asked, within the frame; the neighbour is noted as having them', async () => {
    const { call, chain, noted } = await handlers({ maxFrame: 4096 + 200 });
    const txs = Array.from({ length: 10 }, () => tx());
    for (const t of txs) assert.ok(chain.addTransaction(t, Date.now()).ok);
    const ids = txs.map((t) => txId(chain.genesisHash, t));
    await call('hi', { genesis: chain.genesisHash, listen: NEIGHBOUR }, 1);
    const asked = [ids[5], idN('unknown'), ids[0], ids[9], ids[1], ids[2], ids[3]] as string[];
    const reply = await call<{ txs: unknown[] }>('gt', { ids: asked }, 1);
    const got = reply.txs.map((t) => txId(chain.genesisHash, t as never));
    assert.ok(got.length >= 1 && got.length < 6, `as many as fit in the frame, got ${got.length}`);
    assert.deepEqual(got, [ids[5], ids[0], ids[9], ids[1], ids[2]].slice(0, got.length));
    assert.ok(Buffer.byteLength(JSON.stringify(reply)) <= 220, 'within the budget left in the frame');
    assert.deepEqual(
      noted,
      got.map((id) => `${NEIGHBOUR} ${id}`),
    );
  });
});
