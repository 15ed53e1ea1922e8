import type { Frame } from './conn';

interface Blockish {
  readonly transactions?: readonly unknown[];
}

const length = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
const blockTxs = (block: unknown): number => length((block as Blockish | null)?.transactions);
const blocksTxs = (blocks: unknown): number => (Array.isArray(blocks) ? blocks.reduce((n: number, b) => n + blockTxs(b), 0) : 0);

/**
 * The transactions a frame makes its receiver check: those it carries (`tx`, `tb`, `bt`, a `gt`
 * reply) and every transaction of each block it carries or announces (`nb`, `cb` by its header's
 * txCount, `gb`, `pb` and `hb` replies). Everything else costs nothing.
 */
export function transactionsToCheck(frame: Frame): number {
  if (frame.kind === 'fin') return 0;
  const p = frame.payload as Record<string, unknown> | null | undefined;
  if (p === null || typeof p !== 'object') return 0;
  if (frame.kind === 'q') {
    switch (frame.op) {
      case 'tx':
        return 1;
      case 'tb':
      case 'bt':
        return length(p.txs);
      case 'nb':
        return blockTxs(p.block);
      case 'cb': {
        const count = (p.header as { txCount?: unknown } | undefined)?.txCount;
        return typeof count === 'number' && count > 0 ? count : 0;
      }
      default:
        return 0;
    }
  }
  switch (frame.op) {
    case 'gt':
      return length(p.txs);
    case 'gb':
    case 'pb':
      return blocksTxs(p.blocks);
    case 'hb':
      return blocksTxs(p.blocks) + length(p.pool);
    default:
      return 0;
  }
}

/** Check a validation cost (µs a transaction): a finite number, 0 (off) or more. */
export function checkValidationCost(usPerTx: number): number {
  if (!Number.isFinite(usPerTx) || usPerTx < 0)
    throw new RangeError(`validation cost must be a finite number of µs a transaction, 0 or more, got ${usPerTx}`);
  return usPerTx;
}
