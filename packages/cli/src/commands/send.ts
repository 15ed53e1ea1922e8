import { Command, Option } from 'commander';
import { createClassicTransaction, hexToBytes, isValidContent, MAX_CONTENT_LENGTH, signTransaction, type Transaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { EXIT, UsageError } from '../errors';
import { intArg } from '../parse';
import { readKeyOption, readOrCreateUserKey, userKeyPath, type KeyFile } from '../keys';
import { ask, genesisOf, type ClientFlags } from './client';
import type { CommandContext, Out } from './context';
import * as flag from './options';
import { waitForConfirmations } from './send-wait';
import { signedNetworkHint } from './tx-form';
import { txFormatOf } from './tx-format';

export interface SendFlags extends ClientFlags {
  readonly key?: string;
  readonly sender?: string;
  readonly json?: boolean;
  /** Confirmations to wait for once the peer accepts (`--wait [n]`). */
  readonly wait?: number;
  readonly waitTimeout?: number;
  /** Send content that reads as `<sender> <content>` as it is, on a signed network. */
  readonly literal?: boolean;
  /** The sender came as the first of two arguments (the original form). */
  readonly originalForm?: boolean;
}

/** How long `--wait` waits by default. */
const DEFAULT_WAIT_MS = 120_000;

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
    const text = flags.originalForm ? `${flags.sender} ${content}` : content;
    const literal = flags.originalForm ? `send ${target} "${text}" --literal` : 'give --literal';
    const hint = flags.literal ? undefined : signedNetworkHint(text, { alone: `send ${target} "%s"`, literal });
    if (hint) throw new UsageError(hint);
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
  if (reply.status === 'Accepted' && flags.wait !== undefined) {
    err(`Accepted ${reply.id}; waiting for ${flags.wait} confirmation${flags.wait === 1 ? '' : 's'}\n`);
    const at = await waitForConfirmations(
      target,
      flags,
      { id: reply.id, timestamp, genesis: genesis.currentHash, confirmations: flags.wait, timeoutMs: flags.waitTimeout ?? DEFAULT_WAIT_MS },
      err,
    );
    const block = { index: at.index, hash: at.hash };
    if (flags.json) out(`${JSON.stringify({ ...reply, tx, block, confirmations: at.confirmations })}\n`);
    else
      out(`Confirmed ${reply.id} in block ${at.index} ${at.hash}, ${at.confirmations} confirmation${at.confirmations === 1 ? '' : 's'}\n`);
    return EXIT.ok;
  }
  if (flags.json) out(`${JSON.stringify({ ...reply, tx })}\n`);
  else out(reply.status === 'Accepted' ? `Accepted ${reply.id}\n` : `Rejected: ${reply.reason} (${reply.message})\n`);
  return reply.status === 'Accepted' ? EXIT.ok : EXIT.failure;
}

/** `content`, or the original form's `<sender> <content>` as two arguments: the sender then goes to --sender. */
export function sendArguments(first: string, second: string | undefined, flags: SendFlags): { content: string; flags: SendFlags } {
  if (second === undefined) return { content: first, flags };
  if (flags.sender !== undefined)
    throw new UsageError(`give the sender once: as an argument (${first}) or with --sender (${flags.sender}), not both`);
  if (flags.key !== undefined)
    throw new UsageError(`two arguments are the original <sender> <content> form of classic networks; with --key give the content alone`);
  return { content: second, flags: { ...flags, sender: first, originalForm: true } };
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
  chain-peer send 127.0.0.1:6000 abcd1234 "hello"             the original form, classic networks
  chain-peer send 127.0.0.1:6000 "hello" --wait               and wait until it is in a block
  chain-peer send 127.0.0.1:6000 "hello" --wait 3 --json      until 3 blocks hold it; one JSON object

With --wait, progress goes to stderr and the result to stdout: Confirmed <id> in
block <index> <hash>, <n> confirmations. A transaction not confirmed within
--wait-timeout exits 1 and says where it is; chain-peer tx <host:port> <id> looks later.
On a signed network, content that begins like a classic sender ("abcd1234 hello",
the original tx <sender> <content> form) is refused unless --literal: the sender
of a signed transaction is the key that signs it.
`;

export function sendCommand(ctx: CommandContext): Command {
  return new Command('send')
    .description('send a transaction to a peer (signed with your key on signed networks, made on first use)')
    .addArgument(flag.peerArgument())
    .argument('<content>', `1-${MAX_CONTENT_LENGTH} printable ASCII characters, no "|"`)
    .argument('[original-content]', 'the original form <sender> <content>, classic networks: the first argument is then the sender')
    .addOption(new Option('--key <file>', 'signed networks: sign with this key instead of yours (see keygen)').conflicts('sender'))
    .option('--sender <id>', `classic networks: ${SENDER_HINT}`)
    .addOption(
      new Option('--wait [n]', 'once accepted, wait until n blocks hold the transaction (its own included) and print that block')
        .argParser(intArg('--wait', 1, 1000))
        .preset(1),
    )
    .addOption(
      new Option('--wait-timeout <ms>', `how long --wait waits (default: ${DEFAULT_WAIT_MS})`).argParser(
        intArg('--wait-timeout', 1, 86_400_000),
      ),
    )
    .option('--literal', 'signed networks: send content that begins like a classic sender ("abcd1234 hello") as it is')
    .addOption(flag.json('print the reply as JSON (with --wait: one object, with the block and its confirmations)'))
    .addOption(flag.timeout())
    .addHelpText('after', SEND_HELP)
    .action(async (target: string, first: string, second: string | undefined, given: SendFlags) => {
      const { content, flags } = sendArguments(first, second, given);
      ctx.setExit(await send(target, content, flags, ctx.out, ctx.err));
    });
}
