import type { Block } from '@chain/core';
import { ClientError, ProtocolError, request } from '@chain/net';
import type { ReplyPayloads, RequestOpcode, RequestPayloads } from '@chain/protocol';
import { splitHostPort } from '../parse';

/** The flag every client command takes: `--timeout` (options.ts). */
export interface ClientFlags {
  readonly timeout: number;
}

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
