/** One request on a fresh connection, for scripts and command lines. */
import { connect } from 'node:net';
import {
  ProtocolError,
  createReplyDecoder,
  encodeFrame,
  type ReplyPayloads,
  type RequestOpcode,
  type RequestPayloads,
} from '@chain/protocol';
import { ClientError } from './errors';
import { HttpAnswerSniffer, httpAnswerMessage } from './http-answer';

/** Settings of a one-shot request. */
export interface OneShotOptions {
  /** Deadline for connecting and answering. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Largest reply frame accepted. Default 16 MiB. */
  readonly maxFrame?: number;
}

/**
 * Connect, send one request, wait for its reply, disconnect. No retries: a
 * missing server rejects at once. `er` rejects with a ProtocolError; an HTTP
 * answer (a web server, not a peer) rejects with ClientError `not-a-peer`.
 */
export function request<K extends RequestOpcode>(
  host: string,
  port: number,
  op: K,
  payload?: RequestPayloads[K],
  options: OneShotOptions = {},
): Promise<ReplyPayloads[K]> {
  return new Promise((resolve, reject) => {
    let frame: Buffer;
    try {
      frame = encodeFrame(op, payload);
    } catch (err) {
      return reject(err as Error);
    }
    const ms = options.timeoutMs ?? 10_000;
    const decoder = createReplyDecoder({ maxFrame: options.maxFrame });
    const sniffer = new HttpAnswerSniffer();
    const socket = connect({ host, port, noDelay: true });
    let done = false;
    const finish = (error: Error | undefined, value?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve(value as ReplyPayloads[K]);
      else reject(error);
    };
    const timer = setTimeout(() => finish(new ClientError('timeout', `${op} to ${host}:${port}: no reply within ${ms} ms`)), ms);
    socket.once('connect', () => socket.write(frame));
    socket.on('error', (err) => finish(err));
    socket.on('close', () => finish(new ClientError('connection-closed', `${host}:${port} closed before the reply`)));
    socket.on('data', (chunk: Buffer) => {
      const bytes = sniffer.push(chunk);
      if (bytes === 'http') return finish(new ClientError('not-a-peer', httpAnswerMessage(`${host}:${port}`)));
      const [event] = decoder.push(bytes);
      if (event === undefined) return;
      if (event.type === 'error') finish(new ProtocolError(event.error.code, `invalid ${op} reply: ${event.error.message}`));
      else if (event.message.op === 'er') finish(new ProtocolError(event.message.payload.code, event.message.payload.message));
      else if (event.message.op !== op) finish(new ClientError('protocol-violation', `${op} answered with ${event.message.op}`));
      else finish(undefined, event.message.payload);
    });
  });
}
