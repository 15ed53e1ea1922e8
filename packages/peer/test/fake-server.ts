import type { TransportServer } from '@chain/net';

type Handler = (req: unknown, rc: unknown) => Promise<unknown>;

/** A server that only records its handlers and the connections it was told to close. */
export function fakeServer() {
  const handlers = new Map<string, Handler>();
  const disconnected: number[] = [];
  const listeners = new Map<string, ((info: unknown) => void)[]>();
  const server = {
    on: (event: string, f: (info: unknown) => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), f]);
      return server;
    },
    handle: (op: string, h: Handler) => handlers.set(op, h),
    disconnect: (id: number) => void disconnected.push(id),
  };
  /** Call the handler of `op` as connection `id` from `host`. */
  const call = <T>(op: string, req: unknown, id = 1, host = '127.0.0.1'): Promise<T> =>
    (handlers.get(op) as Handler)(req, {
      connectionId: id,
      remote: { host, port: 50_000 + id },
      signal: new AbortController().signal,
    }) as Promise<T>;
  const emit = (event: string, info: unknown) => listeners.get(event)?.forEach((f) => f(info));
  return { server: server as unknown as TransportServer, handlers, disconnected, call, emit };
}
