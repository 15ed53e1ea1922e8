import { performance } from 'node:perf_hooks';
import type { RunRecord, TaskProgress } from '@chain/sim';

/** Real time before a run shows its progress: shorter runs stay silent (ms). */
const QUIET_MS = 2000;
/** Least real time between two redraws (ms). */
const REDRAW_MS = 250;

const hours = (ms: number) =>
  ms < 120_000 ? `${(ms / 1000).toFixed(0)} s` : ms < 7_200_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 3_600_000).toFixed(1)} h`;
const grouped = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * One line on stderr, redrawn in place, for runs longer than two seconds: runs done, virtual time
 * and blocks of the runs going on, messages a second. Off (nothing written) when `enabled` is false.
 */
export class ProgressLine {
  readonly #write: (text: string) => void;
  readonly #enabled: boolean;
  readonly #total: number;
  readonly #label: string;
  readonly #start = performance.now();
  readonly #running = new Map<number, TaskProgress>();
  #done = 0;
  #doneMessages = 0;
  #doneBlocks = 0;
  #lastDraw = 0;
  #shown = false;

  constructor(write: (text: string) => void, enabled: boolean, total: number, label: string) {
    this.#write = write;
    this.#enabled = enabled;
    this.#total = total;
    this.#label = label;
  }

  progress = (p: TaskProgress): void => {
    this.#running.set(p.task, p);
    this.#draw();
  };

  done = (r: RunRecord): void => {
    this.#running.delete(r.task);
    this.#done++;
    this.#doneMessages += Number(r.result.messages ?? 0);
    this.#doneBlocks += Number(r.result.blocks ?? 0);
    this.#draw();
  };

  /** Clear the line; say how long it took when the line was shown. */
  finish(jobs: number): void {
    if (!this.#shown) return;
    const s = ((performance.now() - this.#start) / 1000).toFixed(1);
    this.#write(`\r\x1b[K${this.#label}: ${this.#total} run${this.#total === 1 ? '' : 's'} in ${s} s (${jobs} at a time)\n`);
  }

  #draw(): void {
    if (!this.#enabled) return;
    const now = performance.now();
    const elapsed = now - this.#start;
    if (elapsed < QUIET_MS || now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    this.#shown = true;
    const running = [...this.#running.values()];
    const messages = this.#doneMessages + running.reduce((n, p) => n + p.messages, 0);
    const blocks = this.#doneBlocks + running.reduce((n, p) => n + p.blocks, 0);
    const virtual = Math.max(0, ...running.map((p) => p.virtualMs));
    const runs = this.#total > 1 ? `${this.#done}/${this.#total} runs, ${running.length} going · ` : '';
    this.#write(
      `\r\x1b[K${this.#label}: ${runs}virtual ${hours(virtual)} · ${grouped(blocks)} blocks · ${grouped(messages / (elapsed / 1000))} messages/s · ${hours(elapsed)}`,
    );
  }
}
