import { hostOf, SIM_PORT, type SimNode, type WorldOptions } from '../world';
import { HonestMiner, Mining } from '../mining';
import { randomRegular, type Topology } from '../topology';
import { Random } from '../random';
import { round } from '../stats';
import { count, percent, table } from '../format';
import { lineChart } from '../svg';
import { check, footer, type Hooked, type ResultBase } from './common';
import { runWorld, type OwnFields } from './run-world';

export interface EclipseOptions extends Hooked {
  readonly seed: string | number;
  /** Honest miners (a random 4-regular graph). Default 20. */
  readonly honest?: number;
  /** Attacker peers (each on its own address). Default 40. */
  readonly attackers?: number;
  /** The attacker's share of the hash power (mined among its own peers). Default 0.1. */
  readonly alpha?: number;
  /** Fake addresses the attacker announces to the second victim from one host. Default 40. */
  readonly poison?: number;
  /** Mean block interval and length of the run (virtual ms). Defaults 60 s and 2 h. */
  readonly intervalMs?: number;
  readonly durationMs?: number;
}

/** What one victim went through. */
export interface VictimReport {
  readonly victim: string;
  /** Its neighbours at the end: honest peers and attacker peers. */
  readonly honestNeighbours: number;
  readonly attackerNeighbours: number;
  /** Share of samples in which its tip was on the honest best chain. */
  readonly onHonestChain: number;
  /** Its best chain's blocks that the honest network does not have. */
  readonly foreignBlocks: number;
  readonly height: number;
  /** Addresses it learned from the poisoning host, and addresses it quarantined. */
  readonly learnedFromPoisoner: number;
  readonly quarantined: number;
}

export interface EclipseResult extends ResultBase {
  readonly scenario: 'eclipse';
  readonly alpha: number;
  readonly honestPeers: number;
  readonly attackerPeers: number;
  readonly honestHeight: number;
  readonly attackerHeight: number;
  /** Victim 1: every neighbour is the attacker's. Victim 2: one configured honest neighbour, the rest left to docs/spec.md §7. */
  readonly victims: readonly [VictimReport, VictimReport];
  /** [minutes, victim 1 on the honest chain, victim 2 on it, victim 2's attacker neighbours] over time. */
  readonly samples: readonly (readonly [number, number, number, number])[];
}

/** What an attacker's peer keeps of replies from outside: the height, no block, header or pool (1.1 `hb`, 1.2 `hi`, `gh`, `gb`). */
const HEIGHT_ONLY: Readonly<Record<string, object>> = {
  hb: { blocks: [], pool: [] },
  hi: { pool: [] },
  gh: { headers: [] },
  gb: { blocks: [] },
  gt: { txs: [] },
};

/** Every setting of an eclipse run, defaults filled in. */
export type EclipseSettings = Required<Omit<EclipseOptions, 'hooks'>>;

export const ECLIPSE_DEFAULTS = { honest: 20, attackers: 40, alpha: 0.1, poison: 40, intervalMs: 60_000, durationMs: 7_200_000 } as const;

/** Check the options and fill in every default. */
export function resolveEclipse(o: EclipseOptions): EclipseSettings {
  const d = ECLIPSE_DEFAULTS;
  return {
    seed: o.seed,
    honest: check('honest', o.honest ?? d.honest, 5, 10_000, true),
    attackers: check('attackers', o.attackers ?? d.attackers, 1, 1000, true),
    alpha: check('alpha', o.alpha ?? d.alpha, 0.001, 0.999),
    poison: check('poison', o.poison ?? d.poison, 0, 1000, true),
    intervalMs: check('interval', o.intervalMs ?? d.intervalMs, 1000, 86_400_000),
    durationMs: check('duration', o.durationMs ?? d.durationMs, 60_000, 1e10),
  };
}

/**
 * An eclipse attack. The attacker runs `attackers` real peers, mining its own chain with share
 * α among them and never talking to the honest network. Victim 1 has only attacker peers as
 * neighbours: it follows the attacker's chain whatever the honest network does. Victim 2 was
 * configured with one honest neighbour; every attacker peer connects to it and announces itself,
 * and one attacker host announces `poison` fake addresses; docs/spec.md §7 decides what it learns.
 */
export async function eclipse(options: EclipseOptions): Promise<EclipseResult> {
  const o = resolveEclipse(options);
  const { honest: H, attackers: A, alpha, poison, intervalMs, durationMs } = o;
  const v1 = H;
  const v2 = H + 1;
  const attackers = Array.from({ length: A }, (_, i) => H + 2 + i);
  const peers = H + 2 + A;
  const rng = new Random(`${o.seed}/eclipse-topology`);
  const edges: [number, number][] = [];
  const honestGraph = randomRegular(H, 4, rng);
  honestGraph.adjacency.forEach((list, a) => list.forEach((b) => a < b && edges.push([a, b])));
  const attackerGraph = A >= 5 ? randomRegular(A, 4, rng) : null;
  if (attackerGraph) attackerGraph.adjacency.forEach((list, a) => list.forEach((b) => a < b && edges.push([attackers[a]!, attackers[b]!])));
  else for (let i = 0; i < A; i++) for (let j = i + 1; j < A; j++) edges.push([attackers[i]!, attackers[j]!]);
  for (const a of attackers) edges.push([v1, a]);
  edges.push([v2, 0]);
  const adjacency: number[][] = Array.from({ length: peers }, () => []);
  for (const [a, b] of edges) {
    adjacency[a]!.push(b);
    adjacency[b]!.push(a);
  }
  const topology: Topology = { peers, adjacency, edges: edges.length };
  const isAttacker = (i: number) => i >= H + 2;
  const settings: WorldOptions = {
    seed: o.seed,
    peers,
    topology: { kind: 'given', topology },
    latency: { kind: 'constant', ms: 50 },
    peer: { heartbeatMs: 10_000 },
    // Attacker peers also dial victim 2 (which did not choose them): it hears of them only from them.
    peerOverride: (i) => (isAttacker(i) ? { neighbours: [...adjacency[i]!, v2].map((j) => `${hostOf(j)}:${SIM_PORT}`) } : undefined),
  };
  return runWorld<OwnFields<EclipseResult>>(options, settings, async (world) => {
    // The attacker's peers run the real peer software behind a filter of the attacker's: they take
    // no block or transaction from outside (the honest chain never reaches them), and what they
    // learn by heartbeat from outside is only the height. What they send goes out as usual.
    for (const a of attackers) {
      world.fabric.filter(a, (_client, op, _payload, target) => {
        const only = target !== undefined && !isAttacker(target) ? HEIGHT_ONLY[op] : undefined;
        return only ? { transform: (r) => ({ ...(r as object), ...only }) } : undefined;
      });
      world.fabric.filterInbound(a, (from, op) => {
        if (isAttacker(from)) return undefined;
        if (op === 'nb' || op === 'cb') return { reply: { status: 'Accepted' } }; // a block, whole or compact
        if (op === 'tx') return { reply: { status: 'Rejected', reason: 'duplicate', message: 'not taken' } };
        if (op === 'ia') return { reply: { want: [] } }; // announced transactions: none wanted
        if (op === 'tb') return { reply: { accepted: 0, rejected: [] } };
        return undefined;
      });
    }
    const miners = [...Array.from({ length: H }, (_, i) => i), ...attackers];
    const agents = miners.map((i) => new HonestMiner(world, i));
    const shares = miners.map((i) => (isAttacker(i) ? alpha / A : (1 - alpha) / H));
    const mining = new Mining(world, agents, shares, intervalMs);
    // The poisoner: one attacker host opens `poison` connections to victim 2, each announcing a made-up address.
    const poisoner = attackers[0]!;
    const poisonClients = Array.from({ length: poison }, (_, i) => {
      const c = world.fabric
        .transport(poisoner)
        .createClient({ host: hostOf(v2), port: SIM_PORT, requestTimeoutMs: 15_000, backoff: { initialMs: 1000, maxMs: 60_000 } });
      const genesis = world.nodes[v2]!.peer.chain.genesisHash;
      void c.request('hb', { genesis, locator: [genesis], listen: `10.250.${i >> 8}.${i & 255}:${SIM_PORT}` }).catch(() => undefined);
      return c;
    });
    const nodes = world.nodes;
    const honestRef = nodes[0] as SimNode;
    const onHonest = (n: SimNode) => (honestRef.peer.chain.onBestChain(n.peer.chain.tip.hash) ? 1 : 0);
    const attackerNeighbours = (n: SimNode) =>
      n.peer.status().neighbours.filter((x) => isAttacker(world.fabric.nodeOf(x.address.split(':')[0] as string) ?? -1)).length;
    const samples: [number, number, number, number][] = [];
    const sample = () =>
      samples.push([round(world.elapsed / 60_000) as number, onHonest(nodes[v1]!), onHonest(nodes[v2]!), attackerNeighbours(nodes[v2]!)]);
    const sampler = world.scheduler.timers.setInterval(sample, Math.max(1000, Math.round(intervalMs / 2)));
    mining.start();
    await world.runFor(durationMs);
    mining.stop();
    await world.runFor(30_000);
    world.scheduler.timers.clearInterval(sampler);
    sample();

    const report = (name: string, n: SimNode, column: 1 | 2): VictimReport => {
      const status = n.peer.status();
      const fromPoisoner = [...status.neighbours, ...status.candidates].filter(
        (x) => x.source === hostOf(poisoner) && x.address.startsWith('10.250.'),
      ).length;
      let foreign = 0;
      for (let h = 2; h <= n.peer.chain.height; h++) if (!honestRef.peer.chain.onBestChain(n.peer.chain.hashAt(h) as string)) foreign++;
      const counted = samples.filter((s) => s[0] > 0);
      return {
        victim: name,
        honestNeighbours: status.neighbours.length - attackerNeighbours(n),
        attackerNeighbours: attackerNeighbours(n),
        onHonestChain: round(counted.reduce((a, s) => a + s[column], 0) / Math.max(1, counted.length)) as number,
        foreignBlocks: foreign,
        height: n.peer.chain.height,
        learnedFromPoisoner: fromPoisoner,
        quarantined: status.candidates.filter((c) => c.kind === 'quarantined').length,
      };
    };
    return {
      blocks: mining.found,
      close: async () => {
        await Promise.all(poisonClients.map((c) => c.close()));
      },
      fields: {
        scenario: 'eclipse',
        alpha,
        honestPeers: H,
        attackerPeers: A,
        honestHeight: honestRef.peer.chain.height,
        attackerHeight: nodes[attackers[0]!]!.peer.chain.height,
        victims: [
          report('victim 1: every neighbour the attacker’s', nodes[v1]!, 1),
          report('victim 2: one configured honest neighbour, docs/spec.md §7', nodes[v2]!, 2),
        ],
        samples,
      },
    };
  });
}

export function eclipseTable(r: EclipseResult): string {
  const [a, b] = r.victims;
  const col = (f: (v: VictimReport) => string) => [f(a), f(b)];
  return [
    `eclipse: ${r.honestPeers} honest miners (height ${r.honestHeight}), an attacker with ${r.attackerPeers} peers and α = ${r.alpha} of the hash power (its chain: height ${r.attackerHeight}); ${count(r.blocks)} blocks found`,
    '',
    table(
      ['', 'victim 1', 'victim 2'],
      [
        ['neighbours it was configured with', 'attacker peers only', 'one honest peer'],
        ['neighbours at the end: honest / attacker', ...col((v) => `${v.honestNeighbours} / ${v.attackerNeighbours}`)],
        ['time its tip was on the honest chain', ...col((v) => percent(v.onHonestChain, 1))],
        ['blocks of its chain the honest network lacks', ...col((v) => String(v.foreignBlocks))],
        ['fake addresses learned from one host (docs/spec.md §7: 8 at most)', ...col((v) => String(v.learnedFromPoisoner))],
        ['addresses quarantined (5 failures)', ...col((v) => String(v.quarantined))],
      ],
    ),
    '',
    'docs/spec.md §7 does not stop attacker peers from filling learned slots (they answer hb like any peer); it keeps',
    'configured neighbours for ever, counts one address per inbound connection and 8 per source host,',
    'dials one candidate a second and drops what fails 5 times. One honest neighbour is enough to follow the',
    'longest chain; a victim whose every neighbour is the attacker’s follows the attacker’s chain.',
    footer(r),
  ].join('\n');
}

export function eclipsePlot(r: EclipseResult): string {
  return lineChart({
    title: 'Eclipse: is the victim on the honest chain?',
    xLabel: 'time (minutes)',
    yLabel: 'on the honest chain (1) / attacker neighbours ÷ 32',
    yInclude: [0, 1.4],
    series: [
      { name: 'victim 1 (all neighbours the attacker’s)', points: r.samples.map((s) => [s[0], s[1]] as const), style: 'line' },
      {
        name: 'victim 2 (one configured honest neighbour)',
        points: r.samples.map((s) => [s[0], s[2]] as const),
        style: 'line',
        dashed: true,
      },
      { name: 'victim 2’s attacker neighbours ÷ 32', points: r.samples.map((s) => [s[0], s[3] / 32] as const), style: 'line' },
    ],
  });
}
