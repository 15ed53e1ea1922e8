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
  '(`node --cpu-prof`, 1,000 peers, blocks of 10 transactions, each sample counted to the package of the',
  'nearest frame of this repository): the peers’ own code about 40 % (`@chain/peer` 21 %: the announcer,',
  'fetcher and relay memory; `@chain/core` 18 %: the pool and its id windows, the rules), garbage collection',
  '13 %, `@chain/net`’s client state machine 7 %, the simulator about 30 % (the run loop 12 %, delivery and',
  'the in-memory server 12 %, message sizes 2 %). The run loop no longer allocates a promise and resumes an',
  '`async` function for each event (a job on a settled promise queues the tick that follows quiescence), and a',
  'delivery is one shared function with its data rather than a closure a message; traces are unchanged. Both',
  'cut the bare clock as much as the world, so the ratio moves little: what remains above 10× is the peers’',
  'code and its garbage, which a faster engine cannot remove. What would reach it is fewer messages (an',
  'announcement carries many ids) or cheaper handlers, not a faster clock.',
];
