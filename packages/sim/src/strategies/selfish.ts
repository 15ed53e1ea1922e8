import type { Block } from '@chain/core';
import type { MinerAgent } from '../mining';
import type { World } from '../world';
import { PrivateBranch } from './private-branch';
import { SelfishMachine, type SelfishDecision } from './selfish-machine';

/**
 * A selfish miner on the network: its hash power finds blocks that it keeps private and releases
 * as Eyal & Sirer's algorithm says. In a race (a tie it creates by matching an honest block) it
 * sends its block to the `raceTargets` only; whoever hears it first mines on it. γ is thus made by
 * the network, and measured: of the races an honest block settles, the share settled on the pool's block.
 */
export class SelfishMiner implements MinerAgent {
  readonly node: number;
  readonly machine = new SelfishMachine();
  readonly branch: PrivateBranch;
  readonly #raceTargets: readonly number[];
  /** The pool's block in the current race. */
  #raceBlock: string | null = null;
  /** Races settled by an honest block, and of those, on the pool's block. */
  races = 0;
  racesWon = 0;
  /** Decisions taken, by kind. */
  readonly decisions: Record<SelfishDecision['kind'], number> = { wait: 0, adopt: 0, publish: 0, override: 0 };

  constructor(world: World, node: number, honest: readonly number[], raceTargets: readonly number[]) {
    this.node = node;
    this.#raceTargets = raceTargets;
    this.branch = new PrivateBranch(world, node, honest, (b) => this.#onPublic(b));
  }

  /** γ as measured: the share of settled races in which the honest block extended the pool's. */
  get gammaMeasured(): number {
    return this.races === 0 ? NaN : this.racesWon / this.races;
  }

  async found(): Promise<void> {
    this.branch.mine();
    this.#act(this.machine.onOwnBlock());
  }

  #onPublic(block: Block): void {
    const b = this.branch;
    if (block.index <= b.publicHeight) return; // a fork below the public tip: no growth
    // Normally one block; a sync may bring several at once.
    while (b.publicHeight < block.index) {
      b.publicHeight++;
      const last = b.publicHeight === block.index;
      if (this.machine.racing && last && this.#raceBlock !== null) {
        this.races++;
        if (block.previousHash === this.#raceBlock) this.racesWon++;
      }
      this.#act(this.machine.onPublicBlock());
    }
  }

  #act(d: SelfishDecision): void {
    const b = this.branch;
    this.decisions[d.kind]++;
    switch (d.kind) {
      case 'wait':
        return;
      case 'adopt':
        this.#raceBlock = null;
        b.adopt();
        return;
      case 'publish': {
        const blocks = b.blocks.slice(b.published, b.published + d.count);
        b.published += blocks.length;
        if (d.to === 'race') this.#raceBlock = (blocks[blocks.length - 1] as Block).currentHash;
        b.publish(blocks, d.to === 'race' ? this.#raceTargets : b.targets);
        return;
      }
      case 'override':
        this.#raceBlock = null;
        // Everything, to everyone (blocks already published too: a peer that missed one gets it).
        b.publish(b.blocks, b.targets);
        b.restart();
        return;
    }
  }
}
