import assert from 'node:assert/strict';
import { formatWork } from '@chain/explorer';

describe('formatWork', () => {
  it('reads the expected hashes with a unit and three significant figures', () => {
    const cases: [string | bigint, string][] = [
      ['0', '0 hashes'],
      ['1', '1 hash'],
      ['256', '256 hashes'],
      ['1000', '1.00 k hashes'],
      [4_194_304n, '4.19 M hashes'],
      ['999999', '1.00 M hashes'],
      ['65536000', '65.5 M hashes'],
      [(2n ** 62n).toString(), '4.61 E hashes'],
      [2n ** 200n, '1.61e+60 hashes'],
    ];
    for (const [work, text] of cases) assert.equal(formatWork(work), text, String(work));
  });
});
