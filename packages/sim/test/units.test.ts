import assert from 'node:assert/strict';
import { formatDuration, parseBandwidth, parseDuration } from '../src/units';
import { flagSpec, formatFlag, parseFlag } from '../src/flags';

describe('durations and other quantities', () => {
  it('a duration needs a unit', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('2min'), 120_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.throws(
      () => parseDuration('10', '--interval'),
      /^RangeError: --interval "10" needs a unit: 10ms, 10s, 10m or 10h \(a bare number is ambiguous\)$/,
    );
    assert.throws(() => parseDuration('ten'), /is not a duration/);
    assert.throws(() => parseDuration('0s'), /must be positive/);
    assert.throws(() => parseDuration('10 parsecs'), /is not a duration/);
  });

  it('a duration prints as text that parses back to it', () => {
    for (const ms of [500, 1000, 1500, 10_000, 90_000, 600_000, 3_600_000, 0.25, 150_000])
      assert.equal(parseDuration(formatDuration(ms)), ms);
    assert.deepEqual([600_000, 90_000, 1500, 250].map(formatDuration), ['10m', '90s', '1.5s', '250ms']);
  });

  it('flags parse and check their values, naming the flag', () => {
    assert.equal(parseBandwidth('20M'), 20_000_000);
    assert.equal(parseFlag(flagSpec('alpha'), '0.3'), 0.3);
    assert.equal(parseFlag(flagSpec('interval'), '10s'), 10_000);
    assert.throws(() => parseFlag(flagSpec('alpha'), '2'), /--alpha must be a number from 0 to 0.999, got "2"/);
    assert.throws(() => parseFlag(flagSpec('blocks'), '1.5'), /--blocks must be an integer/);
    assert.throws(() => parseFlag(flagSpec('wire'), 'xml'), /choose one of object, json/);
    assert.throws(() => flagSpec('nosuch'), /--nosuch is not a flag of chain-peer sim/);
    assert.equal(formatFlag(flagSpec('bandwidth'), 20_000_000), '20M');
    assert.equal(formatFlag(flagSpec('interval'), 600_000), '10m');
  });
});
