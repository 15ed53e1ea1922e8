import { ProtocolError, PROTOCOL_VERSIONS, type ProtocolVersion } from '@chain/protocol';
import type { TransportClient } from '@chain/net';

/** The highest protocol version this peer speaks. */
export const OWN_VERSION: ProtocolVersion = '1.2';

/** The version both sides speak: the lower of `a` and `b`, as far as this peer knows them. */
export function commonVersion(a: string, b: ProtocolVersion): ProtocolVersion {
  const known = (PROTOCOL_VERSIONS as readonly string[]).indexOf(a);
  if (known < 0) return compare(a, b) > 0 ? b : '1.1';
  return PROTOCOL_VERSIONS[Math.min(known, PROTOCOL_VERSIONS.indexOf(b))] as ProtocolVersion;
}

function compare(a: string, b: string): number {
  const [x = 0, y = 0] = a.split('.').map(Number);
  const [u = 0, v = 0] = b.split('.').map(Number);
  return x - u || y - v;
}

/**
 * Agree on a version on a connection just opened: this peer's own when the server answers `vs`
 * (the lower of the two), 1.1 when the server does not know `vs` (`er unknown-opcode`: a 1.1
 * peer, which keeps the connection), and null when the connection failed meanwhile.
 */
export async function negotiate(client: TransportClient, ours: ProtocolVersion): Promise<ProtocolVersion | null> {
  if (ours === '1.1') return '1.1';
  try {
    const reply = await client.request('vs', { version: ours });
    return commonVersion(reply.version, ours);
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'unknown-opcode') return '1.1';
    return null;
  }
}
