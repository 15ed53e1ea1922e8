/** Frames and their bytes counted by opcode and direction, for one peer's transport. */
import type { FrameDirection, FrameObserver } from '@chain/net';
import type { Counter } from 'prom-client';
import { DIRECTIONS, OPCODE_LABELS, opcodeLabel } from './labels';

const SLOT = new Map(OPCODE_LABELS.map((op, i) => [op, i]));

/**
 * A FrameObserver that adds to plain numbers (a frame costs a lookup and two additions, in the
 * data path) and writes them into the counters when they are scraped.
 */
export class FrameCounts implements FrameObserver {
  readonly peer: string;
  readonly #frames = new Float64Array(DIRECTIONS.length * OPCODE_LABELS.length);
  readonly #bytes = new Float64Array(DIRECTIONS.length * OPCODE_LABELS.length);

  constructor(peer: string) {
    this.peer = peer;
  }

  frame(direction: FrameDirection, op: string, bytes: number): void {
    const i = (direction === 'in' ? 0 : OPCODE_LABELS.length) + (SLOT.get(opcodeLabel(op)) as number);
    this.#frames[i] = (this.#frames[i] as number) + 1;
    this.#bytes[i] = (this.#bytes[i] as number) + bytes;
  }

  /** Every total, under its labels, into `counter` (just reset): frames or bytes. */
  write(counter: Counter, what: 'frames' | 'bytes'): void {
    const totals = what === 'frames' ? this.#frames : this.#bytes;
    DIRECTIONS.forEach((direction, d) =>
      OPCODE_LABELS.forEach((opcode, o) =>
        counter.inc({ peer: this.peer, opcode, direction }, totals[d * OPCODE_LABELS.length + o] as number),
      ),
    );
  }
}
