import { tmpDir } from '@chain/testkit';

/**
 * Give the processes a suite starts their own user directory
 * (`CHAIN_PEER_HOME`, inherited by children), so that no test reads or
 * writes the real ~/.config/chain-peer. Call inside a `describe`; returns
 * the directory of the current test.
 */
export function isolatedHome(): () => string {
  let saved: string | undefined;
  let dir = '';
  before(() => {
    saved = process.env.CHAIN_PEER_HOME;
  });
  beforeEach(() => {
    dir = tmpDir();
    process.env.CHAIN_PEER_HOME = dir;
  });
  after(() => {
    if (saved === undefined) delete process.env.CHAIN_PEER_HOME;
    else process.env.CHAIN_PEER_HOME = saved;
  });
  return () => dir;
}
