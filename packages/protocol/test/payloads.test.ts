import assert from 'node:assert/strict';
import { decodeReply, decodeRequest, ERROR_CODES, REASONS, validateReply, type DecodeResult } from '@chain/protocol';
import { HASH_A, HASH_B } from './helpers';

const body = (text: string) => Buffer.from(text, 'utf8');
const req = (op: string, text = '') => decodeRequest({ op, body: body(text) });
const rep = (op: string, text: string) => decodeReply({ op, body: body(text) });

function malformed(result: DecodeResult<unknown>, field: string) {
  if (result.ok) assert.fail(`expected malformed (${field}), got ${JSON.stringify(result.message)}`);
  assert.equal(result.error.code, 'malformed');
  assert.equal(result.error.fatal, false);
  assert.ok(result.error.message.includes(field), `message "${result.error.message}" should name ${field}`);
}

function accepted(result: ReturnType<typeof req>) {
  if (!result.ok) assert.fail(result.error.message);
  return result.message.payload;
}

describe('request payloads', () => {
  it('unknown opcodes and er are unknown-opcode, not fatal', () => {
    for (const op of ['zz', 'er', 'aa']) {
      const result = req(op, '{}');
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.error.code, 'unknown-opcode');
        assert.equal(result.error.fatal, false);
      }
    }
  });

  it('up: safe integers only, never rounded', () => {
    const up = (proof: string) => req('up', `{"proof":${proof},"templateHash":"${HASH_A}"}`);
    assert.deepEqual(accepted(up('9007199254740991')), { proof: 9007199254740991, templateHash: HASH_A });
    assert.deepEqual(accepted(up('0')), { proof: 0, templateHash: HASH_A });
    malformed(up('9007199254740992'), 'proof');
    malformed(up('9007199254740993'), 'proof');
    malformed(up('1e309'), 'proof');
    malformed(up('1.0000000000000001'), 'proof');
    malformed(up('35.0'), 'proof');
    malformed(up('-1'), 'proof');
    malformed(up('"35"'), 'proof');
    malformed(up('null'), 'proof');
    malformed(req('up', `{"proof":1,"templateHash":"${HASH_A.toUpperCase()}"}`), 'templateHash');
    malformed(req('up', `{"proof":1}`), 'templateHash');
    malformed(req('up', `{"proof":1,"templateHash":"${HASH_A}","extra":1}`), 'extra');
    malformed(req('up'), '(payload)');
  });

  it('gp: optional payload with wait and known', () => {
    assert.equal(accepted(req('gp')), undefined);
    assert.equal(accepted(req('gp', 'null')), undefined);
    assert.deepEqual(accepted(req('gp', '{}')), {});
    assert.deepEqual(accepted(req('gp', `{"wait":1000,"known":"${HASH_B}"}`)), { wait: 1000, known: HASH_B });
    assert.deepEqual(accepted(req('gp', '{"known":null}')), { known: null });
    malformed(req('gp', '{"wait":-5}'), 'wait');
    malformed(req('gp', '{"known":"abc"}'), 'known');
    malformed(req('gp', '[]'), '(payload)');
  });

  it('pb: optional from and limit', () => {
    assert.equal(accepted(req('pb')), undefined);
    assert.deepEqual(accepted(req('pb', '{"from":1,"limit":2}')), { from: 1, limit: 2 });
    malformed(req('pb', '{"from":0}'), 'from');
    malformed(req('pb', '{"limit":1.5}'), 'limit');
    malformed(req('pb', '{"to":3}'), 'to');
  });

  it('cc: no payload', () => {
    assert.equal(accepted(req('cc')), undefined);
    assert.equal(accepted(req('cc', '{}')), undefined);
    malformed(req('cc', '{"now":true}'), 'now');
  });

  it('hb: genesis, bounded locator, listen', () => {
    const hb = (locator: string, listen: string) => req('hb', `{"genesis":"${HASH_A}","locator":${locator},"listen":${listen}}`);
    assert.deepEqual(accepted(hb(`["${HASH_B}"]`, '"peer.example:7001"')), {
      genesis: HASH_A,
      locator: [HASH_B],
      listen: 'peer.example:7001',
    });
    accepted(hb(`["${HASH_B}"]`, '"[::1]:7001"'));
    accepted(hb(`["${HASH_B}"]`, 'null'));
    accepted(hb(JSON.stringify(Array(64).fill(HASH_B)), 'null'));
    malformed(hb(JSON.stringify(Array(65).fill(HASH_B)), 'null'), 'locator');
    malformed(hb('[]', 'null'), 'locator');
    malformed(hb(`["${HASH_B}", "zz"]`, 'null'), 'locator[1]');
    malformed(hb(`["${HASH_B}"]`, '"localhost"'), 'listen');
    malformed(hb(`["${HASH_B}"]`, '"localhost:70000"'), 'listen');
    malformed(hb(`["${HASH_B}"]`, JSON.stringify(`${'a'.repeat(300)}:1`)), 'listen');
    malformed(req('hb', `{"genesis":"${HASH_A}","locator":["${HASH_B}"]}`), 'listen');
  });

  it('tx and nb: blocks and transactions are checked as plain objects only', () => {
    assert.deepEqual(accepted(req('tx', '{"sender":"x","anything":[1,2]}')), { sender: 'x', anything: [1, 2] });
    malformed(req('tx'), '(payload)');
    malformed(req('tx', '"hello"'), '(payload)');
    malformed(req('tx', '[1]'), '(payload)');
    malformed(req('tx', JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])))), '(payload)');
    assert.deepEqual(accepted(req('nb', '{"block":{"index":2}}')), { block: { index: 2 } });
    malformed(req('nb', '{"block":null}'), 'block');
    malformed(req('nb', '{}'), 'block');
  });

  it('rejects prototype keys anywhere, even escaped', () => {
    malformed(req('tx', '{"__proto__":{"polluted":1}}'), '__proto__');
    malformed(req('nb', '{"block":{"transactions":[{"constructor":{"prototype":1}}]}}'), 'block.transactions[0].constructor');
    malformed(req('tx', '{"__proto\\u005f_":{}}'), '__proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // the words are fine as values
    accepted(req('tx', '{"content":"__proto__"}'));
  });

  it('bounds nesting without overflowing the stack', () => {
    malformed(req('tx', `{"a":${'['.repeat(100000)}${']'.repeat(100000)}}`), 'nesting');
    malformed(req('tx', '['.repeat(1_000_000)), 'nesting');
    accepted(req('tx', `{"a":${'['.repeat(60)}${']'.repeat(60)}}`));
  });

  it('rejects invalid UTF-8 and invalid JSON', () => {
    const bad = decodeRequest({ op: 'tx', body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) });
    malformed(bad, 'UTF-8');
    malformed(req('tx', '{"a":'), 'JSON');
    malformed(req('tx', "{'a':1}"), 'JSON');
    malformed(req('tx', '\ufeff{}'), 'JSON');
    malformed(req('tx', '{"a":"\\x"}'), 'JSON');
    malformed(req('tx', '{"a":1}}'), 'JSON');
  });
});

describe('reply payloads', () => {
  it('accepts every reason and error code of the specification', () => {
    for (const reason of REASONS) {
      assert.ok(validateReply('nb', { status: 'Rejected', reason }).ok, reason);
      assert.ok(validateReply('up', { status: 'No reward', reason }).ok, reason);
    }
    for (const code of ERROR_CODES) assert.ok(validateReply('er', { code, message: 'x' }).ok, code);
  });

  it('rejects reasons, codes and statuses outside the specification', () => {
    malformed(rep('nb', '{"status":"Rejected","reason":"nope"}'), 'reason');
    malformed(rep('er', '{"code":"teapot","message":"x"}'), 'code');
    malformed(rep('tx', '{"status":"Maybe"}'), 'status');
    malformed(rep('tx', '{"status":"Accepted"}'), 'id');
    malformed(rep('tx', '{"status":"Rejected","reason":"duplicate"}'), 'message');
    malformed(rep('er', `{"code":"internal","message":${JSON.stringify('x'.repeat(2000))}}`), 'message');
    malformed(rep('cc', '{"status":"Connection closed","x":1}'), 'x');
  });

  it('checks gp, pb and hb shapes', () => {
    const gp = { index: 2, previousProof: 100, previousHash: HASH_A, templateHash: null, difficulty: 4, pow: 'bound', pending: 0 };
    assert.ok(validateReply('gp', gp).ok);
    malformed(validateReply('gp', { ...gp, difficulty: 17 }), 'difficulty');
    malformed(validateReply('gp', { ...gp, pow: 'stake' }), 'pow');
    malformed(validateReply('gp', { ...gp, pending: 2 ** 53 }), 'pending');
    // A retargeting network's reply carries the block's target (docs/spec.md §9.6).
    const target = '0000fea77fff' + 'f'.repeat(52);
    const withTarget = validateReply('gp', { ...gp, target });
    assert.ok(withTarget.ok);
    assert.deepEqual(withTarget.message.payload, { ...gp, target });
    malformed(validateReply('gp', { ...gp, target: 'FF'.repeat(32) }), 'target');
    malformed(validateReply('gp', { ...gp, target: null }), 'target');
    malformed(rep('pb', '{"height":1,"blocks":[1]}'), 'blocks[0]');
    const hb = { height: 1, hash: HASH_A, blocks: [], pool: Array(1001).fill({}) };
    malformed(validateReply('hb', hb), 'pool');
  });
});
