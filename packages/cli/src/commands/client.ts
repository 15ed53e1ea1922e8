import type { Block } from '@chain/core';
import { ClientError, ProtocolError, request } from '@chain/net';
import type { ReplyPayloads, RequestOpcode, RequestPayloads } from '@chain/protocol';
import { EXIT } from '../errors';
import { formatBlock, formatChainEnd, formatPeers, formatTime } from '../format';
import { explorerUrl, fetchAddressBook, type AddressBookView } from './address-book';
import { splitHostPort } from '../parse';

export interface ClientFlags {
  readonly timeout: number;
}

type Out = (text: string) => void;

/** One request to a peer; failures become one clear line. */
export async function ask<K extends RequestOpcode>(
  target: string,
  op: K,
  payload: RequestPayloads[K],
  flags: ClientFlags,
): Promise<ReplyPayloads[K]> {
  const { host, port } = splitHostPort(target);
  try {
    return await request(host, port, op, payload, { timeoutMs: flags.timeout });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ECONNREFUSED') throw new Error(`cannot reach ${target}: connection refused; is a peer running there?`);
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') throw new Error(`cannot reach ${target}: unknown host ${host}`);
    if (err instanceof ClientError && err.code === 'timeout')
      throw new Error(`${target} did not answer ${op} within ${flags.timeout} ms; try a larger --timeout`);
    if (err instanceof ProtocolError) throw new Error(`${target} refused ${op}: ${err.code}: ${err.message}`);
    throw new Error(`${op} to ${target} failed: ${e.message}`);
  }
}

/** The genesis block of the peer's network. */
export async function genesisOf(target: string, flags: ClientFlags): Promise<{ genesis: Block; height: number }> {
  const reply = await ask(target, 'pb', { from: 1, limit: 1 }, flags);
  const genesis = reply.blocks[0];
  if (!genesis) throw new Error(`${target} sent no genesis block`);
  return { genesis, height: reply.height };
}

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

export interface StatusFlags extends ClientFlags {
  readonly json?: boolean;
  /** An explorer serving the peer (`chain-peer --http`): its address book is shown too. */
  readonly explorer?: string;
}

/**
 * `status <host:port>` from SPEC opcodes only: `pb` for the height, genesis
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
