import { createInterface, type Interface } from 'node:readline';
import { isValidContent, MAX_CONTENT_LENGTH, signTransaction } from '@chain/core';
import { nodeEd25519 } from '@chain/core/node';
import { hexToBytes } from '@chain/core';
import type { Peer } from '@chain/peer';
import { formatBlock, formatChainEnd, formatPeers, formatPool, formatStatus } from './format';
import type { PeerKey } from './keys';
import { signedNetworkHint } from './commands/tx-form';

const PB_BATCH = 500;

export function promptHelp(format: 'signed' | 'classic'): string {
  const tx =
    format === 'signed'
      ? "  tx <content>           submit a transaction signed with this peer's key (tx --literal <text>: text that begins like a sender)"
      : '  tx <sender> <content>  submit a transaction (sender: 4 letters and 4 digits, e.g. abcd1234)';
  return [
    'commands:',
    tx,
    '  pb [from [limit]]      print the chain',
    '  pool                   print the transactions waiting to be mined',
    '  peers                  print the address book: neighbours, candidates, quarantined',
    "  status                 print this peer's status",
    '  cc                     stop this peer cleanly (also: quit, exit)',
    '  help                   print this help',
    '',
  ].join('\n');
}

export interface PromptOptions {
  readonly peer: Peer;
  readonly key: PeerKey;
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly write: (text: string) => void;
  /** Called once when the user asks to stop (`cc`, `quit`, Ctrl-C at a terminal). */
  readonly onQuit: () => void;
  /** Called when the input ends (the peer keeps running). */
  readonly onEnd: () => void;
}

/**
 * The interactive prompt of a running peer. Lines are read from the input
 * whether it is a terminal or a pipe and run one at a time, in order.
 */
export class Prompt {
  readonly #o: PromptOptions;
  readonly #rl: Interface;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #quitting = false;

  constructor(options: PromptOptions) {
    this.#o = options;
    const tty = options.input.isTTY === true && process.stdout.isTTY === true;
    this.#rl = createInterface({ input: options.input, output: tty ? process.stdout : undefined, terminal: tty });
    this.#rl.setPrompt('chain> ');
    this.#rl.on('line', (line) => {
      this.#queue = this.#queue.then(() => this.#run(line)).catch((err) => this.#o.write(`error: ${(err as Error).message}\n`));
    });
    this.#rl.on('SIGINT', () => this.#quit());
    this.#rl.on('close', () => {
      this.#closed = true;
      if (!this.#quitting) void this.#queue.then(() => this.#o.onEnd());
    });
    if (tty) this.#rl.prompt();
  }

  /** Stop reading input. */
  close(): void {
    this.#quitting = true;
    if (!this.#closed) this.#rl.close();
  }

  #quit(): void {
    if (this.#quitting) return;
    this.#quitting = true;
    this.close();
    this.#o.onQuit();
  }

  async #run(line: string): Promise<void> {
    if (this.#quitting) return;
    const text = line.trim();
    const [command = '', ...rest] = text.split(/\s+/);
    const out = this.#o.write;
    const peer = this.#o.peer;
    switch (command.toLowerCase()) {
      case '':
        break;
      case 'tx':
        out(`${await this.#tx(text.replace(/^\S+\s*/, ''))}\n`);
        break;
      case 'pb':
        await this.#pb(rest);
        break;
      case 'pool':
        out(formatPool(peer.chain.pool.list()));
        break;
      case 'peers':
        out(formatPeers(peer.status(), peer.now()));
        break;
      case 'status':
        out(formatStatus(peer.status()));
        break;
      case 'help':
        out(promptHelp(peer.network.txFormat));
        break;
      case 'cc':
      case 'quit':
      case 'exit':
        this.#quit();
        return;
      default:
        out(`unknown command ${JSON.stringify(command)}\n${promptHelp(peer.network.txFormat)}`);
    }
    if (!this.#closed) this.#rl.prompt();
  }

  async #tx(args: string): Promise<string> {
    const peer = this.#o.peer;
    const now = peer.now();
    let tx: unknown;
    if (peer.network.txFormat === 'classic') {
      const m = /^(\S+)\s+(.+)$/.exec(args);
      if (!m)
        return 'usage: tx <sender> <content>  (this network uses classic transactions: sender is 4 letters and 4 digits, e.g. tx abcd1234 hello)';
      tx = { sender: m[1], content: m[2], timestamp: now };
    } else {
      if (args === '') return "usage: tx <content>  (signed with this peer's key)";
      const literal = /^--literal\s+/.exec(args);
      if (literal) args = args.slice(literal[0].length);
      else {
        const hint = signedNetworkHint(args, { alone: 'type tx %s', literal: 'tx --literal <text>' });
        if (hint) return `Not sent: ${hint}`;
      }
      if (!isValidContent(args)) {
        return `Rejected: bad-content (content must be 1-${MAX_CONTENT_LENGTH} printable ASCII characters other than "|")`;
      }
      const key = this.#o.key.get();
      tx = signTransaction({
        genesisHash: peer.chain.genesisHash,
        secretKey: hexToBytes(key.secretSeed),
        content: args,
        timestamp: now,
        ed25519: nodeEd25519,
      });
    }
    const result = await peer.submitTransaction(tx);
    // The id, as send prints it: what chain-peer tx, pb and the explorer's search find the transaction by.
    return result.ok ? `Accepted ${result.id}` : `Rejected: ${result.reason} (${result.message})`;
  }

  async #pb(args: string[]): Promise<void> {
    const chain = this.#o.peer.chain;
    const from = args[0] !== undefined && /^\d+$/.test(args[0]) ? Math.max(1, Number(args[0])) : 1;
    const limit = args[1] !== undefined && /^\d+$/.test(args[1]) ? Number(args[1]) : Number.MAX_SAFE_INTEGER;
    const height = chain.height;
    const tip = chain.tip.hash;
    const end = Math.min(height, from + limit - 1);
    for (let at = from; at <= end; at += PB_BATCH) {
      const blocks = await chain.blocksFrom(at, Math.min(PB_BATCH, end - at + 1));
      this.#o.write(blocks.map((b) => formatBlock(b, chain.genesisHash)).join(''));
      if (blocks.length === 0) break;
    }
    this.#o.write(formatChainEnd(height, tip));
  }
}
