import type { BlockSummary, BranchView } from './api';
import { fmtAgo, s, short, show } from './dom';

const W = 112;
const H = 62;
const GAP = 30;
const LANE = 88;
const PAD = 16;

export interface StripData {
  readonly best: readonly BlockSummary[];
  readonly branches: readonly BranchView[];
}

export interface StripMarks {
  /** The block shown in the detail panel. */
  readonly selected: string | null;
  /** Blocks that hold a transaction submitted from this page. */
  readonly mine: ReadonlySet<string>;
  /** Blocks that just arrived. */
  readonly fresh: ReadonlySet<string>;
}

type Box = { x: number; y: number };

/** Lanes for side branches: a branch takes the first lane free over its heights. */
function lanes(branches: readonly BranchView[]): number[] {
  const ends: number[] = [];
  return branches.map((b) => {
    const start = b.forkHeight + 1;
    const end = (b.blocks[b.blocks.length - 1]?.index ?? start) + 1;
    let lane = ends.findIndex((e) => e < start);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = end;
    return lane + 1;
  });
}

/**
 * Draw the chain as a strip of blocks, newest on the right: the best chain on
 * top, side branches below it from their fork points, abandoned blocks (taken
 * off the best chain by a reorganisation) marked.
 */
export function drawStrip(host: HTMLElement, data: StripData, marks: StripMarks, onSelect: (hash: string) => void): void {
  const first = data.best[0]?.index ?? 1;
  const last = data.best[data.best.length - 1]?.index ?? first;
  const visible = data.branches
    .map((b) => ({ ...b, blocks: b.blocks.filter((x) => x.index >= first) }))
    .filter((b) => b.blocks.length > 0)
    .sort((a, b) => a.forkHeight - b.forkHeight);
  const laneOf = lanes(visible);
  const maxIndex = Math.max(last, ...visible.map((b) => b.blocks[b.blocks.length - 1]?.index ?? 0));
  const cols = maxIndex - first + 1;
  const width = PAD * 2 + cols * (W + GAP) - GAP;
  const height = PAD * 2 + (1 + Math.max(0, ...laneOf)) * LANE - (LANE - H);
  const x = (index: number) => PAD + (index - first) * (W + GAP);
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'list', 'aria-label': 'blocks' });
  const links = s('g', { class: 'links' });
  const boxes = s('g');
  svg.append(links, boxes);
  const at = new Map<string, Box>();

  const box = (b: BlockSummary, lane: number, kind: 'best' | 'side' | 'abandoned') => {
    const pos = { x: x(b.index), y: PAD + lane * LANE };
    at.set(b.hash, pos);
    const classes = [
      'block',
      kind,
      marks.selected === b.hash && 'selected',
      marks.mine.has(b.hash) && 'mine',
      marks.fresh.has(b.hash) && 'fresh',
    ];
    const g = s(
      'g',
      {
        class: classes.filter(Boolean).join(' '),
        transform: `translate(${pos.x} ${pos.y})`,
        tabindex: 0,
        role: 'listitem',
        'data-index': b.index,
        'data-hash': b.hash,
        'aria-label': `block ${b.index} ${kind}`,
        onclick: () => onSelect(b.hash),
        onkeydown: (e) => {
          if ((e as KeyboardEvent).key === 'Enter') onSelect(b.hash);
        },
      },
      s(
        'title',
        {},
        `block ${b.index} ${b.hash}\n${b.transactions} transaction(s), ${fmtAgo(b.timestamp)}${kind === 'best' ? '' : ` (${kind})`}`,
      ),
      s('rect', { width: W, height: H, rx: 7 }),
      s('text', { x: 10, y: 20, class: 'idx' }, `#${b.index}`),
      s('text', { x: W - 10, y: 20, class: 'txs', 'text-anchor': 'end' }, b.transactions > 0 ? `${b.transactions} tx` : ''),
      s('text', { x: 10, y: 40, class: 'hash' }, short(b.hash, 12)),
      s('text', { x: 10, y: 55, class: 'age' }, kind === 'best' ? fmtAgo(b.timestamp) : kind),
    );
    boxes.append(g);
    return pos;
  };
  const join = (from: Box | undefined, to: Box, cls: string) => {
    const x1 = from ? from.x + W : to.x - GAP;
    const y1 = from ? from.y + H / 2 : to.y + H / 2;
    const x2 = to.x;
    const y2 = to.y + H / 2;
    const mid = (x1 + x2) / 2;
    links.append(s('path', { d: `M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}`, class: cls }));
  };

  for (const b of data.best) {
    const pos = box(b, 0, 'best');
    const parent = at.get(b.previousHash);
    if (parent || b.index > 1) join(parent, pos, 'link best');
  }
  visible.forEach((branch, i) => {
    for (const b of branch.blocks) {
      const pos = box(b, laneOf[i] as number, b.abandoned ? 'abandoned' : 'side');
      join(at.get(b.previousHash), pos, `link ${b.abandoned ? 'abandoned' : 'side'}`);
    }
  });
  show(host, svg);
  host.scrollLeft = host.scrollWidth;
}
