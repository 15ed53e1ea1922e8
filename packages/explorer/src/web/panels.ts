import type { ForksView, NeighbourState, PeersView, PoolView, StatusView } from './api';
import { fmtAgo, h, link, short, show } from './dom';
import { formatHashrate } from '../hashrate';
import { txTable } from './detail';

/** The status cards at the top. */
export function showStatus(host: HTMLElement, st: StatusView): void {
  const open = st.neighbours.filter((n) => n.state === 'open').length;
  const card = (label: string, value: Node | string, id: string) =>
    h('div', { class: 'card' }, h('span', { class: 'label' }, label), h('span', { class: 'value', 'data-testid': id }, value));
  show(
    host,
    card('height', String(st.height), 'height'),
    card('tip', link('block', st.tip, short(st.tip, 12)), 'tip'),
    card('last block', st.height > 1 ? fmtAgo(st.tipTimestamp, st.time) : 'genesis only', 'tip-age'),
    card('pool', String(st.poolSize), 'pool-size'),
    card('neighbours', `${open} / ${st.neighbours.length}`, 'neighbours'),
    card('hash rate', formatHashrate(st.hashrate), 'hashrate'),
    card('miner', st.miner.state === 'none' ? 'none' : `${st.miner.state} · ${st.miner.blocks} mined`, 'miner'),
    card('side blocks', String(st.sideBlocks), 'side-blocks'),
  );
}

export function showPool(host: HTMLElement, pool: PoolView): void {
  show(
    host,
    h('h2', {}, 'Pool ', h('span', { class: 'count' }, `${pool.size} / ${pool.cap}`)),
    txTable(pool.transactions, 'Empty: every transaction is in a block.', 'pool'),
    pool.size > pool.transactions.length ? h('p', { class: 'muted' }, `and ${pool.size - pool.transactions.length} more`) : null,
  );
}

function stateClass(state: NeighbourState): string {
  return state === 'open' ? 'ok' : state === 'distrusted' || state === 'quarantined' ? 'bad' : 'warn';
}

/** One table of address book entries (docs/spec.md §7). */
function bookTable(entries: PeersView['neighbours'], testid: string, now: number): HTMLElement {
  const cell = (text: string, cls?: string) => h('td', cls ? { class: cls } : {}, text);
  return h(
    'table',
    { class: 'txs', 'data-testid': testid },
    h('thead', {}, h('tr', {}, ...['address', 'kind', 'state', 'height', 'source', 'failures', 'last seen'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      ...entries.map((n) =>
        h(
          'tr',
          {},
          cell(n.address),
          cell(n.kind, 'muted'),
          h(
            'td',
            {},
            h(
              'span',
              {
                class: `pill ${stateClass(n.state)}`,
                title: n.until !== null ? `until ${new Date(n.until).toLocaleTimeString()}` : undefined,
              },
              n.state,
            ),
          ),
          cell(String(n.height)),
          cell(n.source, 'muted'),
          cell(String(n.failures)),
          cell(n.lastSeen === null ? 'never' : fmtAgo(n.lastSeen, now), 'muted'),
        ),
      ),
    ),
  );
}

/** The address book: neighbours, then candidates and quarantined addresses. */
export function showPeers(host: HTMLElement, peers: PeersView): void {
  const now = Date.now();
  const waiting = peers.candidates.filter((n) => n.kind === 'candidate').length;
  show(
    host,
    h('h2', {}, `Neighbours of ${peers.peer} `, h('span', { class: 'count' }, peers.address)),
    peers.neighbours.length === 0 ? h('p', { class: 'muted' }, 'No neighbours.') : bookTable(peers.neighbours, 'neighbours', now),
    peers.candidates.length === 0
      ? null
      : h(
          'details',
          { 'data-testid': 'candidates-box' },
          h(
            'summary',
            {},
            `Learned addresses not (or no longer) neighbours: ${waiting} candidate${waiting === 1 ? '' : 's'}, ${peers.candidates.length - waiting} quarantined`,
          ),
          bookTable(peers.candidates, 'candidates', now),
        ),
  );
}

export function showForks(host: HTMLElement, forks: ForksView): void {
  show(
    host,
    h(
      'h2',
      {},
      'Forks ',
      h(
        'span',
        { class: 'count' },
        `${forks.sideBlocks} side block${forks.sideBlocks === 1 ? '' : 's'}, ${forks.reorgs.length} reorganisation${forks.reorgs.length === 1 ? '' : 's'} seen`,
      ),
    ),
    forks.reorgs.length === 0
      ? h('p', { class: 'muted' }, 'No reorganisation since the explorer started.')
      : h(
          'ul',
          { class: 'reorgs', 'data-testid': 'reorgs' },
          ...forks.reorgs
            .slice(0, 10)
            .map((r) =>
              h(
                'li',
                {},
                h('span', { class: 'muted' }, `${fmtAgo(r.time)}: `),
                `at #${r.forkHeight}, `,
                ...r.disconnected.flatMap((b, i) => [i > 0 ? ', ' : '', link('block', b.hash, `#${b.index}`)]),
                ` abandoned for `,
                ...r.connected.flatMap((b, i) => [i > 0 ? ', ' : '', link('block', b.hash, `#${b.index}`)]),
                r.returnedToPool > 0 ? `; ${r.returnedToPool} transaction(s) back in the pool` : '',
              ),
            ),
        ),
  );
}
