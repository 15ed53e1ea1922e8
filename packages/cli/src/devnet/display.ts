import { devnetFrame, type DevnetState } from './frame';
import { LiveScreen } from './live-screen';

/** `live`: one frame redrawn in place (a terminal); `plain`: the frame printed every interval, no control sequences. */
export type DisplayMode = 'live' | 'plain';

/** The output a display writes to: a terminal's stdout, or any stream. */
export interface DisplayOutput {
  write(text: string): unknown;
  readonly columns?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface DisplayOptions {
  readonly mode: DisplayMode;
  readonly out: DisplayOutput;
  readonly intervalMs: number;
  /** The lines printed once above the frame (a resize prints them again). */
  readonly header: readonly string[];
  readonly state: () => DevnetState;
  readonly now?: () => Date;
}

/**
 * The devnet's screen: the header once, then the frame on a timer, redrawn in
 * place (`live`) or printed in full with the time above it (`plain`, for a pipe
 * or a log). `stop()` draws the frame a last time and gives the cursor back.
 */
export class DevnetDisplay {
  readonly #opts: DisplayOptions;
  readonly #screen: LiveScreen | null;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | null = null;
  readonly #onResize = () => this.#screen?.redrawAll(this.#opts.header, devnetFrame(this.#opts.state()));
  readonly #onExit = () => this.#screen?.close();

  constructor(opts: DisplayOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? (() => new Date());
    this.#screen =
      opts.mode === 'live'
        ? new LiveScreen(
            (text) => opts.out.write(text),
            () => opts.out.columns,
          )
        : null;
  }

  start(): void {
    if (this.#timer) return;
    this.#opts.out.write(this.#opts.header.map((l) => `${l}\n`).join(''));
    this.draw();
    this.#timer = setInterval(() => this.draw(), this.#opts.intervalMs);
    if (this.#screen) {
      this.#opts.out.on?.('resize', this.#onResize);
      process.once('exit', this.#onExit); // the cursor comes back however the process ends
    }
  }

  draw(): void {
    const lines = devnetFrame(this.#opts.state());
    if (this.#screen) this.#screen.draw(lines);
    else this.#opts.out.write(`\nstatus at ${this.#now().toISOString().slice(11, 19)} UTC\n${lines.map((l) => `${l}\n`).join('')}`);
  }

  stop(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
    this.draw();
    if (this.#screen) {
      this.#opts.out.off?.('resize', this.#onResize);
      process.off('exit', this.#onExit);
      this.#screen.close();
    }
  }
}
