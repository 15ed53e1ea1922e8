import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  blockHash,
  checkProof,
  createTemplate,
  metaOf,
  powHash,
  templateHash,
  txRoot,
  validateBlock,
  type Block,
  type NetworkParams,
  type Reason,
} from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { TEST_CLASSIC, TEST_SIGNED, buildOn, makeTx, openChain } from './helpers';

const T0 = 1767225600000;

async function fixture(params: NetworkParams, n = 3) {
  const chain = await openChain(params);
  const now = T0 + 60_000;
  const txs = Array.from({ length: n }, (_, i) => makeTx(chain, now - 1000 + i));
  const block = buildOn(chain, chain.genesisHash, txs, now);
  const ctx = { params, genesisHash: chain.genesisHash, now, inAncestors: () => false, ed25519: nodeEd25519 };
  const check = (b: unknown) => validateBlock(b, metaOf(chain.genesis), ctx);
  return { chain, block, check, now };
}

function reasonOf(r: ReturnType<typeof validateBlock>): Reason | 'ok' {
  return r.ok ? 'ok' : r.reason;
}

/** Replace one field of a valid block (the claimed hash is kept unless the field is `currentHash`). */
function mutation(block: Block) {
  const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
  return fc.oneof(
    fc.record({ f: fc.constant('index' as const), v: fc.nat().filter((v): v is number => v !== block.index) as fc.Arbitrary<unknown> }),
    fc.record({ f: fc.constant('previousHash' as const), v: hex.filter((h) => h !== block.previousHash) as fc.Arbitrary<unknown> }),
    fc.record({ f: fc.constant('currentHash' as const), v: hex.filter((h) => h !== block.currentHash) as fc.Arbitrary<unknown> }),
    fc.record({ f: fc.constant('proof' as const), v: fc.nat({ max: 2 ** 40 }).filter((v) => v !== block.proof) as fc.Arbitrary<unknown> }),
    fc.record({
      f: fc.constant('timestamp' as const),
      v: fc.integer({ min: T0 - 10, max: block.timestamp + 300_000 }).filter((v) => v !== block.timestamp) as fc.Arbitrary<unknown>,
    }),
    fc.record({ f: fc.constant('transactions' as const), v: fc.nat({ max: block.transactions.length - 1 }) as fc.Arbitrary<unknown> }),
    fc.record({
      f: fc.constant('malformed' as const),
      v: fc.constantFrom<unknown>(-1, 1.5, 2 ** 53, '5', null, Infinity /* 1e309 in JSON */),
    }),
  );
}

/** The block's transactions with the content of the `i`th changed. */
function tamperTx(block: Block, i: number): Block['transactions'] {
  const txs = block.transactions.slice();
  const t = txs[i] as Block['transactions'][number];
  txs[i] = { ...t, content: `${t.content}!` };
  return txs;
}

describe('blocks', () => {
  for (const params of [TEST_CLASSIC, TEST_SIGNED]) {
    describe(`${params.txFormat} transactions, ${params.pow} proof of work`, () => {
      it('a valid block stays valid through JSON round trips', async () => {
        const chain = await openChain(params);
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.string({ unit: fc.constantFrom(...'abcXYZ019 ~"\\{}'.split('')), minLength: 1, maxLength: 70 }), {
              minLength: 1,
              maxLength: params.maxTxPerBlock,
            }),
            fc.nat({ max: 100_000 }),
            async (contents, dt) => {
              const now = T0 + 200_000 + dt;
              const unique = [...new Set(contents)];
              const txs = unique.map((c, i) => makeTx(chain, now - i, c));
              const block = buildOn(chain, chain.genesisHash, txs, now);
              const copy = JSON.parse(JSON.stringify(JSON.parse(JSON.stringify(block))));
              const r = validateBlock(copy, metaOf(chain.genesis), {
                params,
                genesisHash: chain.genesisHash,
                now,
                inAncestors: () => false,
                ed25519: nodeEd25519,
              });
              assert.ok(r.ok, r.ok ? '' : r.message);
              assert.deepEqual(r.block, block);
            },
          ),
          { numRuns: 25 },
        );
      });

      it('a single-field mutation that keeps the claimed hash is bad-hash', async () => {
        const { block, check } = await fixture(params);
        assert.equal(reasonOf(check(block)), 'ok');
        fc.assert(
          fc.property(mutation(block), (m) => {
            const mutated = { ...block, [m.f]: m.f === 'transactions' ? tamperTx(block, m.v as number) : m.v } as Block;
            const expected = m.f === 'malformed' ? 'malformed' : 'bad-hash';
            const r = check(m.f === 'malformed' ? { ...block, proof: m.v } : mutated);
            assert.equal(reasonOf(r), expected, `${m.f}=${String(m.v)}`);
          }),
          { numRuns: 300 },
        );
      });

      it('a single-field mutation with its hash recomputed is refused by the rule it breaks', async () => {
        const { block, check, now, chain } = await fixture(params);
        const rootOf = (b: Block) => txRoot(params.txFormat, chain.genesisHash, b.transactions);
        const reseal = (b: Block): Block => ({ ...b, currentHash: blockHash(b.index, b.timestamp, b.previousHash, rootOf(b), b.proof) });
        const powHolds = (b: Block) =>
          checkProof(
            {
              rule: params.pow,
              templateHash: templateHash(b.index, b.timestamp, b.previousHash, rootOf(b)),
              previousProof: 100,
              difficulty: params.difficulty,
            },
            b.proof,
          );
        fc.assert(
          fc.property(
            mutation(block).filter((m) => m.f !== 'currentHash' && m.f !== 'malformed'),
            (m) => {
              const mutated = reseal({ ...block, [m.f]: m.f === 'transactions' ? tamperTx(block, m.v as number) : m.v } as Block);
              let expected: Reason | 'ok';
              if (m.f === 'index') expected = 'bad-index';
              else if (m.f === 'previousHash') expected = 'bad-previous-hash';
              // The proof of work comes before every rule that reads more than the parent's header.
              else if (!powHolds(mutated)) expected = 'bad-pow';
              else if (m.f === 'timestamp' && (m.v as number) < T0) expected = 'bad-timestamp';
              else if (m.f === 'timestamp' && (m.v as number) > now + 120_000) expected = 'future';
              else if (m.f === 'timestamp' && block.transactions.some((t) => t.timestamp > (m.v as number))) expected = 'bad-transactions';
              // The proof still holds by chance: only a tampered signed transaction fails (its signature).
              else expected = m.f === 'transactions' && params.txFormat === 'signed' ? 'bad-transactions' : 'ok';
              assert.equal(reasonOf(check(mutated)), expected, `${m.f}=${String(m.v)}`);
            },
          ),
          { numRuns: 300 },
        );
      });
    });
  }

  it('transaction rules inside a block', async () => {
    const params = { ...TEST_SIGNED, maxTxPerBlock: 3 };
    const { chain, check, now } = await fixture(params, 1);
    const parent = chain.genesisHash;
    const tx = makeTx(chain, now - 5);
    const cases: [string, Block, Reason][] = [
      ['empty', buildOn(chain, parent, [], now), 'empty-block'],
      [
        'too many',
        buildOn(
          chain,
          parent,
          [1, 2, 3, 4].map((i) => makeTx(chain, now - i)),
          now,
        ),
        'too-many-transactions',
      ],
      ['twice in the block', buildOn(chain, parent, [tx, tx], now), 'bad-transactions'],
      ['after the block', buildOn(chain, parent, [makeTx(chain, now + 1)], now), 'bad-transactions'],
      ['older than the ttl', buildOn(chain, parent, [makeTx(chain, now - params.txTtlMs)], now), 'bad-transactions'],
      ['bad sender', buildOn(chain, parent, [{ ...tx, sender: 'abc' }], now), 'bad-transactions'],
    ];
    const forged = { ...tx, signature: (tx as { signature: string }).signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
    cases.push(['bad signature', buildOn(chain, parent, [forged], now), 'bad-transactions']);
    for (const [what, b, reason] of cases) assert.equal(reasonOf(check(b)), reason, what);
    const ok = buildOn(chain, parent, [tx], now);
    assert.equal(
      reasonOf(
        validateBlock(ok, metaOf(chain.genesis), { params, genesisHash: chain.genesisHash, now, inAncestors: (id) => id.length === 64 }),
      ),
      'bad-transactions',
    );
  });

  it('the seed rule does not commit to the block: one proof fits every block on the same parent', async () => {
    const chain = await openChain(TEST_CLASSIC);
    const now = T0 + 1000;
    const a = buildOn(chain, chain.genesisHash, [makeTx(chain, now)], now);
    const t = createTemplate(metaOf(chain.genesis), [makeTx(chain, now)], ['x'], now, 'classic');
    assert.equal(
      powHash({ rule: 'seed', templateHash: t.templateHash, proof: a.proof, previousProof: 100 }),
      powHash({ rule: 'seed', templateHash: 'anything', proof: a.proof, previousProof: 100 }),
    );
  });
});
