import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sha256hex, sha256hexOfText, sha256hexOfTextPortable, utf8 } from '../src/primitives/encoding';

describe('sha256hex (native where available)', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    assert.equal(sha256hexOfText(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256hexOfText('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256hex(utf8('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes text as UTF-8 exactly like the pure-JavaScript path, lone surrogates included', () => {
    for (const text of ['héllo ✓', '𝄞 clef', '\ud800', 'a\udc00b', '\u0000', 'x'.repeat(10_000)]) {
      assert.equal(sha256hexOfText(text), sha256hexOfTextPortable(text), JSON.stringify(text.slice(0, 20)));
      assert.equal(sha256hex(utf8(text)), sha256hexOfTextPortable(text));
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => sha256hexOfText(text) === sha256hexOfTextPortable(text)),
      { numRuns: 500 },
    );
  });
});
