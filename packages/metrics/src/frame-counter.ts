/** Frames and their bytes counted by opcode and direction, for one peer's transport. */
import type { FrameDirection, FrameObserver } from '@chain/net';
import type { Counter } from 'prom-client';
import { DIRECTIONS, OPCODE_LABELS, opcodeLabel } from './labels';

/** A FrameObserver that counts into `frames` and `bytes` under `peer`. */
export function frameCounter(peer: string, frames: Counter, bytes: Counter): FrameObserver {
  // The children by direction and opcode label, so that a frame costs two increments and no label lookup.
  const children = new Map<string, { frames: Counter.Internal; bytes: Counter.Internal }>();
  for (const direction of DIRECTIONS)
    for (const opcode of OPCODE_LABELS) {
      const labels = { peer, opcode, direction };
      frames.inc(labels, 0);
      bytes.inc(labels, 0);
      children.set(`${direction} ${opcode}`, { frames: frames.labels(labels), bytes: bytes.labels(labels) });
    }
  return {
    frame(direction: FrameDirection, op: string, n: number) {
      const c = children.get(`${direction} ${opcodeLabel(op)}`);
      if (c === undefined) return;
      c.frames.inc();
      c.bytes.inc(n);
    },
  };
}
