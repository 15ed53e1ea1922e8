import type { IntervalView, MinerView, Sample } from './api';
import { fmtMs, s, show } from './dom';
import { formatHashrate } from '../hashrate';
import { formatWork } from '../work';

const W = 420;
const H = 150;
const L = 64;
const B = 22;
const T = 10;

function axis(svg: SVGSVGElement, top: string, bottom: string, left: string, right: string): void {
  svg.append(
    s('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }),
    s('line', { x1: L, y1: H - B, x2: W - 4, y2: H - B, class: 'axis' }),
    s('text', { x: L - 6, y: T + 8, 'text-anchor': 'end', class: 'tick' }, top),
    s('text', { x: L - 6, y: H - B, 'text-anchor': 'end', class: 'tick' }, bottom),
    s('text', { x: L, y: H - 6, class: 'tick' }, left),
    s('text', { x: W - 4, y: H - 6, 'text-anchor': 'end', class: 'tick' }, right),
  );
}

function frame(label: string): SVGSVGElement {
  return s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label });
}

/** The miner's hash rate over the last minutes, as a line. */
export function drawHashrate(host: Element, samples: readonly Sample[], miner: MinerView['state']): void {
  const svg = frame('hash rate');
  const max = Math.max(1, ...samples.map((p) => p.hashrate));
  const t0 = samples[0]?.time ?? 0;
  const t1 = samples[samples.length - 1]?.time ?? 1;
  const span = Math.max(1, t1 - t0);
  axis(svg, formatHashrate(max), '0', samples.length > 1 ? `${Math.round(span / 1000)} s ago` : '', 'now');
  if (samples.length > 1) {
    const px = (t: number) => L + ((t - t0) / span) * (W - 4 - L);
    const py = (v: number) => H - B - (v / max) * (H - B - T);
    const pts = samples.map((p) => `${px(p.time).toFixed(1)},${py(p.hashrate).toFixed(1)}`);
    svg.append(
      s('polygon', { points: `${L},${H - B} ${pts.join(' ')} ${px(t1).toFixed(1)},${H - B}`, class: 'area' }),
      s('polyline', { points: pts.join(' '), class: 'line' }),
    );
  }
  if (!samples.some((p) => p.hashrate > 0)) {
    svg.append(
      s(
        'text',
        { x: (L + W) / 2, y: (H - B + T) / 2, 'text-anchor': 'middle', class: 'note' },
        miner === 'none' ? 'no miner on this peer' : 'idle: nothing to mine',
      ),
    );
  }
  const current = samples[samples.length - 1]?.hashrate ?? 0;
  show(host, svg);
  host.setAttribute('data-current', formatHashrate(current));
}

/** The first and last block of `intervals` as the x axis names them. */
function blockRange(intervals: readonly IntervalView[]): [string, string] {
  const first = intervals[0]?.index;
  const last = intervals[intervals.length - 1]?.index;
  return [first !== undefined ? `#${first}` : 'no blocks yet', last !== undefined ? `#${last}` : ''];
}

/** The time between consecutive best-chain blocks, as bars. */
export function drawIntervals(host: Element, intervals: readonly IntervalView[]): void {
  const svg = frame('block intervals');
  const max = Math.max(1, ...intervals.map((i) => i.ms));
  axis(svg, fmtMs(max), '0', ...blockRange(intervals));
  const n = Math.max(1, intervals.length);
  const slot = (W - 4 - L) / n;
  intervals.forEach((iv, k) => {
    const h = Math.max(1, (iv.ms / max) * (H - B - T));
    svg.append(
      s(
        'rect',
        { x: L + k * slot + 1, y: H - B - h, width: Math.max(1, slot - 2), height: h, class: 'bar' },
        s('title', {}, `block ${iv.index}: ${fmtMs(iv.ms)} after its parent`),
      ),
    );
  });
  if (intervals.length > 0) {
    const mean = intervals.reduce((a, i) => a + i.ms, 0) / intervals.length;
    const y = H - B - (mean / max) * (H - B - T);
    svg.append(
      s('line', { x1: L, y1: y, x2: W - 4, y2: y, class: 'mean' }),
      s('text', { x: L + 4, y: y - 4, class: 'tick mean-label' }, `mean ${fmtMs(Math.round(mean))}`),
    );
  }
  show(host, svg);
}

/**
 * The work of each of the same blocks (the expected hashes of its target), as a line from 0: on a
 * retargeting network it follows the intervals, on a fixed network it is flat.
 */
export function drawDifficulty(host: Element, intervals: readonly IntervalView[]): void {
  const svg = frame('difficulty');
  const works = intervals.map((i) => Number(i.work));
  const max = Math.max(1, ...works);
  // The unit is in the panel's heading: a tick as long as `4.19 M hashes` would not fit the margin.
  axis(svg, formatWork(String(max)).replace(/ hash(es)?$/, ''), '0', ...blockRange(intervals));
  const n = Math.max(1, intervals.length);
  const slot = (W - 4 - L) / n;
  const py = (v: number) => H - B - (v / max) * (H - B - T);
  const pts = works.map((w, k) => `${(L + (k + 0.5) * slot).toFixed(1)},${py(w).toFixed(1)}`);
  if (pts.length > 0) svg.append(s('polyline', { points: pts.join(' '), class: 'line' }));
  intervals.forEach((iv, k) => {
    svg.append(
      s(
        'circle',
        { cx: (L + (k + 0.5) * slot).toFixed(1), cy: py(works[k] as number).toFixed(1), r: 2, class: 'point' },
        s('title', {}, `block ${iv.index}: ${formatWork(iv.work)}, target ${iv.target}`),
      ),
    );
  });
  const current = intervals[intervals.length - 1]?.work;
  show(host, svg);
  host.setAttribute('data-current', current === undefined ? '' : formatWork(current));
}
