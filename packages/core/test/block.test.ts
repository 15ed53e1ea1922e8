import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkProof, createTemplate, metaOf, powHash, templateHash, txRoot, validateBlock, type Block, type NetworkParams, type Reason } from '@chain/core';
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

describe('blocks', () => {
  for (const params of [TEST_CLASSIC, TEST_SIGNED]) {
    describe(`${params.txFormat} transactions, ${params.pow} proof of work`, () => {
      it('a valid block stays valid through JSON round trips', async () => {
        const chain = await openChain(params);
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.string({ unit: fc.constantFrom(...'abcXYZ019 ~"\\{}'.split('')), minLength: 1, maxLength: 70 }), { minLength: 1, maxLength: params.maxTxPerBlock }),
            fc.nat({ max: 100_000 }),
            async (contents, dt) => {
              const now = T0 + 200_000 + dt;
              const unique = [...new Set(contents)];
              const txs = unique.map((c, i) => makeTx(chain, now - i, c));
              const block = buildOn(chain, chain.genesisHash, txs, now);
              const copy = JSON.parse(JSON.stringify(JSON.parse(JSON.stringify(block))));
              const r = validateBlock(copy, metaOf(chain.genesis), { params, genesisHash: chain.genesisHash, now, inAncestors: () => false, ed25519: nodeEd25519 });
              assert.ok(r.ok, r.ok ? '' : r.message);
              assert.deepEqual(r.block, block);
            },
          ),
          { numRuns: 25 },
        );
      });

      it('any single-field mutation is rejected with the right reason', async () => {
        const { block, check, now, chain } = await fixture(params);
        assert.equal(reasonOf(check(block)), 'ok');
        const powHolds = (b: Block) => {
          const root = txRoot(params.txFormat, chain.genesisHash, b.transactions);
          return checkProof({ rule: params.pow, templateHash: templateHash(b.index, b.timestamp, b.previousHash, root), previousProof: 100, difficulty: params.difficulty }, b.proof);
        };
        const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
        fc.assert(
          fc.property(
            fc.oneof(
              fc.record({ f: fc.constant('index' as const), v: fc.nat().filter((v) => v !== 2) }),
              fc.record({ f: fc.constant('previousHash' as const), v: hex.filter((h) => h !== block.previousHash) }),
              fc.record({ f: fc.constant('currentHash' as const), v: hex.filter((h) => h !== block.currentHash) }),
              fc.record({ f: fc.constant('proof' as const), v: fc.nat({ max: 2 ** 40 }).filter((v) => v !== block.proof) }),
              fc.record({ f: fc.constant('timestamp' as const), v: fc.integer({ min: T0 - 10, max: now + 200_000 }).filter((v) => v !== block.timestamp) }),
              fc.record({ f: fc.constant('transactions' as const), v: fc.nat({ max: 2 }) }),
              fc.record({ f: fc.constant('malformed' as const), v: fc.constantFrom<unknown>(-1, 1.5, 2 ** 53, '5', null, 1e309) }),
            ),
            (m) => {
              let mutated: Block;
              let expected: Reason[];
              switch (m.f) {
                case 'index': mutated = { ...block, index: m.v }; expected = ['bad-index']; break;
                case 'previousHash': mutated = { ...block, previousHash: m.v }; expected = ['bad-previous-hash']; break;
                case 'currentHash': mutated = { ...block, currentHash: m.v }; expected = ['bad-hash']; break;
                case 'proof':
                  mutated = { ...block, proof: m.v };
                  expected = [powHolds(mutated) ? 'bad-hash' : 'bad-pow'];
                  break;
                case 'timestamp':
                  mutated = { ...block, timestamp: m.v };
                  if (m.v < T0) expected = ['bad-timestamp'];
                  else if (m.v > now + 120_000) expected = ['future'];
                  else if (block.transactions.some((t) => t.timestamp > m.v)) expected = ['bad-transactions'];
                  else expected = [powHolds(mutated) ? 'bad-hash' : 'bad-pow'];
                  break;
                case 'transactions': {
                  const txs = block.transactions.slice();
                  const t = txs[m.v]!;
                  txs[m.v] = { ...t, content: `${t.content}!` };
                  mutated = { ...block, transactions: txs };
                  // The block hash commits to every transaction: the proof or the hash fails first.
                  expected = [powHolds(mutated) ? 'bad-hash' : 'bad-pow'];
                  break;
                }
                default:
                  mutated = { ...block, proof: m.v as number };
                  expected = ['malformed'];
              }
              const r = check(mutated);
              assert.ok(expected.includes(reasonOf(r) as Reason), `${m.f}=${String(m.v)}: got ${reasonOf(r)}, expected ${expected.join('|')}`);
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
      ['too many', buildOn(chain, parent, [1, 2, 3, 4].map((i) => makeTx(chain, now - i)), now), 'too-many-transactions'],
      ['twice in the block', buildOn(chain, parent, [tx, tx], now), 'bad-transactions'],
      ['after the block', buildOn(chain, parent, [makeTx(chain, now + 1)], now), 'bad-transactions'],
      ['older than the ttl', buildOn(chain, parent, [makeTx(chain, now - params.txTtlMs)], now), 'bad-transactions'],
      ['bad sender', buildOn(chain, parent, [{ ...tx, sender: 'abc' }], now), 'bad-transactions'],
    ];
    const forged = { ...tx, signature: (tx as { signature: string }).signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
    cases.push(['bad signature', buildOn(chain, parent, [forged], now), 'bad-transactions']);
    for (const [what, b, reason] of cases) assert.equal(reasonOf(check(b)), reason, what);
    const ok = buildOn(chain, parent, [tx], now);
    assert.equal(reasonOf(validateBlock(ok, metaOf(chain.genesis), { params, genesisHash: chain.genesisHash, now, inAncestors: (id) => id.length === 64 })), 'bad-transactions');
  });

  it('the seed rule does not commit to the block: one proof fits every block on the same parent', async () => {
    const chain = await openChain(TEST_CLASSIC);
    const now = T0 + 1000;
    const a = buildOn(chain, chain.genesisHash, [makeTx(chain, now)], now);
    const t = createTemplate(metaOf(chain.genesis), [makeTx(chain, now)], ['x'], now, 'classic');
    assert.equal(powHash('seed', t.templateHash, a.proof, 100), powHash('seed', 'anything', a.proof, 100));
  });
});
