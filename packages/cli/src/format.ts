import { txId, type Block, type Transaction } from '@chain/core';
import { formatHashrate } from '@chain/explorer';
import type { PeerStatus } from '@chain/peer';

// The page and the command line show a hash rate alike.
export { formatHashrate };

/** `2026-01-01 00:00:00.000 UTC`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/** A short form of a hash or a public key for tables. */
export function short(hex: string, length = 12): string {
  return hex.length > length + 1 ? `${hex.slice(0, length)}…` : hex;
}

function txLine(tx: Transaction): string {
  const sender = tx.sender.length > 16 ? short(tx.sender, 16) : tx.sender;
  return `    ${sender}  ${JSON.stringify(tx.content)}  at ${formatTime(tx.timestamp)}`;
}

/** A block's transaction with its full id first, so that grepping for an id finds its line. */
function txLineWithId(genesisHash: string, tx: Transaction): string {
  return `    ${txId(genesisHash, tx)}${txLine(tx).slice(2)}`;
}

/** A block as on the wire, each transaction with its `id` (docs/spec.md §2.3) first. */
export function blockWithIds(genesisHash: string, block: Block): Block & { transactions: (Transaction & { id: string })[] } {
  return { ...block, transactions: block.transactions.map((tx) => ({ id: txId(genesisHash, tx), ...tx })) };
}

/** A block as a few readable lines (full hashes and transaction ids, so that peers can be compared and ids grepped). */
export function formatBlock(block: Block, genesisHash: string): string {
  const lines = [
    `Block ${block.index}  ${formatTime(block.timestamp)}`,
    `  hash      ${block.currentHash}`,
    `  previous  ${block.previousHash}`,
    `  proof     ${block.proof}`,
  ];
  if (block.transactions.length === 0) lines.push('  transactions: none');
  else {
    lines.push(`  transactions (${block.transactions.length}):`);
    for (const tx of block.transactions) lines.push(txLineWithId(genesisHash, tx));
  }
  return `${lines.join('\n')}\n`;
}

/** The line after a chain listing. */
export function formatChainEnd(height: number, tip: string): string {
  return `height ${height}, tip ${tip}\n`;
}

export function formatPool(entries: readonly { id: string; tx: Transaction }[]): string {
  if (entries.length === 0) return 'pool: empty\n';
  const head = `pool: ${entries.length} transaction${entries.length === 1 ? '' : 's'} waiting\n`;
  // The whole id, as pb prints it: chain-peer tx takes nothing shorter.
  return head + entries.map((e) => `  ${e.id}  ${txLine(e.tx).trimStart()}\n`).join('');
}

/** `3 s ago`, `5 min ago`; `never` for null. */
export function formatAgo(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Quarantined addresses listed at most by `peers` (the newest); the rest are counted. */
const QUARANTINE_SHOWN = 10;

/** The address book (docs/spec.md §7) as a table: neighbours, candidates, then quarantined addresses. */
export function formatPeers(status: Pick<PeerStatus, 'neighbours' | 'candidates'>, now: number = Date.now()): string {
  const quarantined = status.candidates.filter((n) => n.kind === 'quarantined');
  const candidates = status.candidates.filter((n) => n.kind !== 'quarantined');
  if (status.neighbours.length === 0 && status.candidates.length === 0) return 'peers: none (add one with --peer host:port)\n';
  const shown = [...status.neighbours, ...candidates, ...quarantined.slice(-QUARANTINE_SHOWN)];
  const rows = shown.map((n) => [
    n.address,
    n.kind,
    n.kind === 'quarantined' && n.until !== null ? `until ${formatTime(n.until).slice(11, 19)}` : n.state,
    String(n.height),
    n.source,
    String(n.failures),
    formatAgo(n.lastSeen, now),
  ]);
  const head = ['address', 'kind', 'state', 'height', 'source', 'failures', 'last seen'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    `  ${cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()}\n`;
  const more = quarantined.length - QUARANTINE_SHOWN;
  return [
    `peers: ${status.neighbours.length} neighbour${status.neighbours.length === 1 ? '' : 's'}, ${candidates.length} candidate${candidates.length === 1 ? '' : 's'}, ${quarantined.length} quarantined\n`,
    line(head),
    ...rows.map(line),
    more > 0 ? `  … and ${more} more quarantined\n` : '',
  ].join('');
}

export function formatStatus(status: PeerStatus): string {
  const open = status.neighbours.filter((n) => n.state === 'open').length;
  return (
    [
      `network      ${status.network}`,
      `address      ${status.address}`,
      `height       ${status.height}`,
      `tip          ${status.tip}`,
      `pool         ${status.poolSize} transaction${status.poolSize === 1 ? '' : 's'}`,
      `side blocks  ${status.sideBlocks}`,
      `peers        ${status.neighbours.length} (${open} open), ${status.candidates.filter((n) => n.kind === 'candidate').length} candidates, ${status.connections} inbound connection${status.connections === 1 ? '' : 's'}`,
      `hash rate    ${formatHashrate(status.hashrate)}`,
    ].join('\n') + '\n'
  );
}

/** One status line of a devnet table. */
export function formatStatusLine(name: string, status: PeerStatus): string {
  const open = status.neighbours.filter((n) => n.state === 'open').length;
  return `${name.padEnd(6)} ${status.address.padEnd(21)} height ${String(status.height).padStart(6)}  tip ${short(status.tip, 10)}  pool ${String(status.poolSize).padStart(5)}  peers ${open}/${status.neighbours.length}  ${formatHashrate(status.hashrate)}`;
}
