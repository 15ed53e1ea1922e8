export { createServer, Server } from './server';
export type { ConnectionInfo, ServerEvents, ServerOptions } from './server';
export type { CloseReason } from './connection';
export type { HandledOpcode, Handler, HandlerTable, RequestContext } from './handlers';
export { Client, createClient } from './client';
export type { ClientEvents, ClientOptions, ClientState, RequestOptions } from './client';
export { ClientMachine, MAX_OVERDUE } from './client-machine';
export type { ClientMachineOptions } from './client-options';
export type { ClientConnector, ClientLink, Interception, LinkAttempt, LinkEvents } from './client-link';
export { checkTimers, systemTimers } from './timers';
export type { TimerHandle, Timers } from './timers';
export { request } from './request';
export { sendFresh, serveHttp } from './http-server';
export type { HttpService } from './http-server';
export type { OneShotOptions } from './request';
export { backoffDelay, DEFAULT_BACKOFF } from './backoff';
export type { BackoffOptions } from './backoff';
export { ClientError, CLIENT_ERROR_CODES } from './errors';
export type { ClientErrorCode } from './errors';
export { formatAddress } from './address';
export type { Address } from './address';
export { logArguments, silentLogger, stderrLogger } from './logger';
export type { LogFields, Logger, LogMethod } from './logger';
export { ProtocolError } from '@chain/protocol';
export { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_PARTIAL_FRAME_TIMEOUT_MS } from './server';
export { IdleSweep, pickEvictable } from './slots';
export type { SlotHolder } from './slots';
export { checkTransport, observedTcpTransport, tcpTransport } from './transport';
export { FrameTally, checkFrameObserver, opcodeOf } from './frame-observer';
export type { FrameDirection, FrameObserver } from './frame-observer';
export type {
  Transport,
  TransportClient,
  TransportClientEvents,
  TransportClientOptions,
  TransportServer,
  TransportServerEvents,
  TransportServerOptions,
} from './transport';
