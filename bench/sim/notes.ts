/** The prose of the section "Simulator" of docs/benchmarks.md around the measured figures. */
export const INTRO: readonly string[] = [
  '`chain-peer sim propagation` at its defaults (protocol 1.2, regions preset, random 8-regular graph, blocks of',
  '10 transactions every 10 minutes, users sending the transactions blocks take, heartbeats once an interval), each',
  'simulated peer a real `Peer` on the in-memory transport; the scale run is the same with empty blocks every 10 s',
  '(`--interval 10s --tx-rate 0 --heartbeat 10m`), so that its messages are the blocks’ own and the start-up’s.',
  'Heap a peer: measured after a collection, of the idle world once started and of the running world at the end.',
  'Reproduce with `npm run bench -- sim` (`--blocks 1000` runs the 1,000 blocks instead of projecting them;',
  '`--scale-peers`, `--scale-blocks` size the scale run; `--quick` runs 200 and 2,000 peers); 100,000 peers need',
  'a heap limit of about 11 GiB: `NODE_OPTIONS=--max-old-space-size=10800 npm run bench -- sim`.',
];

export const NOTES: readonly string[] = [
  'Every message is one event that runs the receiving peer’s real handler, so a run costs its messages times',
  'what a message costs; the bare clock is the floor of this design. Where a message’s time goes',
  '(`node --cpu-prof`, 1,000 peers, 2 blocks of 10 transactions, protocol 1.2, each sample counted to the',
  'package of its frame): the peers’ own code about 46 % (`@chain/peer` 26 %: the announcer, fetcher and',
  'relay memory; `@chain/core` 20 %: the pool and its id windows, the rules), the simulator 22 % (delivery',
  '8 %, the run loop 7 %, the in-memory server 4 %, client 1 %, message sizes 1 %), garbage collection 13 %,',
  '`@chain/net`’s client state machine 8 %, promise jobs and ticks 4 %. The run loop allocates no promise an',
  'event; the heap keeps its keys in typed arrays; request deadlines and timer periods wait in lanes of one',
  'delay each (only the next of a lane in the heap, cancelled ones dropped without a heap operation: a',
  'quarter fewer pushes and pops, a heap a third the size); a delivered frame is one object that is its own',
  'event, and a reply due at once is sent as it is made. Traces are unchanged by all of it. Most of what',
  'remains of the simulator’s share is the first touch of a frame and its connection, cold by the time it',
  'arrives, and the wait for promise jobs after each event, which the bare clock pays too: what would reach',
  '10× is fewer messages (an announcement carries many ids) or cheaper handlers, not a faster clock.',
];
