/** The ANSI control sequences the live screen uses (ECMA-48), nothing else. */
export const ANSI = {
  hideCursor: '\x1b[?25l',
  showCursor: '\x1b[?25h',
  up: (n: number) => `\x1b[${n}A`,
  clearLine: '\x1b[2K',
  clearDown: '\x1b[J',
  clearScreen: '\x1b[H\x1b[2J',
} as const;

/** Narrowest width honoured; below it lines are cut as if the terminal were this wide. */
const MIN_COLUMNS = 20;

/** `line` cut to fit `columns` with a column to spare: a line that wraps would throw the redraw off. */
export function fitLine(line: string, columns: number | undefined): string {
  const width = Math.max(MIN_COLUMNS, columns && columns > 0 ? columns : 200) - 1;
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/**
 * A frame redrawn in place on a terminal: the first draw hides the cursor, each
 * later one moves up over the previous frame, rewrites every line and clears
 * what a longer frame left below. A resize clears the screen and draws the
 * header and the frame again from the top, since the terminal may have rewrapped
 * what was there. `close()` shows the cursor again below the last frame.
 */
export class LiveScreen {
  readonly #write: (text: string) => void;
  readonly #columns: () => number | undefined;
  #height = 0;
  #open = false;

  constructor(write: (text: string) => void, columns: () => number | undefined) {
    this.#write = write;
    this.#columns = columns;
  }

  /** Draw `lines` over the previous frame. */
  draw(lines: readonly string[]): void {
    this.#write(this.#frame(lines, this.#open ? (this.#height > 0 ? ANSI.up(this.#height) : '') : ANSI.hideCursor));
  }

  /** The terminal changed size: clear it, then `header` (printed once, may wrap) and `lines`. */
  redrawAll(header: readonly string[], lines: readonly string[]): void {
    this.#write(this.#frame(lines, `${ANSI.clearScreen}${header.map((l) => `${l}\n`).join('')}`));
  }

  /** Show the cursor again; the last frame stays on the screen. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#write(ANSI.showCursor);
  }

  #frame(lines: readonly string[], prefix: string): string {
    this.#open = true;
    this.#height = lines.length;
    const columns = this.#columns();
    return `${prefix}${lines.map((l) => `\r${ANSI.clearLine}${fitLine(l, columns)}\n`).join('')}${ANSI.clearDown}`;
  }
}
