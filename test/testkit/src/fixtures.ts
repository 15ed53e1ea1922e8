import { fileURLToPath } from 'node:url';

/** A real peer in its own process (`Peer.start` with any options, commands on stdin): run it with `sourceArgs`. */
export const PEER_FIXTURE = fileURLToPath(new URL('./peer-fixture.ts', import.meta.url));
