/**
 * The values a label may take. Each is a fixed list: nothing a remote peer sends (an opcode's
 * bytes, an address, a reason it made up) ever becomes a label value of its own.
 */
import { REASONS } from '@chain/core';
import { OPCODE_LIST } from '@chain/protocol';
import type { NeighbourState, Source } from '@chain/peer';

/** What any value outside a list is counted as. */
export const OTHER = 'other';

/** Opcodes as labels: the specification's, then `other`. */
export const OPCODE_LABELS: readonly string[] = [...OPCODE_LIST, OTHER];

/** Refusal reasons as labels: the specification's, then `other`. */
export const REASON_LABELS: readonly string[] = [...REASONS, OTHER];

/** Where a block came from: this peer's miner, announced by a neighbour or by a stranger, or fetched by sync. */
export const BLOCK_SOURCES = ['mined', 'neighbour', 'remote', 'sync'] as const;

/** Where a transaction came from: this peer's user, a neighbour, or a stranger. */
export const TX_SOURCES = ['local', 'neighbour', 'remote'] as const;

/** What became of an added block. */
export const BLOCK_STATUSES = ['extended', 'reorg', 'side'] as const;

/** How an address of the address book stands. */
export const NEIGHBOUR_STATES: readonly NeighbourState[] = [
  'connecting',
  'open',
  'backoff',
  'closed',
  'waiting',
  'distrusted',
  'quarantined',
];

/** What an address of the address book is. */
export const NEIGHBOUR_KINDS = ['configured', 'neighbour', 'candidate', 'quarantined'] as const;

export const DIRECTIONS = ['in', 'out'] as const;

const OPCODE_SET = new Set<string>(OPCODE_LIST);
const REASON_SET = new Set<string>(REASONS);

/** An opcode as read off the wire, as a label. */
export function opcodeLabel(op: string): string {
  return OPCODE_SET.has(op) ? op : OTHER;
}

/** A refusal reason, as a label. */
export function reasonLabel(reason: string): string {
  return REASON_SET.has(reason) ? reason : OTHER;
}

/** A transaction's source, as a label. */
export function txSourceLabel(source: Source): (typeof TX_SOURCES)[number] {
  return source.kind;
}

/** A block's source, as a label: `announced` tells a neighbour's `nb` from a block sync fetched of it. */
export function blockSourceLabel(source: Source, announced: boolean): (typeof BLOCK_SOURCES)[number] {
  if (source.kind === 'local') return 'mined';
  if (!announced) return 'sync';
  return source.kind;
}
