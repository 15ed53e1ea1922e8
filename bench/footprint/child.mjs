// A peer from the built packages (dist), as a user runs it: opens a data directory, listens, and
// prints its address. Used by bench/footprint/run.ts; plain JavaScript so that no TypeScript loader
// adds to the memory measured.
import { Peer } from '@chain/peer';

const [dataDir, networkJson] = process.argv.slice(2);
const peer = await Peer.start({ network: JSON.parse(networkJson), port: 0, dataDir, mine: false, heartbeatMs: 3_600_000 });
process.stdout.write(JSON.stringify({ address: peer.address, height: peer.chain.height }) + '\n');
process.on('message', async (m) => {
  if (m === 'stop') {
    await peer.stop();
    process.exit(0);
  }
  if (m === 'gc' && globalThis.gc) {
    globalThis.gc();
    process.send(process.memoryUsage());
  }
});
