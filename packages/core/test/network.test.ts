import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_NETWORK, COMP3221_NETWORK, NetworkParamsError, parseNetwork, networkHash, sameNetwork } from '@chain/core';

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
  it('accepts both presets and round-trips them through JSON', () => {
    for (const p of [DEFAULT_NETWORK, COMP3221_NETWORK]) {
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
});
