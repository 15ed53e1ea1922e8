import { Command } from 'commander';
import type { Block } from '@chain/core';
import { EXIT } from '../errors';
import { blockWithIds, formatBlock, formatChainEnd } from '../format';
import { intArg } from '../parse';
import { ask, genesisOf, type ClientFlags } from './client';
import type { CommandContext, Out } from './context';
import * as flag from './options';

export interface ChainFlags extends ClientFlags {
  readonly from: number;
  readonly limit?: number;
  readonly json?: boolean;
}

/** `chain <host:port>`: the best chain (or a part of it), readable or as JSON lines, each transaction with its id. */
export async function chain(target: string, flags: ChainFlags, out: Out, progress: Out): Promise<number> {
  const { genesis } = await genesisOf(target, flags);
  let from = flags.from;
  let remaining = flags.limit ?? Number.MAX_SAFE_INTEGER;
  let height = 0;
  let last: Block | undefined;
  let received = 0;
  let lastReport = Date.now();
  while (remaining > 0) {
    const reply = await ask(target, 'pb', { from, limit: Math.min(remaining, 500) }, flags);
    height = reply.height;
    for (const block of reply.blocks) {
      out(flags.json ? `${JSON.stringify(blockWithIds(genesis.currentHash, block))}\n` : formatBlock(block, genesis.currentHash));
      last = block;
    }
    received += reply.blocks.length;
    remaining -= reply.blocks.length;
    from += reply.blocks.length;
    if (reply.blocks.length === 0 || from > height) break;
    if (Date.now() - lastReport > 1000) {
      lastReport = Date.now();
      progress(`fetched ${received} blocks, at ${from - 1} of ${height}\n`);
    }
  }
  if (!flags.json) out(formatChainEnd(...(await tipOf(target, flags, height, last))));
  return EXIT.ok;
}

/** The peer's tip now: the last block printed only when it is the tip, else asked for (the chain may have grown meanwhile). */
async function tipOf(target: string, flags: ChainFlags, height: number, last: Block | undefined): Promise<[number, string]> {
  if (last !== undefined && last.index === height) return [height, last.currentHash];
  const reply = await ask(target, 'pb', { from: Math.max(1, height), limit: 1 }, flags);
  const tip = reply.blocks.at(-1);
  return tip === undefined ? [reply.height, '(none)'] : [tip.index, tip.currentHash];
}

export function chainCommand(ctx: CommandContext): Command {
  return new Command('chain')
    .description("print a peer's chain")
    .addArgument(flag.peerArgument())
    .option('--from <n>', 'first block (1 is genesis)', intArg('--from', 1, Number.MAX_SAFE_INTEGER), 1)
    .option('--limit <n>', 'most blocks to print', intArg('--limit', 1, Number.MAX_SAFE_INTEGER))
    .addOption(flag.json('print blocks as JSON lines, each transaction with its id'))
    .addOption(flag.timeout())
    .addHelpText('after', '\nExamples:\n  chain-peer chain 127.0.0.1:6000\n  chain-peer chain 127.0.0.1:6000 --from 2 --limit 10 --json\n')
    .action(async (target: string, flags: ChainFlags) => ctx.setExit(await chain(target, flags, ctx.out, ctx.err)));
}
