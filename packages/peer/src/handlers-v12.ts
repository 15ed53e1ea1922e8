import type { TransportServer } from '@chain/net';
import type { ProtocolVersion } from '@chain/protocol';
import { commonVersion } from './version';
import { registerAnnounceHandlers, type AnnounceHandlerContext } from './announce/handlers';
import { registerCompactHandlers, type CompactHandlerContext } from './compact/handlers';
import { registerHeaderHandlers, type HeaderHandlerContext } from './headers/handlers';

/** What the version 1.2 handlers need. */
export interface V12HandlerContext {
  /** The highest version this peer speaks. */
  readonly version: ProtocolVersion;
  /** Transaction announcements and the heartbeat's pool as ids (`hi`, `ia`, `tb`, `gt`). */
  readonly announce?: AnnounceHandlerContext;
  /** Compact blocks in (`cb`, `bt`). */
  readonly compact?: CompactHandlerContext;
  /** Headers-first sync served (`gh`, `gb`). */
  readonly headers?: HeaderHandlerContext;
}

/**
 * The handlers of the opcodes version 1.2 adds. A peer that speaks 1.1 only registers none of
 * them, so it answers them `er unknown-opcode` as any 1.1 peer does.
 */
export function registerV12Handlers(server: TransportServer, ctx: V12HandlerContext): void {
  server.handle('vs', async (req) => ({ version: commonVersion(req.version, ctx.version) }));
  if (ctx.announce) registerAnnounceHandlers(server, ctx.announce);
  if (ctx.compact) registerCompactHandlers(server, ctx.compact);
  if (ctx.headers) registerHeaderHandlers(server, ctx.headers);
}
