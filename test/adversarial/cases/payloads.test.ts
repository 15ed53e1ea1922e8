import assert from 'node:assert/strict';
import { killAll, mineAt, rawFrame } from '@chain/testkit';
import {
  RawConn,
  SIGNED,
  assertServed,
  genesisOf,
  makeBlock,
  servedDuring,
  signedTx,
  snapshot,
  startPeer,
  type PeerProcess,
  type Snapshot,
} from '../lib/harness';

const G = genesisOf(SIGNED);
const HASH = G.currentHash;
const P53 = '9007199254740992';

interface Case {
  readonly name: string;
  readonly op: string;
  readonly body: string | Buffer;
  /** `er CODE` (connection stays unless fatal), or a reply `op:status:reason`. */
  readonly expect: string;
  /** The connection is closed after the reply. */
  readonly closes?: boolean;
  /** The error message must match (names the field). */
  readonly message?: RegExp;
}

/** `op` with each raw JSON value of `field` in `body(raw)`: `er malformed` naming the field. */
function malformedField(op: string, field: string, raws: readonly string[], body: (raw: string) => string): Case[] {
  return raws.map((raw) => ({
    name: `${op} with ${field} ${raw.slice(0, 16)}`,
    op,
    body: body(raw),
    expect: 'er malformed',
    message: new RegExp(field),
  }));
}

/** An object with one field replaced by raw JSON text (so that 1.5 or 2^53 travel exactly as written). */
function withField(base: Record<string, unknown>, field: string, raw: string | undefined): string {
  const parts = Object.entries(base)
    .filter(([k]) => k !== field)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  if (raw !== undefined) parts.push(`${JSON.stringify(field)}:${raw}`);
  return `{${parts.join(',')}}`;
}

const tx = signedTx(SIGNED, 'a well-formed transaction') as unknown as Record<string, unknown>;
const block = makeBlock(SIGNED, G, [signedTx(SIGNED, 'in a block')]) as unknown as Record<string, unknown>;
const hb = { genesis: HASH, locator: [HASH], listen: null };
const up = { proof: 1, templateHash: HASH };

const cases: Case[] = [
  // Bytes that are not UTF-8 or not JSON.
  {
    name: 'tx with invalid UTF-8',
    op: 'tx',
    body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    expect: 'er malformed',
    message: /UTF-8/,
  },
  {
    name: 'hb with a lone continuation byte',
    op: 'hb',
    body: Buffer.concat([Buffer.from('{"genesis":"'), Buffer.from([0x80]), Buffer.from('"}')]),
    expect: 'er malformed',
    message: /UTF-8/,
  },
  {
    name: 'nb with an overlong encoding',
    op: 'nb',
    body: Buffer.concat([Buffer.from('{"block":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
    expect: 'er malformed',
    message: /UTF-8/,
  },
  { name: 'tx with truncated JSON', op: 'tx', body: JSON.stringify(tx).slice(0, 40), expect: 'er malformed' },
  { name: 'pb with truncated JSON', op: 'pb', body: '{"from":1', expect: 'er malformed' },
  { name: 'up with trailing garbage', op: 'up', body: `${JSON.stringify(up)}}`, expect: 'er malformed' },
  // Depth bombs and prototype keys.
  { name: 'tx of 100,000 nested brackets', op: 'tx', body: '['.repeat(100_000), expect: 'er malformed', message: /nesting deeper than 64/ },
  {
    name: 'nb of 100,000 nested objects',
    op: 'nb',
    body: '{"block":'.repeat(50_000),
    expect: 'er malformed',
    message: /nesting deeper than 64/,
  },
  {
    name: 'hb of 100,000 balanced brackets',
    op: 'hb',
    body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    expect: 'er malformed',
    message: /nesting/,
  },
  {
    name: 'tx with a __proto__ key',
    op: 'tx',
    body: '{"__proto__":{"admin":true},"sender":"x"}',
    expect: 'er malformed',
    message: /__proto__/,
  },
  { name: 'tx with an escaped __proto__ key', op: 'tx', body: '{"\\u005f_proto__":{}}', expect: 'er malformed', message: /__proto__/ },
  {
    name: 'nb with __proto__ inside the block',
    op: 'nb',
    body: '{"block":{"index":2,"__proto__":{"x":1}}}',
    expect: 'er malformed',
    message: /block\.__proto__/,
  },
  { name: 'hb with a constructor key', op: 'hb', body: '{"constructor":{"prototype":{}}}', expect: 'er malformed', message: /constructor/ },
  // up: proofs that are not safe non-negative integers.
  ...malformedField('up', 'proof', ['-1', '1.5', P53, '1e309', '1E3', '"1"', 'null', 'true', '[1]'], (raw) => withField(up, 'proof', raw)),
  { name: 'up without proof', op: 'up', body: withField(up, 'proof', undefined), expect: 'er malformed', message: /proof/ },
  ...malformedField('up', 'templateHash', ['5', '"zz"', `"${HASH.toUpperCase()}"`, 'null'], (raw) => withField(up, 'templateHash', raw)),
  { name: 'up with an unknown field', op: 'up', body: withField(up, 'extra', '1'), expect: 'er malformed', message: /extra/ },
  { name: 'up with no payload', op: 'up', body: '', expect: 'er malformed' },
  // pb
  ...malformedField('pb', 'from', ['"1"', '0', '-1', '1.5', P53, 'true', '[]', '{}'], (raw) => `{"from":${raw}}`),
  ...malformedField('pb', 'limit', ['"1"', '0', '1e2', 'false'], (raw) => `{"limit":${raw}}`),
  { name: 'pb with an array payload', op: 'pb', body: '[1,2]', expect: 'er malformed' },
  // gp
  ...malformedField('gp', 'wait', ['"1"', '-1', '0.5', 'true', '{}'], (raw) => `{"wait":${raw}}`),
  ...malformedField('gp', 'known', ['5', '"abc"', '[]'], (raw) => `{"known":${raw}}`),
  { name: 'gp with a string payload', op: 'gp', body: '"gp"', expect: 'er malformed' },
  // hb
  ...malformedField('hb', 'genesis', ['5', '"x"', 'null', '[]'], (raw) => withField(hb, 'genesis', raw)),
  ...malformedField('hb', 'locator', ['"x"', '[]', '[5]', 'null', JSON.stringify(Array(65).fill(HASH))], (raw) =>
    withField(hb, 'locator', raw),
  ),
  ...malformedField('hb', 'listen', ['5', '"nohost"', '"host:0"', '"host:99999"', '[]', JSON.stringify(`${'a'.repeat(300)}:1`)], (raw) =>
    withField(hb, 'listen', raw),
  ),
  { name: 'hb without listen', op: 'hb', body: withField(hb, 'listen', undefined), expect: 'er malformed', message: /listen/ },
  {
    name: 'hb from another network',
    op: 'hb',
    body: JSON.stringify({ genesis: 'ab'.repeat(32), locator: ['ab'.repeat(32)], listen: null }),
    expect: 'er wrong-network',
  },
  // nb envelope
  ...malformedField('nb', 'block', ['"x"', '5', '[]', 'null', 'true'], (raw) => `{"block":${raw}}`),
  {
    name: 'nb with an unknown envelope field',
    op: 'nb',
    body: `{"block":${JSON.stringify(block)},"x":1}`,
    expect: 'er malformed',
    message: /x/,
  },
  {
    name: 'nb with a block of 33 fields',
    op: 'nb',
    body: JSON.stringify({ block: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, i])) }),
    expect: 'er malformed',
    message: /block/,
  },
  // cc with a payload it does not take
  { name: 'cc with a field', op: 'cc', body: '{"x":1}', expect: 'er malformed' },
  // tx payloads that are not objects
  ...['[]', '"tx"', '5', 'null', 'true'].map((raw): Case => ({ name: `tx payload ${raw}`, op: 'tx', body: raw, expect: 'er malformed' })),
  { name: 'tx with no payload', op: 'tx', body: '', expect: 'er malformed' },
  // tx objects: every field of the wrong type reaches the rules: Rejected malformed.
  ...(['sender', 'content', 'timestamp', 'signature'] as const)
    .flatMap((field) =>
      ['5', 'null', '[]', '{}', 'true', ...(field === 'timestamp' ? ['"1"', '-1', P53] : ['"x"'])].map((raw): Case => {
        const expect =
          field === 'timestamp' && raw === '5'
            ? 'tx:Rejected:stale'
            : raw === '"x"'
              ? field === 'sender'
                ? 'tx:Rejected:bad-sender'
                : field === 'content'
                  ? 'tx:Accepted'
                  : 'tx:Rejected:bad-signature'
              : 'tx:Rejected:malformed';
        return {
          name: `tx with ${field} ${raw}`,
          op: 'tx',
          body: withField(tx, field, raw),
          expect,
          message: raw === '"x"' || expect.endsWith('stale') ? undefined : new RegExp(field),
        };
      }),
    )
    .filter((c) => c.expect !== 'tx:Accepted'),
  { name: 'tx with timestamp 1.5', op: 'tx', body: withField(tx, 'timestamp', '1.5'), expect: 'er malformed', message: /timestamp/ },
  { name: 'tx with timestamp 1e309', op: 'tx', body: withField(tx, 'timestamp', '1e309'), expect: 'er malformed', message: /timestamp/ },
  {
    name: 'tx without signature',
    op: 'tx',
    body: withField(tx, 'signature', undefined),
    expect: 'tx:Rejected:malformed',
    message: /exactly the fields/,
  },
  {
    name: 'tx with an extra field',
    op: 'tx',
    body: withField(tx, 'fee', '1'),
    expect: 'tx:Rejected:malformed',
    message: /exactly the fields/,
  },
  // nb blocks with fields of the wrong type: Rejected malformed, and an unknown sender of an invalid block is disconnected.
  ...(['index', 'timestamp', 'proof'] as const).flatMap((field) =>
    ['"2"', '-1', P53, 'null'].map((raw): Case => ({
      name: `nb with block ${field} ${raw}`,
      op: 'nb',
      body: `{"block":${withField(block, field, raw)}}`,
      expect: 'nb:Rejected:malformed',
      closes: true,
    })),
  ),
  ...['-1', '1.5', P53, '1e309'].map((raw): Case => ({
    name: `nb with block proof ${raw}`,
    op: 'nb',
    body: `{"block":${withField(block, 'proof', raw)}}`,
    expect: raw === '1.5' || raw === '1e309' ? 'er malformed' : 'nb:Rejected:malformed',
    closes: !(raw === '1.5' || raw === '1e309'),
  })),
  ...(['transactions', 'previousHash', 'currentHash'] as const).flatMap((field) =>
    ['5', '"x"', 'null', '{}'].map((raw): Case => ({
      name: `nb with block ${field} ${raw}`,
      op: 'nb',
      body: `{"block":${withField(block, field, raw)}}`,
      expect: 'nb:Rejected:malformed',
      closes: true,
    })),
  ),
  {
    name: 'nb with a block whose transaction is not an object',
    op: 'nb',
    body: `{"block":${withField(block, 'transactions', '[5]')}}`,
    expect: 'nb:Rejected:bad-transactions',
    closes: true,
  },
  // gh and gb (version 1.2): bounded lists and limits; a locator off the chain is another network.
  { name: 'gh without limit', op: 'gh', body: JSON.stringify({ locator: [HASH] }), expect: 'er malformed', message: /limit/ },
  ...malformedField('gh', 'limit', ['0', '2001', '1.5', P53], (raw) => `{"locator":["${HASH}"],"limit":${raw}}`),
  { name: 'gh with an empty locator', op: 'gh', body: '{"locator":[],"limit":10}', expect: 'er malformed', message: /locator/ },
  {
    name: 'gh with a locator of 65 hashes',
    op: 'gh',
    body: JSON.stringify({ locator: Array(65).fill(HASH), limit: 10 }),
    expect: 'er malformed',
    message: /locator/,
  },
  {
    name: 'gh with a locator off this chain',
    op: 'gh',
    body: JSON.stringify({ locator: ['ab'.repeat(32)], limit: 10 }),
    expect: 'er wrong-network',
  },
  { name: 'gb with no hash', op: 'gb', body: '{"hashes":[]}', expect: 'er malformed', message: /hashes/ },
  {
    name: 'gb with 501 hashes',
    op: 'gb',
    body: JSON.stringify({ hashes: Array(501).fill(HASH) }),
    expect: 'er malformed',
    message: /hashes/,
  },
  {
    name: 'gb with a hash in capitals',
    op: 'gb',
    body: JSON.stringify({ hashes: [HASH.toUpperCase()] }),
    expect: 'er malformed',
    message: /hashes/,
  },
  {
    name: 'gb with an unknown field',
    op: 'gb',
    body: JSON.stringify({ hashes: [HASH], extra: 1 }),
    expect: 'er malformed',
    message: /extra/,
  },
  // Opcodes
  { name: 'unknown opcode zz', op: 'zz', body: '', expect: 'er unknown-opcode', message: /zz/ },
  { name: 'unknown opcode with a payload', op: 'qq', body: '{"a":1}', expect: 'er unknown-opcode' },
  { name: 'er sent as a request', op: 'er', body: '{"code":"internal","message":"x"}', expect: 'er unknown-opcode' },
  { name: 'opcode in capitals', op: 'GP', body: '', expect: 'er bad-frame', closes: true },
  { name: 'opcode of two zero bytes', op: '\x00\x00', body: '', expect: 'er bad-frame', closes: true },
];

describe('payloads: every malformed request gets its exact answer', function () {
  let peer: PeerProcess;
  let port: number;
  let initial: Snapshot;

  before(async () => {
    peer = await startPeer({ network: SIGNED });
    port = peer.port;
    const conn = await RawConn.open(port);
    conn.write(rawFrame('tx', JSON.stringify(signedTx(SIGNED, 'mined'))));
    assert.equal((await conn.frame(0)).op, 'tx');
    await mineAt(port);
    conn.write(rawFrame('tx', JSON.stringify(signedTx(SIGNED, 'pending'))));
    assert.equal((await conn.frame(1)).op, 'tx');
    conn.destroy();
    initial = await snapshot(port, SIGNED);
    assert.equal(initial.height, 2);
    assert.equal(initial.pending, 1);
  });

  after(async () => {
    assert.deepEqual(await snapshot(port, SIGNED), initial, 'chain and pool unchanged');
    await assertServed(port);
    await killAll();
  });

  for (const c of cases) {
    it(`${c.name}: ${c.expect}${c.closes ? ', then closed' : ', connection stays'}`, async () => {
      const { worst } = await servedDuring(
        port,
        (async () => {
          const conn = await RawConn.open(port);
          const frame = rawFrame(c.op.length === 2 ? c.op : 'zz', c.body);
          if (c.op.length === 2) frame.write(c.op, 4, 'latin1');
          conn.write(frame);
          const reply = await conn.frame(0);
          const payload = reply.payload as { code?: string; status?: string; reason?: string; message?: string };
          if (c.expect.startsWith('er ')) {
            assert.equal(reply.op, 'er', `${reply.op} ${JSON.stringify(payload)}`);
            assert.equal(payload.code, c.expect.slice(3), payload.message);
          } else {
            const [op, status, reason] = c.expect.split(':');
            assert.equal(reply.op, op, JSON.stringify(payload));
            assert.equal(payload.status, status, JSON.stringify(payload));
            assert.equal(payload.reason, reason, JSON.stringify(payload));
          }
          if (c.message) assert.match(payload.message ?? '', c.message);
          if (c.closes) {
            await conn.waitClosed();
            assert.equal(conn.received.length, 1);
          } else {
            await conn.assertOpen();
            conn.destroy();
          }
        })(),
      );
      assert.ok(worst < 1000, `honest client waited ${worst} ms`);
    });
  }

  it('every opcode has a malformed case', () => {
    for (const op of ['tx', 'pb', 'cc', 'gp', 'up', 'hb', 'nb'])
      assert.ok(
        cases.some((c) => c.op === op),
        op,
      );
  });

  it('the whole table pipelined on one connection: answers in order, peer unharmed', async () => {
    const keep = cases.filter((c) => !c.closes && !c.expect.startsWith('er bad'));
    const conn = await RawConn.open(port);
    conn.write(Buffer.concat(keep.map((c) => rawFrame(c.op, c.body))));
    await conn.frame(keep.length - 1).catch((err) => {
      throw new Error(`${(err as Error).message}; got ${conn.received.length}: ${JSON.stringify(conn.received.slice(-3))}`);
    });
    keep.forEach((c, i) => {
      const e = conn.received[i];
      assert.ok(e && e.type === 'message');
      assert.equal(e.message.op, c.expect.startsWith('er ') ? 'er' : c.op, c.name);
    });
    await conn.assertOpen();
    conn.destroy();
  });
});
