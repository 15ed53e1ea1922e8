import { readFileSync } from 'node:fs';
import type { Random } from './random';

/** An undirected graph on peers 0..n-1: the neighbours of each. */
export interface Topology {
  readonly peers: number;
  readonly adjacency: readonly (readonly number[])[];
  readonly edges: number;
}

function fromEdges(peers: number, edges: Iterable<readonly [number, number]>): Topology {
  const adj: number[][] = Array.from({ length: peers }, () => []);
  const seen = new Set<string>();
  let count = 0;
  for (const [a, b] of edges) {
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    (adj[a] as number[]).push(b);
    (adj[b] as number[]).push(a);
    count++;
  }
  for (const list of adj) list.sort((x, y) => x - y);
  return { peers, adjacency: adj, edges: count };
}

/** Every peer linked to every other. */
export function fullMesh(peers: number): Topology {
  checkPeers(peers);
  const edges: [number, number][] = [];
  for (let a = 0; a < peers; a++) for (let b = a + 1; b < peers; b++) edges.push([a, b]);
  return fromEdges(peers, edges);
}

/**
 * A random k-regular graph (each peer has exactly k neighbours), by the pairing method of
 * Steger and Wormald: join two random free stubs of distinct, not yet linked peers; start
 * again in the rare case that no such pair is left. Peers × k must be even and k < peers.
 */
export function randomRegular(peers: number, k: number, rng: Random): Topology {
  checkPeers(peers);
  if (!Number.isSafeInteger(k) || k < 1 || k >= peers)
    throw new RangeError(`degree k must be an integer from 1 to peers − 1 (${peers - 1}), got ${k}`);
  if ((peers * k) % 2 !== 0) throw new RangeError(`a ${k}-regular graph on ${peers} peers does not exist: peers × k must be even`);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const edges = tryPairing(peers, k, rng);
    if (edges) return fromEdges(peers, edges);
  }
  throw new Error(`could not build a random ${k}-regular graph on ${peers} peers`);
}

function tryPairing(peers: number, k: number, rng: Random): [number, number][] | null {
  const stubs: number[] = [];
  for (let p = 0; p < peers; p++) for (let i = 0; i < k; i++) stubs.push(p);
  const linked = new Set<number>();
  const key = (a: number, b: number) => (a < b ? a * peers + b : b * peers + a);
  const edges: [number, number][] = [];
  while (stubs.length > 0) {
    let found = false;
    for (let tries = 0; tries < 50 + stubs.length; tries++) {
      const i = rng.int(stubs.length);
      const j = rng.int(stubs.length);
      const a = stubs[i] as number;
      const b = stubs[j] as number;
      if (i === j || a === b || linked.has(key(a, b))) continue;
      linked.add(key(a, b));
      edges.push([a, b]);
      // Remove both stubs (the larger index first).
      for (const x of i > j ? [i, j] : [j, i]) {
        stubs[x] = stubs[stubs.length - 1] as number;
        stubs.pop();
      }
      found = true;
      break;
    }
    if (!found) return null;
  }
  return edges;
}

/**
 * A topology from text: one edge a line, two peer numbers from 0 separated by white space or a
 * comma; `#` starts a comment. The number of peers is the largest number plus one, unless given.
 */
export function parseTopology(text: string, peers?: number): Topology {
  const edges: [number, number][] = [];
  let max = -1;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const m = /^(\d+)[\s,]+(\d+)$/.exec(line);
    if (!m) throw new Error(`topology line ${i + 1}: expected two peer numbers ("3 17"), got "${raw.trim()}"`);
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a === b) throw new Error(`topology line ${i + 1}: a peer cannot be its own neighbour (${a})`);
    if (peers !== undefined && (a >= peers || b >= peers))
      throw new Error(`topology line ${i + 1}: peer ${Math.max(a, b)} is beyond the ${peers} peers`);
    max = Math.max(max, a, b);
    edges.push([a, b]);
  });
  const n = peers ?? max + 1;
  if (n < 2) throw new Error('a topology needs at least two peers and one edge');
  return fromEdges(n, edges);
}

export function loadTopology(file: string, peers?: number): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read topology file ${file}: ${(err as Error).message}`);
  }
  return parseTopology(text, peers);
}

/** Whether every peer can reach every other. */
export function isConnected(t: Topology): boolean {
  const seen = new Uint8Array(t.peers);
  const stack = [0];
  seen[0] = 1;
  let count = 1;
  while (stack.length > 0) {
    const p = stack.pop() as number;
    for (const q of t.adjacency[p] as number[]) {
      if (seen[q]) continue;
      seen[q] = 1;
      count++;
      stack.push(q);
    }
  }
  return count === t.peers;
}

function checkPeers(peers: number): void {
  if (!Number.isSafeInteger(peers) || peers < 2) throw new RangeError(`peers must be an integer of at least 2, got ${peers}`);
}
