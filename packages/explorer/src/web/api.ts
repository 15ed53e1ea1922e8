import type {
  BlockDetail,
  BlocksView,
  ErrorBody,
  ForksView,
  PeersView,
  PoolView,
  StatsView,
  StatusView,
  StreamEvents,
  SubmitReply,
  TxView,
} from '../types';

export type * from '../types';

/** An error reply of the API, with its message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

/** The API of one peer of the explorer (`?peer=`). */
export class Api {
  constructor(readonly peer: string | null) {}

  #url(path: string, params: Record<string, string | number> = {}): string {
    const q = new URLSearchParams();
    if (this.peer) q.set('peer', this.peer);
    for (const [k, v] of Object.entries(params)) q.set(k, String(v));
    const query = q.toString();
    return `/api/${path}${query ? `?${query}` : ''}`;
  }

  async #get<T>(path: string, params?: Record<string, string | number>): Promise<T> {
    const res = await fetch(this.#url(path, params), { headers: { accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiFailure(res.status, body as ErrorBody | null);
    return body as T;
  }

  status = () => this.#get<StatusView>('status');
  blocks = (limit: number) => this.#get<BlocksView>('blocks', { limit });
  block = (ref: string | number) => this.#get<BlockDetail>(`blocks/${encodeURIComponent(String(ref))}`);
  transaction = (id: string) => this.#get<TxView>(`transactions/${encodeURIComponent(id)}`);
  pool = () => this.#get<PoolView>('pool', { limit: 50 });
  peers = () => this.#get<PeersView>('peers');
  forks = () => this.#get<ForksView>('forks');
  stats = () => this.#get<StatsView>('stats');

  /** Submit a transaction; a rejection is a reply, not an exception. */
  async submit(tx: unknown): Promise<SubmitReply> {
    const res = await fetch(this.#url('transactions'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(tx),
    });
    const body = await res.json().catch(() => null);
    if (body && (body.status === 'Accepted' || body.status === 'Rejected')) return body as SubmitReply;
    throw new ApiFailure(res.status, body as ErrorBody | null);
  }

  /** The live event stream; `on` gets every event by name. */
  events(on: <K extends keyof StreamEvents>(event: K, data: StreamEvents[K]) => void, state: (live: boolean) => void): EventSource {
    const source = new EventSource(this.#url('events'));
    for (const name of ['status', 'block', 'tx', 'reorg', 'peer'] as const) {
      source.addEventListener(name, (e) => on(name, JSON.parse((e as MessageEvent<string>).data)));
    }
    source.onopen = () => state(true);
    source.onerror = () => state(false);
    return source;
  }
}
