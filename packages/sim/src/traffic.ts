import type { QueuedEvent } from './heap';
import type { Random } from './random';
import type { World } from './world';

/** Users sending transactions: a Poisson stream at `perSecond`, each to a peer chosen at random. */
export class Traffic {
  readonly #world: World;
  readonly #rng: Random;
  readonly #meanGapMs: number;
  readonly #targets: readonly number[];
  #next: QueuedEvent | null = null;
  sent = 0;
  accepted = 0;

  constructor(world: World, perSecond: number, targets: readonly number[] = world.nodes.map((n) => n.index)) {
    if (!(perSecond > 0)) throw new RangeError(`transaction rate must be positive, got ${perSecond}`);
    this.#world = world;
    this.#rng = world.rng.fork('traffic');
    this.#meanGapMs = 1000 / perSecond;
    this.#targets = targets;
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    if (this.#next) this.#world.scheduler.cancel(this.#next);
    this.#next = null;
  }

  #schedule(): void {
    this.#next = this.#world.scheduler.after(this.#rng.exponential(this.#meanGapMs), () => {
      const node = this.#world.nodes[this.#rng.pick(this.#targets)];
      if (node) {
        this.sent++;
        void node.peer.submitTransaction(this.#world.txs.make(this.#world.scheduler.now())).then((r) => {
          if (r.ok) this.accepted++;
        });
      }
      this.#schedule();
    });
  }
}
