import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { PeerStatus } from '@chain/peer';
import { DevnetDisplay } from '../src/devnet/display';
import { devnetFrame, eventOfLogLine, type DevnetState } from '../src/devnet/frame';
import { ANSI, fitLine, LiveScreen } from '../src/devnet/live-screen';

const ESC = '\x1b';

function status(height: number, tip: string, hashrate: number): PeerStatus {
  return {
    network: 'devnet',
    address: '127.0.0.1:6000',
    height,
    tip: tip.padEnd(64, '0'),
    poolSize: 3,
    sideBlocks: 0,
    neighbours: [],
    candidates: [],
    connections: 0,
    hashrate,
  };
}

const state = (height: number, lastEvent?: string): DevnetState => ({
  rows: [
    { name: 'A', status: status(height, 'aa11', 64_000), confirmed: 2 },
    { name: 'B', status: status(height, 'aa11', 0), confirmed: 1.96 },
  ],
  traffic: { rate: 2, sent: 10, accepted: 9, rejected: 1, lastRejection: 'duplicate (seen)' },
  lastEvent,
});

/** An output that keeps what is written, with a width and resize events like a terminal's. */
class FakeTerminal extends EventEmitter {
  text = '';
  columns: number | undefined = 80;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

describe('devnet: the status screen', () => {
  it('a frame: the table, the traffic and the last event', () => {
    assert.deepEqual(devnetFrame(state(12, '12:00:00.000 INFO  [A] block 12 aa11… is the new tip (mined for this peer)')), [
      'peer   height  tip            pool  peers    confirmed   hash rate',
      'A          12  aa11000000…       3    0/0     2.0 tx/s   64.0 kH/s',
      'B          12  aa11000000…       3    0/0     2.0 tx/s       0 H/s',
      'traffic 2 tx/s: 10 sent, 9 accepted, 1 refused (last: duplicate (seen))',
      'last event: 12:00:00.000 INFO  [A] block 12 aa11… is the new tip (mined for this peer)',
    ]);
    assert.deepEqual(devnetFrame({ rows: [] }), [
      'peer   height  tip            pool  peers    confirmed   hash rate',
      'last event: none yet',
    ]);
  });

  it('the last event of a JSON log line (--json-logs) reads as a text log line does', () => {
    const json = '{"time":"2026-12-07T12:00:00.000Z","level":"info","peer":"A","msg":"block 12 aa11… is the new tip","height":12}\n';
    assert.equal(eventOfLogLine(json), '12:00:00.000 INFO  [A] block 12 aa11… is the new tip');
    assert.equal(eventOfLogLine('12:00:00.000 WARN  [B] slow disk\n'), '12:00:00.000 WARN  [B] slow disk');
    assert.equal(eventOfLogLine('{not json\n'), '{not json');
    assert.equal(eventOfLogLine('{"level":"info"}'), '{"level":"info"}');
  });

  it('lines are cut to the width with a column to spare, so that none wraps', () => {
    assert.equal(fitLine('x'.repeat(30), 20), `${'x'.repeat(18)}…`);
    assert.equal(fitLine('x'.repeat(19), 20), 'x'.repeat(19));
    assert.equal(fitLine('x'.repeat(30), 5), `${'x'.repeat(18)}…`, 'narrower than 20 columns counts as 20');
    assert.equal(fitLine('x'.repeat(250), undefined).length, 199, 'no width known: 200 columns');
  });

  it('a live screen hides the cursor, redraws over the last frame and gives the cursor back', () => {
    const out = new FakeTerminal();
    const screen = new LiveScreen(
      (t) => out.write(t),
      () => out.columns,
    );
    screen.draw(['one', 'two']);
    assert.equal(out.text, `${ANSI.hideCursor}\r\x1b[2Kone\n\r\x1b[2Ktwo\n\x1b[J`);
    out.text = '';
    screen.draw(['three']);
    assert.equal(out.text, '\x1b[2A\r\x1b[2Kthree\n\x1b[J', 'up over both lines, the second cleared below');
    out.text = '';
    screen.draw(['four', 'five']);
    assert.equal(out.text, '\x1b[1A\r\x1b[2Kfour\n\r\x1b[2Kfive\n\x1b[J');
    out.text = '';
    screen.redrawAll(['header'], ['six']);
    assert.equal(out.text, '\x1b[H\x1b[2Jheader\n\r\x1b[2Ksix\n\x1b[J', 'a resize starts from a clear screen');
    out.text = '';
    screen.close();
    screen.close();
    assert.equal(out.text, ANSI.showCursor, 'once');
  });

  it('a live display redraws on its timer and after a resize, at the new width', async () => {
    const out = new FakeTerminal();
    let height = 5;
    const display = new DevnetDisplay({ mode: 'live', out, intervalMs: 20, header: ['devnet: 2 peers'], state: () => state(height) });
    display.start();
    assert.ok(out.text.startsWith(`devnet: 2 peers\n${ANSI.hideCursor}`), JSON.stringify(out.text));
    height = 6;
    await new Promise<void>((resolve) => {
      const check = () => (out.text.includes('A           6') ? resolve() : setImmediate(check));
      check();
    });
    assert.ok(out.text.includes(`\x1b[5A`), 'the second draw moves up over the five lines of the first');
    out.columns = 30;
    out.text = '';
    out.emit('resize');
    assert.ok(out.text.startsWith('\x1b[H\x1b[2Jdevnet: 2 peers\n'), JSON.stringify(out.text));
    for (const line of out.text.split('\n').slice(1, -1))
      assert.ok(line.replaceAll('\r', '').replaceAll(ANSI.clearLine, '').length <= 29, JSON.stringify(line));
    out.text = '';
    display.stop();
    assert.ok(out.text.endsWith(ANSI.showCursor), 'the cursor comes back when the display stops');
    assert.equal(out.listenerCount('resize'), 0);
  });

  it('a plain display prints the whole frame with the time above it and no control sequence', () => {
    const out = new FakeTerminal();
    const display = new DevnetDisplay({
      mode: 'plain',
      out,
      intervalMs: 60_000,
      header: ['devnet: 2 peers'],
      state: () => state(7, 'an event'),
      now: () => new Date('2026-01-01T12:34:56Z'),
    });
    display.start();
    display.stop();
    const frame = devnetFrame(state(7, 'an event')).join('\n');
    assert.equal(out.text, `devnet: 2 peers\n\nstatus at 12:34:56 UTC\n${frame}\n\nstatus at 12:34:56 UTC\n${frame}\n`);
    assert.ok(!out.text.includes(ESC), 'no control sequence');
  });
});
