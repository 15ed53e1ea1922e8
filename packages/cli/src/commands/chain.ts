import { Command } from 'commander';
import { EXIT } from '../errors';
import { formatBlock, formatChainEnd } from '../format';
import { intArg } from '../parse';
import { ask, type ClientFlags } from './client';
import type { CommandContext, Out } from './context';
import * as flag from './options';

export interface ChainFlags extends ClientFlags {
  readonly from: number;
  readonly limit?: number;
  readonly json?: boolean;
}

/** `chain <host:port>`: the best chain (or a part of it), readable or as JSON lines. */
export async function chain(target: string, flags: ChainFlags, out: Out, progress: Out): Promise<number> {
  let from = flags.from;
  let remaining = flags.limit ?? Number.MAX_SAFE_INTEGER;
  let height = 0;
  let tip = '';
  let received = 0;
  let lastReport = Date.now();
  while (remaining > 0) {
    const reply = await ask(target, 'pb', { from, limit: Math.min(remaining, 500) }, flags);
    height = reply.height;
    for (const block of reply.blocks) {
      out(flags.json ? `${JSON.stringify(block)}\n` : formatBlock(block));
      tip = block.currentHash;
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
  if (!flags.json) out(formatChainEnd(height, tip || '(no blocks in that range)'));
  return EXIT.ok;
}

export function chainCommand(ctx: CommandContext): Command {
  return new Command('chain')
    .description("print a peer's chain")
    .addArgument(flag.peerArgument())
    .option('--from <n>', 'first block (1 is genesis)', intArg('--from', 1, Number.MAX_SAFE_INTEGER), 1)
    .option('--limit <n>', 'most blocks to print', intArg('--limit', 1, Number.MAX_SAFE_INTEGER))
    .addOption(flag.json('print blocks as JSON lines'))
    .addOption(flag.timeout())
    .addHelpText('after', '\nExamples:\n  chain-peer chain 127.0.0.1:6000\n  chain-peer chain 127.0.0.1:6000 --from 2 --limit 10 --json\n')
    .action(async (target: string, flags: ChainFlags) => ctx.setExit(await chain(target, flags, ctx.out, ctx.err)));
}
