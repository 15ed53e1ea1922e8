/**
 * The explorer page: status cards, the chain as a live strip (forks drawn),
 * block and transaction detail, the pool, neighbours, reorganisations, charts
 * and a form to submit a transaction. Live updates come from `/api/events`.
 */
import { Api, ApiFailure, type BlockSummary, type BranchView, type Sample, type StatsView, type StatusView } from './api';
import { drawDifficulty, drawHashrate, drawIntervals } from './charts';
import { showBlock, showMessage, showTx } from './detail';
import { byId, fmtMs, h, link, show } from './dom';
import { mountForm } from './form';
import { showForks, showPeers, showPool, showStatus } from './panels';
import { drawStrip } from './strip';

const STRIP_BLOCKS = 30;
const MAX_SAMPLES = 300;

const api = new Api(new URLSearchParams(location.search).get('peer'));
const state = {
  status: null as StatusView | null,
  best: [] as BlockSummary[],
  branches: [] as BranchView[],
  samples: [] as Sample[],
  selected: null as string | null,
  fresh: new Set<string>(),
  mine: new Set<string>(),
  tracked: new Map<string, { content: string; block: { index: number; hash: string } | null }>(),
};

/** Run `fn` now, or once more after the current run when asked again meanwhile (no overlapping fetches). */
function coalesced(fn: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    fn()
      .catch((err) => console.warn(err))
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}

function redrawStrip(): void {
  drawStrip(byId('strip'), { best: state.best, branches: state.branches }, state, (hash) => (location.hash = `#block/${hash}`));
}

const refreshChain = coalesced(async () => {
  const [blocks, forks] = await Promise.all([api.blocks(STRIP_BLOCKS), api.forks()]);
  state.best = [...blocks.blocks];
  state.branches = [...forks.branches];
  redrawStrip();
  showForks(byId('forks'), forks);
});
const refreshPool = coalesced(async () => showPool(byId('pool'), await api.pool()));
const refreshPeers = coalesced(async () => showPeers(byId('peers'), await api.peers()));
const refreshIntervals = coalesced(async () => drawBlockCharts((await api.stats()).intervals));

function drawBlockCharts(intervals: StatsView['intervals']): void {
  drawIntervals(byId('intervals'), intervals);
  drawDifficulty(byId('difficulty'), intervals);
}

function showMine(): void {
  const host = byId('mine');
  if (state.tracked.size === 0) return show(host);
  show(
    host,
    h('h3', {}, 'Submitted from this page'),
    h(
      'ul',
      { 'data-testid': 'mine' },
      ...[...state.tracked]
        .reverse()
        .map(([id, t]) =>
          h(
            'li',
            { 'data-id': id, class: t.block ? 'mined' : 'pending' },
            link('tx', id),
            ` “${t.content}” `,
            t.block
              ? h('span', {}, 'in ', link('block', t.block.hash, `block #${t.block.index}`))
              : h('span', { class: 'muted' }, 'pending'),
          ),
        ),
    ),
  );
}

/** Show what the location's hash names: `#block/<height or hash>`, `#tx/<id>`, `#find/<hex>`. */
const route = coalesced(async () => {
  const host = byId('detail');
  const [kind, ref] = decodeURIComponent(location.hash.slice(1)).split('/');
  try {
    if (kind === 'block' && ref) {
      const d = await api.block(ref);
      state.selected = d.block.currentHash;
      showBlock(host, d);
    } else if (kind === 'tx' && ref) {
      showTx(host, await api.transaction(ref));
    } else if (kind === 'find' && ref) {
      const found = await api.block(ref).then(
        (d) => `block/${d.block.currentHash}`,
        () => api.transaction(ref).then((t) => `tx/${t.id}`),
      );
      location.replace(`#${found}`);
      return;
    } else {
      state.selected = null;
      showMessage(host, 'Details', 'Click a block in the strip, a transaction, or search by height, hash or transaction id.');
    }
  } catch (err) {
    showMessage(host, err instanceof ApiFailure && err.status === 404 ? 'Not found' : 'Error', (err as Error).message);
  }
  redrawStrip();
});

function onStatus(st: StatusView): void {
  state.status = st;
  showStatus(byId('status'), st);
  state.samples.push({ time: st.time, hashrate: st.hashrate, height: st.height });
  if (state.samples.length > MAX_SAMPLES) state.samples.shift();
  drawHashrate(byId('hashrate'), state.samples, st.miner.state);
}

function connect(): void {
  const live = byId('live');
  api.events(
    (event, data) => {
      if (event === 'status') onStatus(data as StatusView);
      else if (event === 'block') {
        const b = data as import('./api').StreamEvents['block'];
        state.fresh = new Set([b.block.hash]);
        if (b.status !== 'side') {
          for (const id of b.txIds) {
            const t = state.tracked.get(id);
            if (t) {
              t.block = { index: b.block.index, hash: b.block.hash };
              state.mine.add(b.block.hash);
            }
          }
          showMine();
        }
        refreshChain();
        refreshPool();
        refreshIntervals();
        refreshPeers(); // a block from a neighbour is news of its height
        if (/^#tx\//.test(location.hash) || location.hash === `#block/${b.block.previousHash}`) route();
      } else if (event === 'tx') refreshPool();
      else if (event === 'reorg') {
        refreshChain();
        for (const [id, t] of state.tracked) {
          void api.transaction(id).then((v) => {
            t.block = v.status === 'confirmed' && v.block ? { index: v.block.index, hash: v.block.hash } : null;
            state.mine = new Set([...state.tracked.values()].flatMap((x) => (x.block ? [x.block.hash] : [])));
            showMine();
            redrawStrip();
          });
        }
      } else if (event === 'peer') refreshPeers();
    },
    (on) => {
      live.className = on ? 'live on' : 'live off';
      live.textContent = on ? 'live' : 'reconnecting…';
      if (on) {
        refreshChain();
        refreshPool();
        refreshPeers();
      }
    },
  );
}

/** A fixed network's difficulty, or what a retargeting network aims at (docs/spec.md §9). */
function difficultyText(network: StatusView['network']): string {
  const r = network.retarget;
  if (r === undefined) return `difficulty ${network.difficulty}`;
  return `retargets to a block every ${fmtMs(r.targetBlockMs)} (half-life ${fmtMs(r.halfLifeMs)})`;
}

async function start(): Promise<void> {
  const [peers, status, stats] = await Promise.all([api.peers(), api.status(), api.stats()]);
  document.title = `chain explorer: ${status.network.name}`;
  show(
    byId('network'),
    h('span', { title: `genesis ${status.genesisHash}` }, `network ${status.network.name}`),
    ` · ${difficultyText(status.network)} · ${status.network.pow} · ${status.network.txFormat}`,
  );
  if (peers.local.length > 1) {
    const select = h(
      'select',
      { 'aria-label': 'peer', 'data-testid': 'peer-select' },
      ...peers.local.map((p) => h('option', { value: p.name, selected: p.name === peers.peer }, `${p.name} ${p.address}`)),
    );
    select.addEventListener('change', () => (location.search = `?peer=${encodeURIComponent(select.value)}`));
    show(byId('peer-choice'), 'peer ', select);
  }
  state.samples = [...stats.samples];
  onStatus(status);
  drawBlockCharts(stats.intervals);
  mountForm(byId('submit'), status, {
    api: () => api,
    status: () => state.status,
    onAccepted: (id, content) => {
      const t = { content, block: null as { index: number; hash: string } | null };
      state.tracked.set(id, t);
      showMine();
      refreshPool();
      // Its block may have come over the event stream before this reply: ask where it is now.
      void api.transaction(id).then((v) => {
        if (v.status !== 'confirmed' || !v.block || t.block) return;
        t.block = { index: v.block.index, hash: v.block.hash };
        state.mine.add(v.block.hash);
        showMine();
        redrawStrip();
      });
    },
  });
  byId('search').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = (byId<HTMLInputElement>('q').value || '').trim().toLowerCase();
    if (q) location.hash = /^\d+$/.test(q) ? `#block/${q}` : `#find/${q}`;
  });
  window.addEventListener('hashchange', () => route());
  refreshChain();
  refreshPool();
  refreshPeers();
  route();
  connect();
}

start().catch((err) => showMessage(byId('detail'), 'The explorer could not start', (err as Error).message));
