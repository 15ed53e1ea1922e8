import assert from 'node:assert/strict';
import { MinerYield } from '../src/miner-yield';
import type { Timers } from '../src/timers';
import { resolveOptions } from '../src/options';

/** Timers whose one interval is fired by hand. */
function manualTimers(): Timers & { tick(): void; live(): boolean } {
  let fn: (() => void) | null = null;
  return {
    setTimeout: () => {
      throw new Error('not used');
    },
    clearTimeout: () => {},
    setInterval: (f: () => void) => {
      fn = f;
      return 1 as never;
    },
    clearInterval: () => {
      fn = null;
    },
    tick: () => fn?.(),
    live: () => fn !== null,
  };
}

describe('miner yield', () => {
  it('pauses the miner for the window after a busy one, and never two windows in a row', () => {
    const calls: string[] = [];
    const target = { pause: () => calls.push('pause'), resume: () => calls.push('resume') };
    const timers = manualTimers();
    const load = [0, 0.95, 0.99, 0.99, 0.3, 0.5, 0.92, 0.1];
    let i = 0;
    const y = new MinerYield(target, timers, { utilization: () => load[i++] ?? 0 });
    y.start(); // reads the first value: a fresh window
    for (let w = 1; w < load.length; w++) timers.tick();
    // 0.95: pause; 0.99 (paused window): resume; 0.99: pause; 0.3 (paused): resume; 0.5: nothing; 0.92: pause; 0.1 (paused): resume.
    assert.deepEqual(calls, ['pause', 'resume', 'pause', 'resume', 'pause', 'resume']);
    assert.equal(y.pausedWindows, 3);
  });

  it('stop() resumes a paused miner and stops watching', () => {
    const calls: string[] = [];
    const timers = manualTimers();
    const y = new MinerYield({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, timers, { utilization: () => 1 });
    y.start();
    timers.tick();
    assert.deepEqual(calls, ['pause']);
    y.stop();
    assert.deepEqual(calls, ['pause', 'resume']);
    assert.equal(timers.live(), false);
  });

  it('rejects settings out of range, naming them', () => {
    const t = manualTimers();
    const target = { pause: () => {}, resume: () => {} };
    assert.throws(() => new MinerYield(target, t, { windowMs: 0 }), /windowMs/);
    assert.throws(() => new MinerYield(target, t, { busy: 1.5 }), /busy/);
  });

  it('is off by default; the peer option must be a boolean', () => {
    assert.equal(resolveOptions({}).minerYield, false);
    assert.equal(resolveOptions({ minerYield: true }).minerYield, true);
    assert.throws(() => resolveOptions({ minerYield: 'no' as never }), /minerYield must be true or false/);
  });
});
