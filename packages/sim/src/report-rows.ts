import type { PointSummary, SimDocument } from './document';

/** One row a point, as plain values: the swept settings, then each figure's mean, SE, interval and references. */
function row(d: SimDocument, p: PointSummary): [string, number | string | null][] {
  const cells: [string, number | string | null][] = d.sweep.map((a) => [a.flag, p.values[a.flag] ?? null]);
  cells.push(['seeds', p.seeds]);
  for (const f of p.figures) {
    const e = f.estimate;
    cells.push([f.key, e.mean], [`${f.key}_se`, e.se], [`${f.key}_low`, e.low], [`${f.key}_high`, e.high]);
    for (const r of f.references) cells.push([`${f.key}_${r.key}`, r.value]);
  }
  cells.push(['traceHash', p.traceHash]);
  return cells;
}

function csvCell(v: number | string | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV: a header, then one line a point (durations in ms, rates as fractions, empty where there is no value). */
export function documentCsv(d: SimDocument): string {
  const rows = d.points.map((p) => row(d, p));
  const header = (rows[0] ?? []).map(([k]) => k);
  return [header.join(','), ...rows.map((r) => r.map(([, v]) => csvCell(v)).join(','))].join('\n') + '\n';
}

/** JSON Lines: one object a point, with each figure's estimate and what its interval says of each reference. */
export function documentJsonl(d: SimDocument): string {
  return d.points
    .map((p) =>
      JSON.stringify({
        scenario: d.scenario,
        point: p.point,
        values: p.values,
        seeds: p.seeds,
        figures: Object.fromEntries(
          p.figures.map((f) => [
            f.key,
            {
              ...f.estimate,
              references: Object.fromEntries(
                f.references.map((r) => [r.key, { value: r.value, comparison: r.comparison, verdict: r.verdict }]),
              ),
            },
          ]),
        ),
        traceHash: p.traceHash,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}
