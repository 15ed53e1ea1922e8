import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_NETWORK, PRESETS, NetworkParamsError, parseNetwork, networkHash, sameNetwork } from '@chain/core';

function expectField(input: unknown, field: string): void {
  assert.throws(
    () => parseNetwork(input),
    (e: unknown) => {
      assert.ok(e instanceof NetworkParamsError, String(e));
      assert.equal(e.field, field);
      assert.match(e.message, new RegExp(field));
      return true;
    },
  );
}

describe('network parameters', () => {
  it('accepts every preset and round-trips it through JSON', () => {
    for (const p of Object.values(PRESETS)) {
      const parsed = parseNetwork(JSON.parse(JSON.stringify(p)));
      assert.deepEqual(parsed, p);
      assert.ok(sameNetwork(parsed, p));
    }
  });

  it('names an unknown field', () => expectField({ ...DEFAULT_NETWORK, extra: 1 }, 'extra'));

  it('names a missing field', () => {
    for (const f of Object.keys(DEFAULT_NETWORK)) {
      const copy: Record<string, unknown> = { ...DEFAULT_NETWORK };
      delete copy[f];
      expectField(copy, f);
    }
  });

  it('names out-of-range and mistyped values', () => {
    const bad: [string, unknown][] = [
      ['name', ''],
      ['name', 'A'],
      ['name', 'x'.repeat(33)],
      ['name', 'a_b'],
      ['name', 5],
      ['genesisTime', -1],
      ['genesisTime', 1.5],
      ['genesisTime', '1'],
      ['genesisTime', 2 ** 53],
      ['difficulty', 0],
      ['difficulty', 17],
      ['difficulty', 2.5],
      ['pow', 'other'],
      ['pow', null],
      ['txFormat', 'json'],
      ['maxTxPerBlock', 0],
      ['maxTxPerBlock', 10001],
      ['txTtlMs', 999],
      ['txTtlMs', '3600000'],
    ];
    for (const [field, value] of bad) expectField({ ...DEFAULT_NETWORK, [field]: value }, field);
  });

  it('rejects non-objects', () => {
    for (const v of [null, [], 'devnet', 3]) assert.throws(() => parseNetwork(v), NetworkParamsError);
  });

  it('every parameter changes the network hash', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(DEFAULT_NETWORK) as (keyof typeof DEFAULT_NETWORK)[])), (field) => {
        const changed = {
          ...DEFAULT_NETWORK,
          [field]:
            field === 'name'
              ? 'other'
              : field === 'pow'
                ? 'seed'
                : field === 'txFormat'
                  ? 'classic'
                  : (DEFAULT_NETWORK[field] as number) + 1,
        };
        assert.notEqual(networkHash(parseNetwork(changed)), networkHash(DEFAULT_NETWORK));
      }),
    );
  });

  describe('retargeting networks (§9.1)', () => {
    const retarget = { targetBlockMs: 10000, halfLifeMs: 600000, initialTarget: '00001' + 'f'.repeat(59) };
    const RETARGETING = { ...DEFAULT_NETWORK, retarget };

    it('accepts `retarget` and round-trips it through JSON', () => {
      const parsed = parseNetwork(JSON.parse(JSON.stringify(RETARGETING)));
      assert.deepEqual(parsed, RETARGETING);
      assert.ok(Object.isFrozen(parsed.retarget));
      assert.ok(sameNetwork(parsed, RETARGETING));
      assert.ok(!sameNetwork(parsed, DEFAULT_NETWORK));
      assert.ok(!sameNetwork(DEFAULT_NETWORK, parsed));
      assert.ok(!sameNetwork(parsed, { ...RETARGETING, retarget: { ...retarget, halfLifeMs: 600001 } }));
    });

    it('leaves a network without it as it was, and changes the hash with each of its fields', () => {
      assert.equal(parseNetwork({ ...DEFAULT_NETWORK }).retarget, undefined);
      assert.ok(!('retarget' in parseNetwork({ ...DEFAULT_NETWORK })));
      const hashes = new Set([
        networkHash(DEFAULT_NETWORK),
        networkHash(parseNetwork(RETARGETING)),
        networkHash(parseNetwork({ ...RETARGETING, retarget: { ...retarget, targetBlockMs: 10001 } })),
        networkHash(parseNetwork({ ...RETARGETING, retarget: { ...retarget, halfLifeMs: 600001 } })),
        networkHash(parseNetwork({ ...RETARGETING, retarget: { ...retarget, initialTarget: '00002' + 'f'.repeat(59) } })),
      ]);
      assert.equal(hashes.size, 5);
    });

    it('names what is wrong inside it', () => {
      const bad: [unknown, string][] = [
        [null, 'retarget'],
        [[], 'retarget'],
        [10000, 'retarget'],
        [{ ...retarget, extra: 1 }, 'retarget.extra'],
        [{ targetBlockMs: 10000, halfLifeMs: 600000 }, 'retarget.initialTarget'],
        [{ targetBlockMs: 10000, initialTarget: retarget.initialTarget }, 'retarget.halfLifeMs'],
        [{ halfLifeMs: 600000, initialTarget: retarget.initialTarget }, 'retarget.targetBlockMs'],
        [{ ...retarget, targetBlockMs: 0 }, 'retarget.targetBlockMs'],
        [{ ...retarget, targetBlockMs: 86_400_001, halfLifeMs: 2 ** 40 }, 'retarget.targetBlockMs'],
        [{ ...retarget, targetBlockMs: 1.5 }, 'retarget.targetBlockMs'],
        [{ ...retarget, halfLifeMs: 9999 }, 'retarget.halfLifeMs'],
        [{ ...retarget, halfLifeMs: 2 ** 53 }, 'retarget.halfLifeMs'],
        [{ ...retarget, initialTarget: '0'.repeat(64) }, 'retarget.initialTarget'],
        [{ ...retarget, initialTarget: '000' + 'f'.repeat(61) }, 'retarget.initialTarget'],
        [{ ...retarget, initialTarget: '0000' + 'F'.repeat(60) }, 'retarget.initialTarget'],
        [{ ...retarget, initialTarget: 65535 }, 'retarget.initialTarget'],
      ];
      for (const [value, field] of bad) expectField({ ...DEFAULT_NETWORK, retarget: value }, field);
    });

    it('accepts the extremes of each field', () => {
      const top = parseNetwork({ ...DEFAULT_NETWORK, retarget: { ...retarget, initialTarget: '0000' + 'f'.repeat(60) } });
      assert.equal(top.retarget?.initialTarget, '0000' + 'f'.repeat(60));
      parseNetwork({ ...DEFAULT_NETWORK, retarget: { targetBlockMs: 1, halfLifeMs: 1, initialTarget: '0'.repeat(63) + '1' } });
      parseNetwork({ ...DEFAULT_NETWORK, retarget: { ...retarget, targetBlockMs: 86_400_000, halfLifeMs: Number.MAX_SAFE_INTEGER } });
    });
  });
});
