import assert from 'node:assert/strict';
import { ChainError } from '@chain/core';
import { CodedError, ProtocolError } from '../src';

describe('coded errors', () => {
  it('ChainError and ProtocolError are CodedErrors that keep their names and codes', () => {
    const errors = [new ChainError('bad-pow', 'a'), new ProtocolError('malformed', 'b')];
    assert.deepEqual(
      errors.map((e) => [e instanceof CodedError, e.name, e.code, String(e)]),
      [
        [true, 'ChainError', 'bad-pow', 'ChainError: a'],
        [true, 'ProtocolError', 'malformed', 'ProtocolError: b'],
      ],
    );
    assert.equal(new ProtocolError('bad-frame', 'x').fatal, true);
    assert.equal(errors[0] instanceof ProtocolError, false);
  });
});
