import { Command } from 'commander';
import { EXIT, UsageError } from '../errors';
import { intArg } from '../parse';
import { genesisOf, type ClientFlags } from './client';
import type { CommandContext, Out } from './context';
import * as flag from './options';
import { DEFAULT_DEPTH, LOOKUP_PAGE, locateTx, type TxLocation } from './tx-lookup';

export interface TxFlags extends ClientFlags {
  readonly depth: number;
  readonly json?: boolean;
}

const ID = /^[0-9a-f]{64}$/;

/** One line saying where the transaction is. */
export function formatLocation(id: string, at: TxLocation, depth: number): string {
  switch (at.where) {
    case 'block':
      return `${id} is in block ${at.index} ${at.hash}, ${at.confirmations} confirmation${at.confirmations === 1 ? '' : 's'} (tip ${at.height})\n`;
    case 'pool':
      return `${id} is in the pool, waiting to be mined (${at.pending} waiting, tip ${at.height})\n`;
    case 'unknown': {
      const pool = at.poolSeen < at.pending ? `the ${at.poolSeen} of ${at.pending} pool transactions it sent` : 'its pool';
      const deeper = at.searched >= depth && at.searched < at.height ? `; look deeper with --depth ${at.height}` : '';
      return `${id} is not known: not in ${pool}, nor in the last ${at.searched} block${at.searched === 1 ? '' : 's'} (tip ${at.height})${deeper}\n`;
    }
  }
}

/** `tx <host:port> <id>`: where the peer has transaction `id`. Exit 0 known (a block or the pool), 4 not known. */
export async function tx(target: string, id: string, flags: TxFlags, out: Out): Promise<number> {
  const want = id.toLowerCase();
  if (!ID.test(want)) throw new UsageError(`transaction id ${JSON.stringify(id)} must be 64 hex digits (send prints it: Accepted <id>)`);
  const { genesis } = await genesisOf(target, flags);
  const at = await locateTx(target, want, flags, { genesis: genesis.currentHash, depth: flags.depth });
  out(flags.json ? `${JSON.stringify({ id: want, ...at })}\n` : formatLocation(want, at, flags.depth));
  return at.where === 'unknown' ? EXIT.notKnown : EXIT.ok;
}

const TX_HELP = `
Asks with the specification's requests only: gp for the tip, hb for the pool
(1000 transactions at most), then pb from the tip down, ${LOOKUP_PAGE} blocks a
request, --depth blocks at most (default ${DEFAULT_DEPTH}). A block can only hold
a transaction stamped less than the network's transaction TTL before it, but an
id does not tell when its transaction was made: an older one needs a larger --depth.

Exit codes: 0 known (in a block, or in the pool), 1 failure (peer unreachable or
no answer), 2 bad usage (e.g. not an id), 4 not known (neither in the pool nor
in the blocks searched).

Examples:
  chain-peer tx 127.0.0.1:6000 5f0c…(the 64 hex digits send printed)
  chain-peer tx 127.0.0.1:6000 <id> --json
  chain-peer tx 127.0.0.1:6000 <id> --depth 100000
`;

export function txCommand(ctx: CommandContext): Command {
  return new Command('tx')
    .description('say where a peer has a transaction: in which block with how many confirmations, in the pool, or not known')
    .addArgument(flag.peerArgument())
    .argument('<id>', 'the transaction id (64 hex digits), as send prints it')
    .option('--depth <n>', 'most blocks to search, from the tip down', intArg('--depth', 1, Number.MAX_SAFE_INTEGER), DEFAULT_DEPTH)
    .addOption(flag.json('print one JSON object: where (block, pool or unknown) and the details'))
    .addOption(flag.timeout())
    .addHelpText('after', TX_HELP)
    .action(async (target: string, id: string, flags: TxFlags) => ctx.setExit(await tx(target, id, flags, ctx.out)));
}
