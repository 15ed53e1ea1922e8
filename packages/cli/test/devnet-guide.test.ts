import assert from 'node:assert/strict';
import { PRESETS } from '@chain/core';
import type { PeerStatus } from '@chain/peer';
import { explorerPort, guideLines, reachableAddress, sendCommandLine } from '../src/devnet/guide';
import { formatDevnetTable } from '../src/devnet/status-line';

describe('devnet: what it tells the user', () => {
  it('the explorer port: --http as given, none with --no-http, else base port + 80 or a free one', () => {
    assert.deepEqual(explorerPort(undefined, 6000), { port: 6080, fallback: true });
    assert.deepEqual(explorerPort(undefined, 0), { port: 0, fallback: false });
    assert.deepEqual(explorerPort(undefined, 65500), { port: 0, fallback: false });
    assert.deepEqual(explorerPort(8080, 6000), { port: 8080, fallback: false });
    assert.equal(explorerPort(false, 6000), null);
  });

  it('the send command fits the network and reaches a wildcard listener through loopback', () => {
    assert.equal(reachableAddress({ host: '0.0.0.0', port: 6000 }), '127.0.0.1:6000');
    assert.equal(reachableAddress({ host: '::', port: 6000 }), '[::1]:6000');
    assert.deepEqual(sendCommandLine('127.0.0.1:6000', PRESETS.default, { CHAIN_PEER_HOME: '/k' }), {
      command: 'npx chain-peer send 127.0.0.1:6000 "hello"',
      note: 'signed with your key /k/key.json, made on first use',
    });
    assert.equal(
      sendCommandLine('127.0.0.1:6000', PRESETS.comp3221).command,
      'npx chain-peer send 127.0.0.1:6000 "hello" --sender abcd1234',
    );
  });

  it('says what to do when nothing would happen by itself', () => {
    const facts = { network: PRESETS.default, names: ['A'], explorerUrl: undefined, explorerMoved: undefined, first: '127.0.0.1:6000' };
    assert.match(
      guideLines({ ...facts, mining: true, traffic: 0 }).join('\n'),
      /no traffic: a block is mined only when there are transactions/,
    );
    assert.match(
      guideLines({ ...facts, mining: false, traffic: 2 }).join('\n'),
      /not mining: .*npx chain-peer mine --connect 127\.0\.0\.1:6000/,
    );
    const moved = guideLines({ ...facts, mining: true, traffic: 2, explorerUrl: 'http://127.0.0.1:4000/', explorerMoved: 6080 });
    assert.equal(moved[0], 'explorer on http://127.0.0.1:4000/ (port 6080 was taken; --no-http turns it off)');
  });
});

describe('devnet: status lines', () => {
  const status: PeerStatus = {
    network: 'devnet',
    address: '127.0.0.1:6000',
    height: 1234,
    tip: 'f340dfa637'.padEnd(64, '0'),
    poolSize: 7,
    sideBlocks: 0,
    neighbours: [
      {
        address: 'b',
        kind: 'configured',
        state: 'open',
        height: 1,
        configured: true,
        source: 'configured',
        failures: 0,
        lastSeen: null,
        until: null,
      },
      {
        address: 'c',
        kind: 'configured',
        state: 'backoff',
        height: 1,
        configured: true,
        source: 'configured',
        failures: 2,
        lastSeen: null,
        until: null,
      },
    ],
    candidates: [],
    connections: 1,
    hashrate: 43_600,
  };
  const row = { name: 'A', status, confirmed: 4.94 };

  it('a table that fits 80 columns, the hash rate the miner measured', () => {
    const lines = formatDevnetTable([row, { name: 'B', status: { ...status, hashrate: 2_500_000 }, confirmed: 250 }]);
    assert.deepEqual(lines, [
      'peer   height  tip            pool  peers    confirmed   hash rate',
      'A        1234  f340dfa637…       7    1/2     4.9 tx/s   43.6 kH/s',
      'B        1234  f340dfa637…       7    1/2     250 tx/s    2.5 MH/s',
    ]);
    for (const l of lines) assert.ok(l.length < 80);
  });
});
