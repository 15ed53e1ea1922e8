import assert from 'node:assert/strict';
import { doublespend } from '../src/scenarios/doublespend';
import { nakamoto, rosenfeld, strictDoubleSpend } from '../src/theory';

describe('double spending', function () {
  this.timeout(60_000);

  it('the closed forms: Nakamoto and Rosenfeld as published; strictly longer is harder than a tie', () => {
    assert.equal(nakamoto(0.1, 5).toFixed(6), '0.000914');
    assert.equal(nakamoto(0.1, 6).toFixed(6), '0.000243');
    assert.equal(rosenfeld(0.1, 1).toFixed(4), '0.2000');
    // z = 1, q = 0.1: k = 0 (0.9) needs 2 net: (1/9)²; k = 1 (0.09) needs 1: 1/9; k ≥ 2 (0.01) has won.
    assert.ok(Math.abs(strictDoubleSpend(0.1, 1) - (0.9 / 81 + 0.09 / 9 + 0.01)) < 1e-12);
    for (const z of [1, 2, 4, 6]) assert.ok(strictDoubleSpend(0.2, z) < rosenfeld(0.2, z));
    // Giving up far behind costs (almost) nothing at q = 0.1, a little at q = 0.45.
    assert.ok(Math.abs(strictDoubleSpend(0.1, 3, 20) - strictDoubleSpend(0.1, 3)) < 1e-12);
    assert.ok(strictDoubleSpend(0.45, 3, 5) < strictDoubleSpend(0.45, 3));
  });

  it('at a reduced size, the simulated success rate has the model inside its 95 % interval (q 0.3, z 1, 300 attempts)', async () => {
    const r = await doublespend({ seed: 2, q: 0.3, z: 1, trials: 300, honest: 2 });
    assert.equal(r.trials, 300);
    assert.ok(r.theoryInInterval, `${r.successRate} (${r.interval95.low}–${r.interval95.high}) against ${r.theory}`);
    assert.ok(r.interval95.high < r.rosenfeld, 'a tie does not win here: clearly below Rosenfeld');
    assert.equal(r.peerErrors, 0);
  });
});
