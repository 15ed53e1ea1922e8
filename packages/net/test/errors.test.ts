import assert from 'node:assert/strict';
import { encodeFrame } from '@chain/protocol';
import { nextEvent, rawFrame, within } from '@chain/testkit';
import { startServer, type Fixture } from './fixture';
import { HASH, RawPeer } from './helpers';

describe('the error codes of the specification, provoked over TCP', () => {
  let fx: Fixture;
  const peers: RawPeer[] = [];
  const open = async (options?: { read?: boolean }) => {
    const peer = await RawPeer.open(fx.port, options);
    peers.push(peer);
    return peer;
  };

  beforeEach(async () => {
    fx = await startServer();
  });
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await within(fx.server.close(), 3000, 'server close');
  });

  async function expectFatal(peer: RawPeer, code: string) {
    const reply = await peer.frame(0);
    assert.equal(reply.op, 'er');
    assert.equal(reply.op === 'er' && reply.payload.code, code);
    await peer.waitClosed();
  }

  const fatal: [what: string, bytes: Buffer | string, code: string][] = [
    ['frame-too-large: a header above maxFrame, then close', Buffer.from([0xff, 0xff, 0xff, 0xff]), 'frame-too-large'],
    ['frame-too-large: an HTTP request is garbage with a huge length', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'frame-too-large'],
    ['bad-frame: a zero-length frame, then close', Buffer.from([0, 0, 0, 0]), 'bad-frame'],
    ['bad-frame: garbage opcode bytes, then close', Buffer.from([0, 0, 0, 4, 0xff, 0xfe, 0x01, 0x02]), 'bad-frame'],
  ];
  for (const [what, bytes, code] of fatal) {
    it(what, async () => {
      const peer = await open();
      peer.write(bytes);
      await expectFatal(peer, code);
    });
  }

  it('bad-frame: replies before the bad frame are still sent, in order', async () => {
    const peer = await open();
    peer.write(Buffer.concat([encodeFrame('gp'), encodeFrame('pb', { from: 7 }), Buffer.from([0, 0, 0, 1, 0x61])]));
    assert.equal((await peer.frame(0)).op, 'gp');
    assert.deepEqual(await peer.frame(1), { op: 'pb', payload: { height: 7, blocks: [] } });
    assert.equal((await peer.frame(2)).op, 'er');
    await peer.waitClosed();
  });

  it('unknown-opcode: the connection stays', async () => {
    const peer = await open();
    peer.write(Buffer.concat([rawFrame('zz', '{}'), rawFrame('er', '{}'), encodeFrame('gp')]));
    const [a, b, c] = [await peer.frame(0), await peer.frame(1), await peer.frame(2)];
    assert.deepEqual(a.op === 'er' && a.payload.code, 'unknown-opcode');
    assert.deepEqual(b.op === 'er' && b.payload.code, 'unknown-opcode');
    assert.equal(c.op, 'gp');
  });

  it('more pipelined malformed requests than maxInFlight are all answered, in order', async () => {
    const peer = await open();
    // Errors are answered without a handler: 100 of them once filled every slot and stalled.
    const bad = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? rawFrame('zz') : rawFrame('pb', '{"from":0}')));
    peer.write(Buffer.concat([...bad, encodeFrame('gp')]));
    assert.equal((await peer.frame(100)).op, 'gp');
    for (let i = 0; i < 100; i++) {
      const r = await peer.frame(i);
      assert.equal(r.op === 'er' && r.payload.code, i % 2 === 0 ? 'unknown-opcode' : 'malformed');
    }
  });

  it('malformed: invalid JSON and wrong shapes name the problem; the connection stays', async () => {
    const peer = await open();
    peer.write(
      Buffer.concat([
        rawFrame('tx', '{"sender":'),
        rawFrame('up', `{"proof":9007199254740992,"templateHash":"${HASH}"}`),
        rawFrame('up', `{"proof":1e309,"templateHash":"${HASH}"}`),
        rawFrame('tx', '{"__proto__":{"x":1}}'),
        rawFrame('tx', '['.repeat(100000)),
        encodeFrame('gp'),
      ]),
    );
    const expected = ['JSON', 'proof', 'proof', '__proto__', 'nesting'];
    for (const [i, word] of expected.entries()) {
      const reply = await peer.frame(i);
      assert.ok(reply.op === 'er' && reply.payload.code === 'malformed', JSON.stringify(reply));
      assert.ok(reply.payload.message.includes(word), reply.payload.message);
    }
    assert.equal((await peer.frame(5)).op, 'gp');
  });

  it('wrong-network: thrown by a handler; the connection stays', async () => {
    const peer = await open();
    peer.write(encodeFrame('hb', { genesis: 'cd'.repeat(32), locator: [HASH], listen: null }));
    peer.write(encodeFrame('hb', { genesis: HASH, locator: [HASH], listen: '127.0.0.1:7001' }));
    const reply = await peer.frame(0);
    assert.ok(reply.op === 'er' && reply.payload.code === 'wrong-network');
    assert.equal((await peer.frame(1)).op, 'hb');
  });

  it('internal: a handler that throws is logged, and never kills the server', async () => {
    const peer = await open();
    peer.write(encodeFrame('tx', { content: 'throw' }));
    peer.write(encodeFrame('tx', { content: 'invalid reply' }));
    peer.write(encodeFrame('tx', { content: 'fine' }));
    for (const i of [0, 1]) {
      const reply = await peer.frame(i);
      assert.ok(reply.op === 'er' && reply.payload.code === 'internal', JSON.stringify(reply));
    }
    assert.deepEqual(await peer.frame(2), { op: 'tx', payload: { status: 'Accepted', id: HASH } });
    const errors = fx.logger.at('error');
    assert.equal(errors.length, 2);
    assert.match(String(errors[0]?.fields?.error), /handler bug/);
    assert.match(String(errors[1]?.fields?.error), /invalid reply/);
    const other = await open();
    other.write(encodeFrame('gp'));
    assert.equal((await other.frame(0)).op, 'gp');
  });

  it('a half frame that stalls is closed after the partial-frame deadline', async () => {
    const peer = await open();
    const started = Date.now();
    const full = encodeFrame('pb', { from: 1, limit: 2 });
    peer.write(full.subarray(0, 9));
    const [info] = await nextEvent<[{ reason: string }]>(fx.server, 'disconnect');
    assert.equal(info.reason, 'partial-frame-timeout');
    assert.ok(Date.now() - started >= 190, `closed after ${Date.now() - started} ms`);
    const reply = await peer.frame(0);
    assert.ok(reply.op === 'er' && reply.payload.code === 'bad-frame');
    await peer.waitClosed();
  });

  it('dribbling the bytes of one frame does not extend its deadline', async () => {
    const peer = await open();
    const frame = encodeFrame('tx', { content: 'x'.repeat(200) });
    let sent = 0;
    const started = Date.now();
    const drip = setInterval(() => {
      if (sent < frame.length - 1) peer.write(frame.subarray(sent, ++sent)); // never the last byte
    }, 20);
    try {
      const [info] = await nextEvent<[{ reason: string }]>(fx.server, 'disconnect');
      assert.equal(info.reason, 'partial-frame-timeout');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 190 && elapsed < 1500, `closed after ${elapsed} ms`);
    } finally {
      clearInterval(drip);
    }
  });

  it('a complete frame clears the deadline; a header alone starts it', async () => {
    const peer = await open();
    peer.write(encodeFrame('gp'));
    assert.equal((await peer.frame(0)).op, 'gp');
    peer.write(Buffer.from([0, 0]));
    const [info] = await nextEvent<[{ reason: string }]>(fx.server, 'disconnect');
    assert.equal(info.reason, 'partial-frame-timeout');
  });

  it('busy: 300 simultaneous connections against a limit of 256, none allowed to give way', async function () {
    this.timeout(15000);
    await fx.server.close();
    fx = await startServer({ canEvict: () => false });
    const closedPeers: RawPeer[] = [];
    let allTurnedAway!: () => void;
    const turnedAway = new Promise<void>((resolve) => (allTurnedAway = resolve));
    const all = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const peer = await open();
        void peer.closed.then(() => {
          closedPeers.push(peer);
          if (closedPeers.length === 44) allTurnedAway();
        });
        return peer;
      }),
    );
    await within(turnedAway, 8000, '44 connections turned away');
    for (const peer of closedPeers) {
      const reply = await peer.frame(0);
      assert.ok(reply.op === 'er' && reply.payload.code === 'busy', JSON.stringify(reply));
    }
    assert.equal(fx.server.connections.length, 256);
    // the accepted ones are served
    const served = all.filter((p) => !closedPeers.includes(p));
    assert.equal(served.length, 256);
    const first = served[0] as RawPeer;
    first.write(encodeFrame('gp'));
    assert.equal((await first.frame(0)).op, 'gp');
    assert.equal(closedPeers.length, 44);
  });
});
