import assert from 'node:assert/strict';
import { COMP3221_NETWORK, DEFAULT_NETWORK, RETARGET_NETWORK } from '@chain/core';
import { Peer, resolveOptions } from '@chain/peer';

describe('peer options', () => {
  it('take a preset by name or parameters, checked field by field', () => {
    assert.equal(resolveOptions({}).network, DEFAULT_NETWORK);
    assert.equal(resolveOptions({ network: 'comp3221' }).network, COMP3221_NETWORK);
    assert.equal(resolveOptions({ network: 'retarget' }).network, RETARGET_NETWORK);
    assert.deepEqual(resolveOptions({ network: { ...COMP3221_NETWORK } }).network, COMP3221_NETWORK);
    assert.throws(
      () => resolveOptions({ network: 'devnet' as never }),
      /network must be a preset name \(default, comp3221, retarget\) or network parameters, got "devnet"/,
    );
    assert.throws(
      () => resolveOptions({ network: { ...COMP3221_NETWORK, difficulty: 0 } }),
      /^RangeError: network: network field "difficulty"/,
    );
  });

  it('refuse a key that is no option, naming the option meant, and say nothing of command-line flags', () => {
    assert.throws(
      () => resolveOptions({ neighbors: ['127.0.0.1:6001'] } as never),
      (err: Error) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, /^unknown peer option "neighbors" \(did you mean "neighbours"\?\); the options are: network, host, port/);
        return true;
      },
    );
    assert.throws(() => resolveOptions({ hearbeat: 1, zzz: 2 } as never), /unknown peer options "hearbeat", "zzz"/);
    assert.throws(() => resolveOptions({ mine: 'yes' as never }), /mine must be true or false/);
    assert.throws(() => resolveOptions({ neighbours: '127.0.0.1:6001' as never }), /neighbours must be an array/);
    assert.throws(() => resolveOptions({ logger: {} as never }), /logger must have debug, info, warn and error functions/);
    assert.throws(
      () => resolveOptions({ port: 70_000 }),
      (err: Error) => !/--/.test(err.message) && /port must be an integer from 0 to 65535/.test(err.message),
    );
  });

  it('Peer.start refuses a typo before it touches anything, and names a taken port as the option', async () => {
    await assert.rejects(Peer.start({ network: 'comp3221', mine: false, porrt: 0 } as never), /did you mean "port"/);
    const a = await Peer.start({ network: 'comp3221', port: 0, mine: false });
    try {
      await assert.rejects(Peer.start({ network: 'comp3221', port: a.address.port, mine: false }), (err: NodeJS.ErrnoException) => {
        assert.equal(err.code, 'EADDRINUSE');
        assert.match(err.message, /is already in use \(option port; 0 picks a free one\)$/);
        assert.doesNotMatch(err.message, /--/);
        return true;
      });
    } finally {
      await a.stop();
    }
  });
});
