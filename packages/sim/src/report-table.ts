import { count, duration, percentSig, significant, table } from './format';
import { flagSpec, formatFlag } from './flags';
import type { FigureUnit } from './figures';
import type { FigureSummary, PointSummary, SimDocument } from './document';

/** A figure's value as the tables write it. */
export function figureText(unit: FigureUnit, x: number | null): string {
  if (x === null) return '—';
  if (unit === 'percent') return percentSig(x);
  if (unit === 'fraction') return x.toFixed(4);
  if (unit === 'ms') return duration(x);
  return significant(x, 4);
}

function intervalText(f: FigureSummary): string {
  const e = f.estimate;
  return e.low === null || e.high === null ? '—' : `${figureText(f.unit, e.low)} – ${figureText(f.unit, e.high)}`;
}

/** `mean (low – high)`, or the mean alone without an interval. */
export function cellText(f: FigureSummary): string {
  const m = figureText(f.unit, f.estimate.mean);
  return f.estimate.low === null ? m : `${m} (${intervalText(f)})`;
}

function referencesText(f: FigureSummary): string {
  return f.references
    .filter((r) => r.value !== null)
    .map((r) => `${r.label} ${figureText(f.unit, r.value)}`)
    .join('; ');
}

/** `alpha 0.3, interval 10m`: a point's settings as flags take them. */
export function pointText(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${formatFlag(flagSpec(k), v)}`)
    .join(', ');
}

function seedsText(seeds: readonly string[]): string {
  const numeric = seeds.every((s, i) => /^\d+$/.test(s) && (i === 0 || Number(s) === Number(seeds[i - 1]) + 1));
  if (seeds.length > 3 && numeric) return `${seeds[0]}..${seeds[seeds.length - 1]}`;
  return seeds.length > 6 ? `${seeds.slice(0, 3).join(', ')}, …, ${seeds[seeds.length - 1]}` : seeds.join(', ');
}

function verdictLines(p: PointSummary, prefix: string): string[] {
  return p.figures.flatMap((f) => f.references.filter((r) => r.verdict !== null).map((r) => `${prefix}${f.label}: ${r.verdict}`));
}

const METHOD_NOTE =
  "95 % intervals: Student's t over the seeds (mean ± t·s/√n); rates widened to cover the Wilson interval of the pooled counts (Wilson alone for one seed)";

/** The human table of many runs: figures over the seeds, one row a point of the sweep. */
export function documentTable(d: SimDocument): string {
  const given = Object.entries(d.flags).map(([k, v]) => `--${k} ${formatFlag(flagSpec(k), v)}`);
  const axes = d.sweep.map((a) => `${a.flag} ${a.values.map((v) => formatFlag(flagSpec(a.flag), v)).join(', ')}`);
  const head = [
    `${d.scenario}: ${d.seeds.length} seed${d.seeds.length === 1 ? '' : 's'} (${seedsText(d.seeds)})` +
      (d.sweep.length > 0 ? ` at each of ${d.points.length} points (${axes.join(' × ')})` : '') +
      (given.length > 0 ? `; ${given.join(' ')}` : '; every setting at its default') +
      ' (--json gives every setting)',
    '',
  ];
  const body: string[] = [];
  if (d.points.length === 1) {
    const p = d.points[0] as PointSummary;
    const rows = p.figures.map((f) => [
      f.label,
      figureText(f.unit, f.estimate.mean),
      f.estimate.se === null ? '—' : figureText(f.unit, f.estimate.se),
      intervalText(f),
      String(f.estimate.n),
      referencesText(f),
    ]);
    body.push(table(['figure', 'mean', 'SE', '95 % interval', 'seeds', 'beside'], rows), '', ...verdictLines(p, ''));
  } else {
    const first = d.points[0] as PointSummary;
    const refs = first.figures.flatMap((f) => f.references.map((r) => ({ f: f.key, r: r.key, label: r.label })));
    const header = [...d.sweep.map((a) => a.flag), 'seeds', ...first.figures.map((f) => f.label), ...refs.map((x) => x.label), 'trace'];
    const rows = d.points.map((p) => [
      ...d.sweep.map((a) => formatFlag(flagSpec(a.flag), p.values[a.flag])),
      String(p.seeds),
      ...p.figures.map(cellText),
      ...refs.map((x) => {
        const f = p.figures.find((g) => g.key === x.f) as FigureSummary;
        return figureText(f.unit, f.references.find((r) => r.key === x.r)?.value ?? null);
      }),
      p.traceHash.slice(0, 12),
    ]);
    body.push(table(header, rows), '', ...d.points.flatMap((p) => verdictLines(p, `${pointText(p.values)}: `)));
  }
  return [
    ...head,
    ...body,
    ...(body[body.length - 1] === '' ? [] : ['']),
    METHOD_NOTE,
    `${count(d.runs)} runs, ${count(d.blocks)} blocks, ${count(d.messages)} messages; trace ${d.traceHash} (over the runs' traces, in order)`,
  ].join('\n');
}
