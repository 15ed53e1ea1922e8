import type { NetworkParams } from '@chain/core';
import { formatAddress, type Address } from '@chain/net';
import { userKeyPath } from '../keys';

/** How far above the base port the explorer listens by default: clear of the 26 peers a devnet can have. */
export const EXPLORER_OFFSET = 80;

/**
 * The explorer port of a devnet: `--http N` as given, none with `--no-http`,
 * else the base port + 80 (`fallback`: a free port should that be taken), or
 * a free port when the base port is 0 or too high.
 */
export function explorerPort(http: number | false | undefined, basePort: number): { port: number; fallback: boolean } | null {
  if (http === false) return null;
  if (http !== undefined) return { port: http, fallback: false };
  if (basePort === 0 || basePort + EXPLORER_OFFSET > 65535) return { port: 0, fallback: false };
  return { port: basePort + EXPLORER_OFFSET, fallback: true };
}

/** The address a client on this machine uses to reach a peer listening on `address`. */
export function reachableAddress(address: Address): string {
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return formatAddress({ host, port: address.port });
}

/** The command that sends a transaction to `target`, ready to paste, and a note on the key it uses. */
export function sendCommandLine(
  target: string,
  network: NetworkParams,
  env: NodeJS.ProcessEnv = process.env,
): { command: string; note: string } {
  if (network.txFormat === 'signed') {
    return { command: `npx chain-peer send ${target} "hello"`, note: `signed with your key ${userKeyPath(env)}, made on first use` };
  }
  return {
    command: `npx chain-peer send ${target} "hello" --sender abcd1234`,
    note: 'a classic network: any sender of 4 letters and 4 digits',
  };
}

export interface GuideFacts {
  readonly network: NetworkParams;
  readonly mining: boolean;
  readonly names: readonly string[];
  readonly explorerUrl: string | undefined;
  /** The default explorer port was taken, so a free one serves. */
  readonly explorerMoved: number | undefined;
  readonly traffic: number;
  readonly first: string;
}

/** The lines after the devnet's first line: where to look and what to do next. */
export function guideLines(f: GuideFacts, env: NodeJS.ProcessEnv = process.env): string[] {
  const lines: string[] = [];
  if (f.explorerUrl) {
    const moved = f.explorerMoved === undefined ? '' : `port ${f.explorerMoved} was taken; `;
    const which = f.names.length > 1 ? `every peer: the selector on the page, ?peer=${f.names.join('|')} in the API; ` : '';
    lines.push(`explorer on ${f.explorerUrl} (${moved}${which}--no-http turns it off)`);
  }
  if (f.traffic > 0) {
    lines.push(
      `traffic: ${f.traffic} test transaction${f.traffic === 1 ? '' : 's'} a second spread over the peers${f.mining ? ', so blocks keep coming' : ''} (--traffic N sets the rate, 0 turns it off)`,
    );
  } else if (f.mining) {
    lines.push('no traffic: a block is mined only when there are transactions; send one (below), or run with --traffic 2');
  }
  if (!f.mining) lines.push(`not mining: transactions wait in the pools; mine them with: npx chain-peer mine --connect ${f.first}`);
  const send = sendCommandLine(f.first, f.network, env);
  lines.push(`send a transaction (${send.note}):`, `  ${send.command}`, 'press Ctrl-C to stop');
  return lines;
}
