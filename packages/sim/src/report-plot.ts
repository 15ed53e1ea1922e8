import { lineChart, type Series } from './svg';
import { duration, significant } from './format';
import { flagSpec, formatFlag } from './flags';
import { GERVAIS_2016_INTERVALS } from './published';
import { scenarioOf } from './scenarios/registry';
import type { ResultBase } from './scenarios/common';
import type { FigureUnit } from './figures';
import type { PointSummary, SimDocument } from './document';

const yFormat = (unit: FigureUnit) => (v: number) =>
  unit === 'percent' ? `${significant(100 * v, 2)}%` : unit === 'ms' ? duration(v) : significant(v, 3);

/** An error bar: a vertical line from low to high at x. */
function bar(x: number, low: number | null, high: number | null, colour: string): Series | null {
  if (low === null || high === null) return null;
  return { name: '', points: [[x, low] as const, [x, high] as const], style: 'line', colour };
}

/** Many seeds at one point: each seed's value, their mean and the 95 % interval, and the references. */
function seedsPlot(d: SimDocument, p: PointSummary): string {
  const f = p.figures[0]!;
  const def = scenarioOf(d.scenario).figures[0]!;
  const values = p.runs.map((r, i) => [i + 1, def.value(r as unknown as ResultBase) ?? NaN] as const);
  const n = values.length;
  const flat = (name: string, y: number | null, dashed = false): Series => ({
    name,
    points: y === null ? [] : [[1, y] as const, [n, y] as const],
    style: 'line',
    dashed,
  });
  return lineChart({
    title: `${d.scenario}: ${f.label} over ${n} seeds`,
    xLabel: 'seed (in the order run)',
    yLabel: f.label,
    yFormat: yFormat(f.unit),
    series: [
      { name: 'one run', points: values, style: 'points' },
      flat('mean', f.estimate.mean),
      { ...flat('95 % interval of the mean', f.estimate.low, true), colour: '#7f7f7f' },
      { ...flat('', f.estimate.high, true), colour: '#7f7f7f' },
      ...f.references.filter((r) => r.value !== null).map((r) => flat(r.label, r.value, true)),
    ],
  });
}

/** A sweep: the first figure's mean and interval against the first swept flag, a series per value of the others. */
function sweepPlot(d: SimDocument): string {
  const axis = d.sweep[0]!;
  const spec = flagSpec(axis.flag);
  const positive = axis.values.every((v) => v > 0);
  const xLog = positive && Math.max(...axis.values) / Math.min(...axis.values) >= 50;
  const f0 = d.points[0]!.figures[0]!;
  const groups = new Map<string, PointSummary[]>();
  for (const p of d.points) {
    const rest = d.sweep
      .slice(1)
      .map((a) => `${a.flag} ${formatFlag(flagSpec(a.flag), p.values[a.flag])}`)
      .join(', ');
    groups.set(rest, [...(groups.get(rest) ?? []), p]);
  }
  const colours = ['#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2'];
  const refs = f0.references.filter((r) => r.key !== 'gervais2016');
  const spread = d.seeds.length > 1 ? `mean and 95 % interval over ${d.seeds.length} seeds` : 'one seed';
  const series: Series[] = [];
  const many = groups.size > 1;
  [...groups].slice(0, colours.length).forEach(([rest, points], i) => {
    const colour = colours[i] as string;
    const x = (p: PointSummary) => p.values[axis.flag] as number;
    const fig = (p: PointSummary) => p.figures[0]!;
    const name = many ? `simulated, ${rest}` : `simulated (${spread})`;
    series.push({ name, points: points.map((p) => [x(p), fig(p).estimate.mean ?? NaN] as const), colour });
    for (const p of points) {
      const b = bar(x(p), fig(p).estimate.low, fig(p).estimate.high, colour);
      if (b) series.push(b);
    }
    refs.forEach((ref, j) =>
      series.push({
        name: many ? `${ref.label}, ${rest}` : ref.label,
        points: points.map((p) => [x(p), fig(p).references.find((r) => r.key === ref.key)?.value ?? NaN] as const),
        style: 'line',
        dashed: true,
        colour: many ? colour : (colours[(j + 1) % colours.length] as string),
      }),
    );
  });
  if (d.scenario === 'propagation' && axis.flag === 'interval')
    series.push({
      name: 'Gervais et al. 2016',
      points: GERVAIS_2016_INTERVALS.map((r) => [r.intervalMs, r.staleRate] as const),
      colour: '#d62728',
    });
  return lineChart({
    title: `${d.scenario}: ${f0.label} against ${axis.flag}`,
    xLabel: `${axis.flag}${xLog ? ' (log scale)' : ''}`,
    yLabel: f0.label,
    xLog,
    yInclude: [0],
    legend: 'top-right',
    xFormat: (v) => formatFlag(spec, v),
    yFormat: yFormat(f0.unit),
    series,
  });
}

/** The chart of a document: one run's own chart, the spread over the seeds at one point, or the sweep. */
export function documentPlot(d: SimDocument): string {
  if (d.sweep.length > 0) return sweepPlot(d);
  const p = d.points[0]!;
  if (p.runs.length === 1) return scenarioOf(d.scenario).plot(p.runs as unknown as ResultBase[]);
  return seedsPlot(d, p);
}
