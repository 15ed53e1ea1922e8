import assert from 'node:assert/strict';
import { SelfishMachine } from '../src/strategies/selfish-machine';
import { decide } from '../src/strategies/double-spend';
import { Random } from '../src/random';
import { selfishRevenue } from '../src/theory';

describe('selfish mining: the state machine', () => {
  it('keeps a first block private and races with it when the others find one', () => {
    const m = new SelfishMachine();
    assert.deepEqual(m.onOwnBlock(), { kind: 'wait' });
    assert.equal(m.lead, 1);
    assert.deepEqual(m.onPublicBlock(), { kind: 'publish', count: 1, to: 'race' });
    assert.ok(m.racing);
  });

  it('wins a race with its next block, and gives it up when the others find one', () => {
    const won = new SelfishMachine();
    won.onOwnBlock();
    won.onPublicBlock();
    assert.deepEqual(won.onOwnBlock(), { kind: 'override' });
    assert.equal(won.lead, 0);
    assert.equal(won.branch, 0);
    const lost = new SelfishMachine();
    lost.onOwnBlock();
    lost.onPublicBlock();
    assert.deepEqual(lost.onPublicBlock(), { kind: 'adopt' });
    assert.ok(!lost.racing);
  });

  it('two ahead, overrides when the others find a block; further ahead, publishes one block at a time', () => {
    const two = new SelfishMachine();
    two.onOwnBlock();
    two.onOwnBlock();
    assert.deepEqual(two.onPublicBlock(), { kind: 'override' });
    const four = new SelfishMachine();
    for (let i = 0; i < 4; i++) four.onOwnBlock();
    assert.deepEqual(four.onPublicBlock(), { kind: 'publish', count: 1, to: 'all' });
    assert.deepEqual(four.onPublicBlock(), { kind: 'publish', count: 1, to: 'all' });
    assert.equal(four.published, 2);
    assert.deepEqual(four.onPublicBlock(), { kind: 'override' });
  });

  it('with nothing private, adopts every public block', () => {
    const m = new SelfishMachine();
    assert.deepEqual(m.onPublicBlock(), { kind: 'adopt' });
    assert.equal(m.lead, 0);
  });

  it('driven by coin flips, earns R(α, γ) of Eyal & Sirer', () => {
    for (const [alpha, gamma] of [
      [0.25, 0],
      [0.4, 0.5],
    ] as const) {
      const rng = new Random(`machine ${alpha} ${gamma}`);
      const m = new SelfishMachine();
      let mainPool = 0;
      let mainAll = 0;
      let tail: boolean[] = []; // public blocks after the fork point: true when the pool's
      let branch = 0;
      const settle = (pool: number, all: number) => {
        mainPool += pool;
        mainAll += all;
      };
      for (let i = 0; i < 300_000; i++) {
        if (rng.next() < alpha) {
          branch++;
          if (m.onOwnBlock().kind === 'override') {
            settle(branch, branch);
            tail = [];
            branch = 0;
          }
        } else {
          if (m.racing && rng.next() < gamma) tail = [true, false];
          else tail.push(false);
          const d = m.onPublicBlock();
          if (d.kind === 'adopt') {
            settle(tail.filter((x) => x).length, tail.length);
            tail = [];
            branch = 0;
          } else if (d.kind === 'override') {
            settle(branch, branch);
            tail = [];
            branch = 0;
          }
        }
      }
      const share = mainPool / mainAll;
      assert.ok(
        Math.abs(share - selfishRevenue(alpha, gamma)) < 0.005,
        `α ${alpha} γ ${gamma}: ${share} against ${selfishRevenue(alpha, gamma)}`,
      );
    }
  });
});

describe('double spending: the decision', () => {
  it('publishes only once the merchant accepted and the branch is strictly longer', () => {
    assert.equal(decide({ accepted: false, privateLength: 12, publicLength: 10 }, 20), 'mine');
    assert.equal(decide({ accepted: true, privateLength: 10, publicLength: 10 }, 20), 'mine', 'a tie loses: first seen wins');
    assert.equal(decide({ accepted: true, privateLength: 11, publicLength: 10 }, 20), 'publish');
  });

  it('gives up when more than giveUpBehind blocks behind', () => {
    assert.equal(decide({ accepted: true, privateLength: 10, publicLength: 30 }, 20), 'mine');
    assert.equal(decide({ accepted: true, privateLength: 10, publicLength: 31 }, 20), 'give-up');
    assert.equal(decide({ accepted: false, privateLength: 10, publicLength: 31 }, 20), 'give-up');
  });
});
