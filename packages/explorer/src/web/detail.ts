import type { BlockDetail, TxEntry, TxView } from './api';
import { fmtAgo, fmtTime, h, link, short, show } from './dom';
import { formatWork } from '../work';

function row(label: string, ...value: (Node | string)[]): HTMLTableRowElement {
  return h('tr', {}, h('th', {}, label), h('td', {}, ...value));
}

function code(text: string): HTMLElement {
  return h('code', { class: 'full' }, text);
}

function sender(tx: TxEntry['tx']): string {
  return tx.sender.length > 20 ? short(tx.sender, 16) : tx.sender;
}

/** A table of transactions with links to their detail. */
export function txTable(entries: readonly TxEntry[], empty: string, testid: string): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'muted', 'data-testid': testid }, empty);
  return h(
    'table',
    { class: 'txs', 'data-testid': testid },
    h('thead', {}, h('tr', {}, h('th', {}, 'id'), h('th', {}, 'sender'), h('th', {}, 'content'), h('th', {}, 'time'))),
    h(
      'tbody',
      {},
      ...entries.map((e) =>
        h(
          'tr',
          { 'data-tx': e.id },
          h('td', {}, link('tx', e.id)),
          h('td', { title: e.tx.sender }, sender(e.tx)),
          h('td', { class: 'content' }, e.tx.content),
          h('td', {}, fmtAgo(e.tx.timestamp)),
        ),
      ),
    ),
  );
}

function blockState(d: BlockDetail): HTMLElement {
  if (d.onBestChain)
    return h('span', { class: 'pill ok' }, `best chain, ${d.confirmations} confirmation${d.confirmations === 1 ? '' : 's'}`);
  if (d.abandoned) return h('span', { class: 'pill bad' }, 'abandoned by a reorganisation');
  return h('span', { class: 'pill warn' }, 'side branch');
}

export function showBlock(host: HTMLElement, d: BlockDetail): void {
  const b = d.block;
  show(
    host,
    h('h2', { 'data-testid': 'detail-title' }, `Block #${b.index}`, ' ', blockState(d)),
    h(
      'table',
      { class: 'kv' },
      h(
        'tbody',
        {},
        row('hash', code(b.currentHash)),
        row('previous', b.index > 1 ? link('block', b.previousHash, b.previousHash) : code(b.previousHash)),
        row('next', d.next ? link('block', d.next, d.next) : h('span', { class: 'muted' }, 'none yet')),
        row('time', `${fmtTime(b.timestamp)} (${fmtAgo(b.timestamp)})`),
        row('proof', String(b.proof)),
        row('difficulty', d.target === null ? 'none (the genesis)' : h('span', { title: `target ${d.target}` }, formatWork(d.work))),
        row('transactions', String(b.transactions.length)),
      ),
    ),
    txTable(d.transactions, b.index === 1 ? 'The genesis block holds no transactions.' : 'No transactions.', 'block-txs'),
  );
}

export function showTx(host: HTMLElement, t: TxView): void {
  const state =
    t.status === 'pending'
      ? h('span', { class: 'pill warn' }, 'pending in the pool')
      : t.status === 'confirmed'
        ? h(
            'span',
            { class: 'pill ok' },
            `in block #${t.block?.index}, ${t.block?.confirmations} confirmation${t.block?.confirmations === 1 ? '' : 's'}`,
          )
        : h('span', { class: 'pill bad' }, `only in side block #${t.block?.index}`);
  const tx = t.tx as TxView['tx'] & { signature?: string };
  show(
    host,
    h('h2', { 'data-testid': 'detail-title' }, 'Transaction ', state),
    h(
      'table',
      { class: 'kv' },
      h(
        'tbody',
        {},
        row('id', code(t.id)),
        row(
          'block',
          t.block
            ? link('block', t.block.hash, `#${t.block.index} ${short(t.block.hash, 16)}`)
            : h('span', { class: 'muted' }, 'not yet mined'),
        ),
        row('content', h('span', { class: 'content', 'data-testid': 'tx-content' }, tx.content)),
        row('sender', code(tx.sender)),
        row('time', `${fmtTime(tx.timestamp)} (${fmtAgo(tx.timestamp)})`),
        tx.signature ? row('signature', code(tx.signature)) : null,
      ),
    ),
  );
}

export function showMessage(host: HTMLElement, title: string, text: string): void {
  show(host, h('h2', {}, title), h('p', { class: 'muted' }, text));
}
