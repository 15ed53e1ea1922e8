import assert from 'node:assert/strict';
import type { NeighbourStatus } from '@chain/peer';
import { formatPeers } from '../src/format';

const entry = (address: string, kind: NeighbourStatus['kind'], more: Partial<NeighbourStatus> = {}): NeighbourStatus => ({
  address,
  kind,
  state: kind === 'quarantined' ? 'quarantined' : 'open',
  height: 0,
  configured: kind === 'configured',
  source: kind === 'configured' ? 'configured' : '192.0.2.1',
  failures: 0,
  lastSeen: null,
  until: null,
  ...more,
});

describe('peers: the address book as a table', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('neighbours, candidates and quarantined addresses with source, failures and last reply', () => {
    const text = formatPeers(
      {
        neighbours: [
          entry('10.0.0.1:6000', 'configured', { height: 12, lastSeen: now - 3000 }),
          entry('10.0.0.2:6000', 'neighbour', { height: 12, lastSeen: now - 600_000 }),
        ],
        candidates: [
          entry('10.0.0.3:6000', 'candidate', { state: 'backoff', failures: 2 }),
          entry('10.0.0.4:6000', 'quarantined', { failures: 5, until: Date.UTC(2026, 0, 1, 12, 9, 30) }),
        ],
      },
      now,
    );
    assert.equal(
      text,
      [
        'peers: 2 neighbours, 1 candidate, 1 quarantined',
        '  address        kind         state           height  source      failures  last seen',
        '  10.0.0.1:6000  configured   open            12      configured  0         3 s ago',
        '  10.0.0.2:6000  neighbour    open            12      192.0.2.1   0         10 min ago',
        '  10.0.0.3:6000  candidate    backoff         0       192.0.2.1   2         never',
        '  10.0.0.4:6000  quarantined  until 12:09:30  0       192.0.2.1   5         never',
        '',
      ].join('\n'),
    );
  });

  it('shows the newest 10 quarantined addresses and counts the rest; an empty book says how to add a peer', () => {
    const candidates = Array.from({ length: 25 }, (_, i) => entry(`10.1.0.${i}:6000`, 'quarantined', { failures: 5, until: now + i }));
    const text = formatPeers({ neighbours: [], candidates }, now);
    assert.match(text, /^peers: 0 neighbours, 0 candidates, 25 quarantined\n/);
    assert.equal(text.split('\n').filter((l) => l.includes('quarantined  until')).length, 10);
    assert.ok(text.includes('10.1.0.24:6000') && !text.includes('10.1.0.14:6000 '));
    assert.match(text, / {2}… and 15 more quarantined\n$/);
    assert.equal(formatPeers({ neighbours: [], candidates: [] }, now), 'peers: none (add one with --peer host:port)\n');
  });
});
