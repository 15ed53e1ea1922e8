import type { NeighbourStatus } from '@chain/peer';
import { UsageError } from '../errors';

/** A peer's address book (docs/spec.md §7): neighbours, then candidates and quarantined addresses. */
export interface AddressBookView {
  readonly neighbours: readonly NeighbourStatus[];
  readonly candidates: readonly NeighbourStatus[];
}

interface PeersReply extends AddressBookView {
  readonly peer: string;
  readonly address: string;
  readonly local: readonly { readonly name: string; readonly address: string }[];
}

/** The `--explorer` URL, checked: http or https, ending in `/`. */
export function explorerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--explorer: ${JSON.stringify(text)} is not a URL; give the explorer's address, e.g. http://127.0.0.1:8080/`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--explorer: ${JSON.stringify(text)} is not an http or https URL`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/** The same peer address, allowing loopback spellings (`localhost:6000` is `127.0.0.1:6000`). */
function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const [ha, pa] = [a.slice(0, a.lastIndexOf(':')), a.slice(a.lastIndexOf(':') + 1)];
  const [hb, pb] = [b.slice(0, b.lastIndexOf(':')), b.slice(b.lastIndexOf(':') + 1)];
  return pa === pb && LOOPBACK.test(ha) && LOOPBACK.test(hb);
}

async function getPeers(url: URL, timeoutMs: number): Promise<PeersReply> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError')
      throw new Error(`the explorer at ${url.origin} did not answer within ${timeoutMs} ms; try a larger --timeout`);
    throw new Error(`cannot reach the explorer at ${url.origin}: ${e.cause?.code ?? e.message}; is the peer running with --http?`);
  }
  const body = (await res.json().catch(() => null)) as (PeersReply & { message?: string }) | null;
  if (!res.ok || body === null || !Array.isArray(body.neighbours) || !Array.isArray(body.candidates) || !Array.isArray(body.local)) {
    throw new Error(`the explorer at ${url.origin} gave no address book (HTTP ${res.status}${body?.message ? `: ${body.message}` : ''})`);
  }
  return body;
}

/**
 * The address book of the peer at `target`, from the JSON API of an explorer serving it
 * (the book is not on the wire: the specification's opcodes do not carry it).
 */
export async function fetchAddressBook(explorer: URL, target: string, timeoutMs: number): Promise<AddressBookView> {
  const url = new URL('api/peers', explorer);
  const first = await getPeers(url, timeoutMs);
  const served = first.local.find((p) => sameAddress(p.address, target));
  if (!served) {
    const list = first.local.map((p) => `${p.name} ${p.address}`).join(', ');
    throw new Error(`the explorer at ${explorer.origin} serves ${list}, not ${target}`);
  }
  if (served.name === first.peer) return { neighbours: first.neighbours, candidates: first.candidates };
  url.searchParams.set('peer', served.name);
  const chosen = await getPeers(url, timeoutMs);
  return { neighbours: chosen.neighbours, candidates: chosen.candidates };
}
