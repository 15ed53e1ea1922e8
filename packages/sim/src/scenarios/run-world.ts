import { World, type WorldOptions } from '../world';
import { HonestMiner, Mining, type MinerAgent } from '../mining';
import { baseOf, stopwatch, type Hooked, type ResultBase } from './common';

/** A scenario's result without the fields every result has (its `scenario` name kept). */
export type OwnFields<R extends ResultBase> = Omit<R, Exclude<keyof ResultBase, 'scenario'>>;

/** What a scenario's run gives back: blocks found, its own fields, and what to close before the world stops. */
export interface WorldRun<F> {
  readonly blocks: number;
  readonly fields: F;
  readonly close?: () => Promise<void>;
}

/**
 * One run of a scenario from the world's creation to its stop: timed, with the caller's hooks
 * called once the world is built and once the run is over, and the fields every result has.
 */
export async function runWorld<F extends { readonly scenario: string }>(
  o: Hooked & { readonly seed: string | number },
  options: WorldOptions,
  body: (world: World) => Promise<WorldRun<F>>,
): Promise<ResultBase & F> {
  const elapsed = stopwatch();
  const world = await World.create(options);
  o.hooks?.started?.(world);
  const run = await body(world);
  // Read before the stop: closing connections delivers messages of its own.
  const result = { ...baseOf(run.fields.scenario, o, world, run.blocks, 0), ...run.fields };
  o.hooks?.ending?.(world);
  await run.close?.();
  await world.stop();
  return { ...result, wallMs: elapsed() };
}

/** Every peer mines, each with an equal share of the hash power. */
export function everyPeerMines(world: World, intervalMs: number, nodes = world.nodes.map((n) => n.index)): Mining {
  const agents = nodes.map((i) => new HonestMiner(world, i));
  return new Mining(
    world,
    agents,
    agents.map(() => 1),
    intervalMs,
  );
}

/** The honest miners (nodes 0 to honest − 1) share 1 − `share` equally; the attacker has `share`. */
export function honestAndAttacker(world: World, honest: number, attacker: MinerAgent, share: number, intervalMs: number): Mining {
  const honestNodes = Array.from({ length: honest }, (_, i) => i);
  const agents: MinerAgent[] = [...honestNodes.map((i) => new HonestMiner(world, i)), attacker];
  return new Mining(world, agents, [...honestNodes.map(() => (1 - share) / honest), share], intervalMs);
}

/** Honest miners in a full mesh `latencyMs` apart and an attacker's peer (the last) linked to each of them. */
export function attackerMesh(o: {
  readonly seed: string | number;
  readonly honest: number;
  readonly latencyMs: number;
  readonly intervalMs: number;
}): WorldOptions {
  return {
    seed: o.seed,
    peers: o.honest + 1,
    topology: { kind: 'mesh' },
    latency: { kind: 'constant', ms: o.latencyMs },
    // Blocks spread by push; a heartbeat an interval is plenty for the rest.
    peer: { heartbeatMs: Math.min(o.intervalMs, 3_600_000) },
  };
}
