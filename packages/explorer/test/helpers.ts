import { createTemplate, type Block, type BlockMeta, type NetworkParams, type Transaction, txId } from '@chain/core';
import { Peer, type PeerEvents } from '@chain/peer';
import { EASY_CLASSIC as CLASSIC, EASY_SIGNED as SIGNED, easyNetwork, mineTemplate } from '@chain/testkit';

/** Classic transactions, the bound proof of work at difficulty 1: a block costs a few hashes. */
export const EASY_CLASSIC: NetworkParams = easyNetwork(CLASSIC, { name: 'explorer-test', pow: 'bound' });

/** Signed transactions at difficulty 2. */
export const EASY_SIGNED: NetworkParams = easyNetwork(SIGNED, { name: 'explorer-test-signed', difficulty: 2, maxTxPerBlock: 50 });

/** Start `n` interconnected peers in this process, each joining the ones before it. */
export async function startDevnet(n: number, network: NetworkParams, opts: { mine?: boolean } = {}): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (let i = 0; i < n; i++) {
    peers.push(
      await Peer.start({
        network,
        port: 0,
        dataDir: null,
        workers: 1,
        mine: opts.mine ?? false,
        heartbeatMs: 200,
        minerGraceMs: 0,
        neighbours: peers.map((p) => `${p.address.host}:${p.address.port}`),
      }),
    );
  }
  return peers;
}

/** Resolve on the first `event` of `peer` that `test` accepts, or fail after `ms`. */
export function nextEvent<K extends keyof PeerEvents>(
  peer: Peer,
  event: K,
  test: (...args: PeerEvents[K]) => boolean = () => true,
  ms = 10_000,
): Promise<PeerEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      peer.off(event, on as never);
      reject(new Error(`no ${event} event within ${ms} ms`));
    }, ms);
    const on = (...args: PeerEvents[K]) => {
      if (!test(...args)) return;
      clearTimeout(timer);
      peer.off(event, on as never);
      resolve(args);
    };
    peer.on(event, on as never);
  });
}

/** Mine a block on `parent` holding `txs` with the reference search. */
export function mineOn(peer: Peer, parent: BlockMeta, txs: readonly Transaction[], timestamp: number): Block {
  const chain = peer.chain;
  const ids = txs.map((tx) => txId(chain.genesisHash, tx));
  const t = createTemplate(parent, txs, ids, timestamp, chain.params.txFormat);
  return mineTemplate(chain.params, t);
}

/** A JSON reply: status, headers and parsed body. */
export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return getJson(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** A reader of a server-sent event stream that waits for events by name. */
export class EventReader {
  readonly events: { event: string; data: any }[] = [];
  readonly #abort = new AbortController();
  /** Resolves when the server ends the stream (or it is closed here). */
  ended: Promise<void> = Promise.resolve();
  #buffer = '';
  #wake: (() => void) | null = null;
  status = 0;
  contentType = '';

  static async open(url: string): Promise<EventReader> {
    const r = new EventReader();
    const res = await fetch(url, { signal: r.#abort.signal });
    r.status = res.status;
    r.contentType = res.headers.get('content-type') ?? '';
    if (res.body) r.ended = r.#pump(res.body);
    return r;
  }

  async #pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        this.#buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
          const frame = this.#buffer.slice(0, end);
          this.#buffer = this.#buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data !== undefined) this.events.push({ event, data: JSON.parse(data) });
        }
        this.#wake?.();
      }
    } catch {
      // aborted
    }
  }

  /** The first event named `event` that `test` accepts (looking at those already received too). */
  async waitFor(event: string, test: (data: any) => boolean = () => true, ms = 10_000): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find((e) => e.event === event && test(e.data));
      if (found) return found.data;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${event} event within ${ms} ms; got ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.#abort.abort();
  }
}
