/**
 * The Prometheus text exposition format (version 0.0.4), parsed strictly: a line that is not a
 * comment, a HELP, a TYPE or a sample is an error naming the line, so a test that parses a
 * scrape also checks that it is well-formed.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
/** What a histogram's or summary's samples add to the family's name. */
const SUFFIXES = ['_bucket', '_sum', '_count'];

function parseValue(text: string, line: number): number {
  // As Prometheus reads them (Go's ParseFloat): NaN and Inf in any case.
  if (/^[+]?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const v = Number(text);
  if (text === '' || Number.isNaN(v)) throw new Error(`line ${line}: ${JSON.stringify(text)} is not a sample value`);
  return v;
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const m = LABEL.exec(text);
    if (m === null) throw new Error(`line ${line}: cannot read the labels {${text}}`);
    const [, key, raw] = m as unknown as [string, string, string];
    if (key in labels) throw new Error(`line ${line}: label ${key} given twice`);
    labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

/** Every metric family of an exposition, by name. */
export function parseExposition(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily & { help: string; type: string }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (f === undefined) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
    if (meta) {
      const [, what, name, rest] = meta as unknown as [string, string, string, string];
      if (what === 'HELP') family(name).help = rest.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      else if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest))
        throw new Error(`line ${line}: unknown type ${rest}`);
      else family(name).type = rest;
      return;
    }
    if (raw.startsWith('#')) return;
    const m = SAMPLE.exec(raw);
    if (m === null) throw new Error(`line ${line}: not a sample: ${raw}`);
    const [, name, labels = '', value] = m as unknown as [string, string, string | undefined, string];
    const owner = [name, ...SUFFIXES.filter((x) => name.endsWith(x)).map((x) => name.slice(0, -x.length))].find((n) => families.has(n));
    if (owner === undefined) throw new Error(`line ${line}: sample ${name} comes before any HELP or TYPE of its family`);
    family(owner).samples.push({ name, labels: parseLabels(labels, line), value: parseValue(value, line) });
  });
  return families;
}

/**
 * The value of the sample `name` whose labels include `labels`, from a parsed exposition;
 * an error names what is missing.
 */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Readonly<Record<string, string>> = {}): number {
  for (const f of families.values())
    for (const s of f.samples) if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
  throw new Error(`no sample ${name}${JSON.stringify(labels)} in the exposition`);
}
