import assert from 'node:assert/strict';
import { rowsToReserve } from '../src/storage/row-reserve';

/** Read a log of records of the given sizes as the block store does; the reservations it makes. */
function reservations(sizes: readonly number[]): number[] {
  const fileSize = sizes.reduce((a, b) => a + b, 0);
  const made: number[] = [];
  let reserved = 0;
  let read = 0;
  sizes.forEach((size, row) => {
    read += size;
    if (row >= reserved) {
      reserved = rowsToReserve(row + 1, read, fileSize, reserved);
      made.push(reserved);
    }
    assert.ok(row < reserved);
  });
  return made;
}

describe('rows reserved from the log size', () => {
  it('a log of like records: a few reservations, the last within 1/32 of its rows', () => {
    for (const n of [1, 500, 5_000, 200_000, 1_000_000]) {
      const made = reservations(Array.from({ length: n }, (_, i) => 1700 + (i % 7)));
      assert.ok(made.length <= 4, `${n} rows: ${made.join(', ')}`);
      const last = made[made.length - 1] as number;
      assert.ok(last >= n && last <= Math.max(1024, n * (1 + 1 / 32) + 2), `${n} rows: ${last} reserved`);
    }
  });

  it('small records first, large ones later: bounded by the rows read, a few reservations', () => {
    const sizes = [...Array.from({ length: 10_000 }, () => 350), ...Array.from({ length: 100_000 }, () => 30_000)];
    const made = reservations(sizes);
    assert.ok(made.length <= 4, made.join(', '));
    for (let i = 1; i < made.length; i++) assert.ok((made[i] as number) <= 16 * (made[i - 1] as number) + 16);
    assert.ok((made[made.length - 1] as number) < 3 * sizes.length, made.join(', '));
  });

  it('large records first, small ones later: each new reservation at least a quarter more', () => {
    const sizes = [...Array.from({ length: 2_000 }, () => 30_000), ...Array.from({ length: 100_000 }, () => 350)];
    const made = reservations(sizes);
    for (let i = 1; i < made.length; i++) assert.ok((made[i] as number) >= 1.25 * (made[i - 1] as number));
    assert.ok(made.length <= 16, made.join(', '));
  });

  it('refuses an impossible reading state', () => {
    assert.throws(() => rowsToReserve(0, 10, 100, 0), /impossible reading state/);
    assert.throws(() => rowsToReserve(1, 200, 100, 0), /impossible reading state/);
    assert.throws(() => rowsToReserve(1, Number.NaN, 100, 0), /impossible reading state/);
  });
});
