import type { Block, Transaction } from '@chain/core';
import type { PeerStatus } from '@chain/peer';

/** `2026-01-01 00:00:00.000 UTC`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : `${d.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/** A short form of a hash or a public key for tables. */
export function short(hex: string, length = 12): string {
  return hex.length > length + 1 ? `${hex.slice(0, length)}…` : hex;
}

export function formatHashrate(perSecond: number): string {
  if (!(perSecond > 0)) return '0 H/s';
  const units = ['H/s', 'kH/s', 'MH/s', 'GH/s'];
  let value = perSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function txLine(tx: Transaction): string {
  const sender = tx.sender.length > 16 ? short(tx.sender, 16) : tx.sender;
  return `    ${sender}  ${JSON.stringify(tx.content)}  at ${formatTime(tx.timestamp)}`;
}

/** A block as a few readable lines (full hashes, so that peers can be compared). */
export function formatBlock(block: Block): string {
  const lines = [
    `Block ${block.index}  ${formatTime(block.timestamp)}`,
    `  hash      ${block.currentHash}`,
    `  previous  ${block.previousHash}`,
    `  proof     ${block.proof}`,
  ];
  if (block.transactions.length === 0) lines.push('  transactions: none');
  else {
    lines.push(`  transactions (${block.transactions.length}):`);
    for (const tx of block.transactions) lines.push(txLine(tx));
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
  return head + entries.map((e) => `  ${short(e.id)}  ${txLine(e.tx).trimStart()}\n`).join('');
}

export function formatPeers(status: PeerStatus): string {
  if (status.neighbours.length === 0) return 'peers: none (add one with --peer host:port)\n';
  const width = Math.max(...status.neighbours.map((n) => n.address.length));
  return status.neighbours
    .map((n) => `  ${n.address.padEnd(width)}  ${n.state.padEnd(10)}  height ${n.height}  ${n.configured ? 'configured' : 'learned'}\n`)
    .join('');
}

export function formatStatus(status: PeerStatus): string {
  const open = status.neighbours.filter((n) => n.state === 'open').length;
  return [
    `network      ${status.network}`,
    `address      ${status.address}`,
    `height       ${status.height}`,
    `tip          ${status.tip}`,
    `pool         ${status.poolSize} transaction${status.poolSize === 1 ? '' : 's'}`,
    `side blocks  ${status.sideBlocks}`,
    `peers        ${status.neighbours.length} (${open} open), ${status.connections} inbound connection${status.connections === 1 ? '' : 's'}`,
    `hash rate    ${formatHashrate(status.hashrate)}`,
  ].join('\n') + '\n';
}

/** One status line of a devnet table. */
export function formatStatusLine(name: string, status: PeerStatus): string {
  const open = status.neighbours.filter((n) => n.state === 'open').length;
  return `${name.padEnd(6)} ${status.address.padEnd(21)} height ${String(status.height).padStart(6)}  tip ${short(status.tip, 10)}  pool ${String(status.poolSize).padStart(5)}  peers ${open}/${status.neighbours.length}  ${formatHashrate(status.hashrate)}`;
}
