import assert from 'node:assert/strict';
import { CodedError, ProtocolError } from '@chain/protocol';
import { ClientError } from '../src';

describe('coded errors', () => {
  it('a ClientError is a CodedError with its own name and code, not a ProtocolError', () => {
    const err = new ClientError('timeout', 'no reply in 10 ms');
    assert.deepEqual(
      [err instanceof CodedError, err.name, err.code, String(err)],
      [true, 'ClientError', 'timeout', 'ClientError: no reply in 10 ms'],
    );
    assert.equal(err instanceof ProtocolError, false);
  });
});
