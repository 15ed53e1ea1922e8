/** What a connection needs from its server, and why it ended. */
import type { PayloadLimits } from '@chain/protocol';
import type { FrameObserver } from './frame-observer';
import type { HandlerTable } from './handlers';
import type { Logger } from './logger';

/** Why a connection ended. */
export type CloseReason =
  | 'peer-closed'
  | 'cc'
  | 'bad-frame'
  | 'frame-too-large'
  | 'partial-frame-timeout'
  | 'write-buffer-overflow'
  | 'shutdown'
  | 'idle'
  | 'evicted'
  | 'socket-error';

/** Settings a connection needs from its server. */
export interface ConnectionSettings {
  readonly maxFrame: number;
  readonly limits: PayloadLimits;
  readonly partialFrameTimeoutMs: number;
  readonly maxWriteBuffer: number;
  readonly maxInFlight: number;
  readonly closeGraceMs: number;
  readonly validateReplies: boolean;
  readonly logger: Logger;
  readonly handlers: HandlerTable;
  /** Monotonic clock in ms (idle times). */
  readonly now: () => number;
  /** Hears of every whole frame read and written. */
  readonly frames?: FrameObserver;
}
