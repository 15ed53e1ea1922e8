import { Command } from 'commander';
import { EXIT } from '../errors';
import { formatPeers, formatTime } from '../format';
import { explorerUrl, fetchAddressBook, type AddressBookView } from './address-book';
import { ask, genesisOf, type ClientFlags } from './client';
import type { CommandContext, Out } from './context';
import * as flag from './options';

export interface StatusFlags extends ClientFlags {
  readonly json?: boolean;
  /** An explorer serving the peer (`chain-peer --http`): its address book is shown too. */
  readonly explorer?: string;
}

/**
 * `status <host:port>` from the specification's opcodes only: `pb` for the height, genesis
 * and tip block, `gp` for the pool size and the proof-of-work settings. With
 * `--explorer`, the peer's address book from that explorer's JSON API as well.
 */
export async function status(target: string, flags: StatusFlags, out: Out): Promise<number> {
  const explorer = flags.explorer === undefined ? undefined : explorerUrl(flags.explorer);
  const { genesis, height } = await genesisOf(target, flags);
  const tipReply = height > 1 ? await ask(target, 'pb', { from: height, limit: 1 }, flags) : { blocks: [genesis] };
  const tipBlock = tipReply.blocks[0] ?? genesis;
  const work = await ask(target, 'gp', undefined, flags);
  const result = {
    address: target,
    height: tipBlock.index,
    tip: tipBlock.currentHash,
    tipTime: tipBlock.timestamp,
    genesis: genesis.currentHash,
    pending: work.pending,
    difficulty: work.difficulty,
    pow: work.pow,
    mining: work.templateHash !== null,
  };
  const book: AddressBookView | undefined = explorer ? await fetchAddressBook(explorer, target, flags.timeout) : undefined;
  if (flags.json) out(`${JSON.stringify({ ...result, ...book })}\n`);
  else {
    out(
      [
        `address     ${result.address}`,
        `height      ${result.height}`,
        `tip         ${result.tip}`,
        `tip time    ${formatTime(result.tipTime)}`,
        `genesis     ${result.genesis}`,
        `pool        ${result.pending} transaction${result.pending === 1 ? '' : 's'} waiting`,
        `proof       ${result.pow}, difficulty ${result.difficulty}`,
      ].join('\n') + '\n',
    );
    if (book) out(formatPeers(book));
  }
  return EXIT.ok;
}

export function statusCommand(ctx: CommandContext): Command {
  return new Command('status')
    .description("print a peer's height, tip, pool and proof-of-work settings")
    .addArgument(flag.peerArgument())
    .addOption(flag.json('print JSON'))
    .option(
      '--explorer <url>',
      "also print the peer's address book (neighbours, candidates, quarantined addresses) from the explorer serving it (chain-peer --http)",
    )
    .addOption(flag.timeout())
    .addHelpText(
      'after',
      '\nExamples:\n  chain-peer status 127.0.0.1:6000 --json\n  chain-peer status 127.0.0.1:6000 --explorer http://127.0.0.1:8080/\n',
    )
    .action(async (target: string, flags: StatusFlags) => ctx.setExit(await status(target, flags, ctx.out)));
}
