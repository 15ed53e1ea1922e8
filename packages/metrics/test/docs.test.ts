import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExposition } from '@chain/testkit';
import { ChainMetrics } from '@chain/metrics';

const doc = (name: string) => readFileSync(fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url)), 'utf8');

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource: { uid: string } }[];
}

describe('docs/metrics.md and the Grafana dashboard', () => {
  let names: Set<string>;
  before(async () => {
    const metrics = new ChainMetrics();
    const families = parseExposition(await metrics.metrics());
    names = new Set([...families.values()].flatMap((f) => [f.name, ...f.samples.map((s) => s.name)]));
    for (const f of families.values()) if (f.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(f.name + s);
  });

  it('metrics.md describes every chain_ metric, and no other', () => {
    const text = doc('metrics.md');
    const documented = new Set([...text.matchAll(/^\| `(chain_\w+)` \|/gm)].map((m) => m[1]));
    const ours = [...names].filter((n) => n.startsWith('chain_') && !/_(bucket|sum|count)$/.test(n));
    assert.deepEqual([...documented].sort(), [...new Set(ours)].sort());
  });

  it('the dashboard is importable with a DS_PROMETHEUS input and asks only for metrics that exist', () => {
    const dash = JSON.parse(doc('grafana-dashboard.json')) as { __inputs: { name: string }[]; panels: Panel[]; uid: string };
    assert.deepEqual(
      dash.__inputs.map((i) => i.name),
      ['DS_PROMETHEUS'],
    );
    const queries = dash.panels.filter((p) => p.type !== 'row');
    assert.ok(queries.length >= 20, `${queries.length} panels`);
    const asked = new Set<string>();
    for (const p of queries) {
      assert.equal(p.datasource?.uid, '${DS_PROMETHEUS}', `${p.title} uses the input`);
      for (const t of p.targets ?? []) {
        assert.equal(t.datasource.uid, '${DS_PROMETHEUS}');
        for (const m of t.expr.matchAll(/\b((?:chain|process|nodejs)_\w+)/g)) asked.add(m[1] as string);
      }
    }
    for (const name of asked) assert.ok(names.has(name), `${name} is a metric`);
    const groups = [
      'chain_height_blocks',
      'chain_pool_transactions',
      'chain_neighbours',
      'chain_blocks_total',
      'chain_reorg_depth_blocks_bucket',
    ];
    for (const name of [...groups, 'chain_frame_bytes_total', 'chain_sync_target_height_blocks', 'chain_verify_queue_signatures'])
      assert.ok(asked.has(name), `a panel shows ${name}`);
  });
});
