/** A line chart as SVG text: no dependency, the same bytes for the same data. */

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Draw points only (measured values) or a line (a model). Default both. */
  readonly style?: 'points' | 'line' | 'both';
  readonly dashed?: boolean;
  /** A colour of its own (default: the next of the palette). */
  readonly colour?: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  /** How tick values are written. */
  readonly xFormat?: (v: number) => string;
  readonly yFormat?: (v: number) => string;
  readonly width?: number;
  readonly height?: number;
  /** Force the y range to include these values (e.g. 0). */
  readonly yInclude?: readonly number[];
  /** Where the legend goes. Default top left. */
  readonly legend?: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function num(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

/** Nice ticks for a linear range. */
function linearTicks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const step0 = span / 5;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= 6) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Powers of ten (and 2, 5 between them when the range is short) within a log range. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const short = Math.log10(hi / lo) < 2.5;
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of short ? [1, 2, 5] : [1]) {
      const v = m * 10 ** e;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
    }
  }
  return ticks;
}

/** Render a chart. */
export function lineChart(o: ChartOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 440;
  const m = { left: 78, right: 20, top: 44, bottom: 58 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = o.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.xLog || x > 0) && (!o.yLog || y > 0));
  const xs = all.map((p) => p[0]);
  const ys = [...all.map((p) => p[1]), ...(o.yInclude ?? [])];
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(x0)) [x0, x1] = [1, 10];
  if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
  if (x0 === x1) [x0, x1] = o.xLog ? [x0 / 2, x1 * 2] : [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = o.yLog ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
  if (o.xLog) [x0, x1] = [x0 / 1.3, x1 * 1.3];
  if (o.yLog) [y0, y1] = [y0 / 1.5, y1 * 1.5];
  else y1 += (y1 - y0) * 0.05;
  const sx = (x: number) => m.left + (o.xLog ? Math.log(x / x0) / Math.log(x1 / x0) : (x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.top + ph - (o.yLog ? Math.log(y / y0) / Math.log(y1 / y0) : (y - y0) / (y1 - y0)) * ph;
  const fx = o.xFormat ?? ((v: number) => String(v));
  const fy = o.yFormat ?? ((v: number) => String(v));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(o.title)}</text>`);
  for (const t of o.xLog ? logTicks(x0, x1) : linearTicks(x0, x1)) {
    const x = num(sx(t));
    out.push(`<line x1="${x}" y1="${m.top}" x2="${x}" y2="${m.top + ph}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x}" y="${m.top + ph + 18}" text-anchor="middle">${esc(fx(t))}</text>`);
  }
  for (const t of o.yLog ? logTicks(y0, y1) : linearTicks(y0, y1)) {
    const y = num(sy(t));
    out.push(`<line x1="${m.left}" y1="${y}" x2="${m.left + pw}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(fy(t))}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  const named = o.series.filter((s) => s.name !== '').length;
  const legend = o.legend ?? 'top-left';
  let entry = 0;
  o.series.forEach((s, i) => {
    const colour = s.colour ?? (COLOURS[i % COLOURS.length] as string);
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.xLog || x > 0) && (!o.yLog || y > 0));
    const style = s.style ?? 'both';
    if (style !== 'points' && pts.length > 1) {
      const d = pts.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${num(sx(x))} ${num(sy(y))}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    if (style !== 'line') for (const [x, y] of pts) out.push(`<circle cx="${num(sx(x))}" cy="${num(sy(y))}" r="4" fill="${colour}"/>`);
    if (s.name === '') return;
    const ly = legend.startsWith('top') ? m.top + 14 + entry * 18 : m.top + ph - 14 - (named - 1 - entry) * 18;
    const lx = legend.endsWith('left') ? m.left + 12 : m.left + pw - 250;
    entry++;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    out.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
