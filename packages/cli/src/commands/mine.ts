import { Command } from 'commander';
import { createClient } from '@chain/net';
import { Miner, tcpWorkSource, type RequestClient } from '@chain/miner';
import { EXIT } from '../errors';
import { formatHashrate, short } from '../format';
import { hostPortArg, splitHostPort } from '../parse';
import { ask } from './client';
import type { CommandContext } from './context';
import * as flag from './options';
import { loggerFromFlags, type LogFlags } from './peer-logging';

export interface MineFlags extends LogFlags {
  readonly connect: string;
  readonly workers?: number;
  readonly timeout: number;
}

/**
 * `mine --connect host:port`: mine for any peer over TCP with `gp` long polls
 * and `up`, until Ctrl-C. The peer builds the blocks; this only searches.
 */
export async function mine(flags: MineFlags): Promise<number> {
  const log = loggerFromFlags(flags);
  // Fail at once, with one clear line, when nobody is there; later outages are retried.
  const first = await ask(flags.connect, 'gp', undefined, flags);
  const { host, port } = splitHostPort(flags.connect);
  const client = createClient({ host, port, logger: log, whileDisconnected: 'queue', backoff: { initialMs: 200, maxMs: 5_000 } });
  const miner = new Miner({ source: tcpWorkSource(client as unknown as RequestClient), workers: flags.workers });
  process.stdout.write(
    `mining for ${flags.connect} (${first.pow} proof of work, difficulty ${first.difficulty}, ${flags.workers === undefined ? 'one worker per core' : `${flags.workers} worker${flags.workers === 1 ? '' : 's'}`}); press Ctrl-C to stop\n`,
  );
  miner.on('work', (w) => {
    if (w.templateHash === null) log.info(`waiting for transactions (block ${w.index} has nothing to mine)`);
    else
      log.info(
        { template: short(w.templateHash) },
        `working on block ${w.index} (${w.pending} pending transaction${w.pending === 1 ? '' : 's'})`,
      );
  });
  miner.on('block', (b) => process.stdout.write(`Reward: block ${b.index} ${b.currentHash}\n`));
  miner.on('rejected', (r) => log.info({ template: short(r.templateHash) }, `no reward: ${r.reason}`));
  miner.on('error', (err) => log.warn(`miner: ${err.message}`));
  let lastRate = 0;
  miner.on('hashrate', (r) => {
    const now = Date.now();
    if (now - lastRate < 10_000) return;
    lastRate = now;
    log.info(`hash rate ${formatHashrate(r.attemptsPerSecond)}`);
  });
  miner.start();
  return new Promise<number>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log.info('stopping the miner');
      void Promise.allSettled([miner.stop(), client.close()]).then(() => {
        process.stdout.write(`stopped after ${miner.blocks} block${miner.blocks === 1 ? '' : 's'}\n`);
        resolve(EXIT.ok);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function mineCommand(ctx: CommandContext): Command {
  const command = new Command('mine')
    .description('mine for a running peer over TCP (gp/up) until Ctrl-C')
    .requiredOption('--connect <host:port>', 'the peer to mine for', hostPortArg)
    .addOption(flag.workers())
    .addOption(flag.timeout('how long to wait for the first reply'));
  flag.addLogging(command);
  return command
    .addHelpText('after', '\nExample:\n  chain-peer mine --connect 127.0.0.1:6000 --workers 2\n')
    .action(async (flags: MineFlags) => ctx.setExit(await mine(flags)));
}
