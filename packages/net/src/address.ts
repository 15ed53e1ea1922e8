import type { AddressInfo, Socket } from 'node:net';

/** A TCP endpoint. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** The bound address of a listening server. */
export function boundAddress(info: AddressInfo | string | null): Address {
  if (info === null || typeof info === 'string') throw new Error('server is not listening on TCP');
  return { host: info.address, port: info.port };
}

/** The remote end of a socket. */
export function remoteOf(socket: Socket): Address {
  return { host: socket.remoteAddress ?? 'unknown', port: socket.remotePort ?? 0 };
}

/** `host:port`, with brackets around IPv6 hosts. */
export function formatAddress(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
