import { Command, Option } from 'commander';
import { createClassicTransaction, hexToBytes, isValidContent, MAX_CONTENT_LENGTH, signTransaction, type Transaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { EXIT, UsageError } from '../errors';
import { readKeyOption, readOrCreateUserKey, userKeyPath, type KeyFile } from '../keys';
import { ask, genesisOf, type ClientFlags } from './client';
import type { CommandContext, Out } from './context';
import * as flag from './options';
import { txFormatOf } from './tx-format';

export interface SendFlags extends ClientFlags {
  readonly key?: string;
  readonly sender?: string;
  readonly json?: boolean;
}

const SENDER_HINT = '4 letters and 4 digits, e.g. abcd1234';

/**
 * `send <host:port> <content>`. The peer is asked which transactions it takes
 * first. Signed: signed with `--key FILE`, else with the user's key (see
 * keys.ts), made on first use and announced on `err`. Classic: from
 * `--sender ID`. A flag of the other format is a usage error and nothing is sent.
 */
export async function send(
  target: string,
  content: string,
  flags: SendFlags,
  out: Out,
  err: Out,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (flags.key && flags.sender) throw new UsageError('give --key FILE (signed networks) or --sender ID (classic networks), not both');
  if (!isValidContent(content)) throw new UsageError(`content must be 1-${MAX_CONTENT_LENGTH} printable ASCII characters other than "|"`);
  const timestamp = Date.now();
  let classic: Transaction | undefined;
  if (flags.sender !== undefined) {
    try {
      classic = createClassicTransaction(flags.sender, { content, timestamp });
    } catch (e) {
      throw new UsageError(`--sender: ${(e as Error).message}`);
    }
  }
  const given = flags.key ? readKeyOption(flags.key) : undefined;

  const [format, { genesis }] = await Promise.all([txFormatOf(target, flags), genesisOf(target, flags)]);
  let tx: Transaction;
  if (format === 'signed') {
    if (classic) {
      throw new UsageError(
        `--sender is for classic networks, and ${target} takes signed transactions: leave --sender out to sign with your key (${userKeyPath(env)}), or give --key FILE; nothing was sent`,
      );
    }
    const key = given ?? userKey(env, err);
    tx = signTransaction({
      genesisHash: genesis.currentHash,
      secretKey: hexToBytes(key.secretSeed),
      content,
      timestamp,
      ed25519: nodeEd25519,
    });
  } else {
    if (flags.key)
      throw new UsageError(
        `--key is for signed networks, and ${target} takes classic transactions: give --sender ID instead (${SENDER_HINT}); nothing was sent`,
      );
    if (!classic) throw new UsageError(`${target} takes classic transactions, which name their sender: give --sender ID (${SENDER_HINT})`);
    tx = classic;
  }
  const reply = await ask(target, 'tx', tx, flags);
  if (flags.json) out(`${JSON.stringify({ ...reply, tx })}\n`);
  else out(reply.status === 'Accepted' ? `Accepted ${reply.id}\n` : `Rejected: ${reply.reason} (${reply.message})\n`);
  return reply.status === 'Accepted' ? EXIT.ok : EXIT.failure;
}

/** The user's key, created on first use with one line on `err`. */
function userKey(env: NodeJS.ProcessEnv, err: Out): KeyFile {
  const path = userKeyPath(env);
  let result: ReturnType<typeof readOrCreateUserKey>;
  try {
    result = readOrCreateUserKey(path);
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (set CHAIN_PEER_HOME to keep it elsewhere, or give --key FILE)`);
  }
  if (result.created) err(`created your signing key ${path} (public key ${result.key.publicKey}); send signs with it from now on\n`);
  return result.key;
}

const SEND_HELP = `
The peer is asked first which transactions it takes. On a signed network (the
default) the transaction is signed with your key, $CHAIN_PEER_HOME/key.json or
else ~/.config/chain-peer/key.json ($XDG_CONFIG_HOME/chain-peer/key.json when that
is set), created on first use; --key FILE signs with another. A classic network
needs --sender.

Examples:
  chain-peer send 127.0.0.1:6000 "hello"                      signed, with your key
  chain-peer send 127.0.0.1:6000 "hello" --key my.key         signed, with my.key
  chain-peer send 127.0.0.1:6000 "hello" --sender abcd1234    classic networks
`;

export function sendCommand(ctx: CommandContext): Command {
  return new Command('send')
    .description('send a transaction to a peer (signed with your key on signed networks, made on first use)')
    .addArgument(flag.peerArgument())
    .argument('<content>', `1-${MAX_CONTENT_LENGTH} printable ASCII characters, no "|"`)
    .addOption(new Option('--key <file>', 'signed networks: sign with this key instead of yours (see keygen)').conflicts('sender'))
    .option('--sender <id>', `classic networks: ${SENDER_HINT}`)
    .addOption(flag.json('print the reply as JSON'))
    .addOption(flag.timeout())
    .addHelpText('after', SEND_HELP)
    .action(async (target: string, content: string, flags: SendFlags) => ctx.setExit(await send(target, content, flags, ctx.out, ctx.err)));
}
