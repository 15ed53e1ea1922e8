/**
 * The two-letter opcodes of the wire protocol (docs/spec.md §5), as a table.
 *
 * Each entry says whether the opcode may start a request and what its
 * request payload looks like on the wire.
 */
export const OPCODES = {
  tx: { request: true, payload: 'required', since: '1.1', summary: 'submit a transaction' },
  pb: { request: true, payload: 'optional', since: '1.1', summary: 'print (fetch) blocks of the best chain' },
  cc: { request: true, payload: 'none', since: '1.1', summary: 'close this connection' },
  gp: { request: true, payload: 'optional', since: '1.1', summary: 'get the proof-of-work template' },
  up: { request: true, payload: 'required', since: '1.1', summary: 'update (submit) a proof' },
  hb: { request: true, payload: 'required', since: '1.1', summary: 'heartbeat and incremental sync' },
  nb: { request: true, payload: 'required', since: '1.1', summary: 'announce a new block' },
  er: { request: false, payload: 'required', since: '1.1', summary: 'error reply, never a request' },
  vs: { request: true, payload: 'required', since: '1.2', summary: 'agree on a protocol version' },
  hi: { request: true, payload: 'required', since: '1.2', summary: 'heartbeat: the tip and the pool as ids' },
  ia: { request: true, payload: 'required', since: '1.2', summary: 'announce transaction ids' },
  tb: { request: true, payload: 'required', since: '1.2', summary: 'send transaction bodies' },
  gt: { request: true, payload: 'required', since: '1.2', summary: 'get transaction bodies by id' },
  cb: { request: true, payload: 'required', since: '1.2', summary: 'announce a compact block' },
  bt: { request: true, payload: 'required', since: '1.2', summary: 'the missing transactions of a compact block' },
  gh: { request: true, payload: 'required', since: '1.2', summary: 'get headers after a locator' },
  gb: { request: true, payload: 'required', since: '1.2', summary: 'get blocks by hash' },
} as const;

/** Protocol versions, oldest first. */
export const PROTOCOL_VERSIONS = ['1.1', '1.2'] as const;

/** A protocol version. */
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

/** The opcodes of a version and every version before it. */
export function opcodesOf(version: ProtocolVersion): readonly Opcode[] {
  const upTo = PROTOCOL_VERSIONS.indexOf(version);
  return OPCODE_LIST.filter((op) => PROTOCOL_VERSIONS.indexOf(OPCODES[op].since) <= upTo);
}

/** Any opcode of any version (docs/spec.md §5 for 1.1). */
export type Opcode = keyof typeof OPCODES;

/** Opcodes a client may send as a request (every opcode but `er`). */
export type RequestOpcode = {
  [K in Opcode]: (typeof OPCODES)[K]['request'] extends true ? K : never;
}[Opcode];

/** All opcodes, in table order. */
export const OPCODE_LIST = Object.keys(OPCODES) as readonly Opcode[];

/** Request opcodes, in table order. */
export const REQUEST_OPCODES = OPCODE_LIST.filter((op): op is RequestOpcode => OPCODES[op].request) as readonly RequestOpcode[];

/** True when `op` is one of the specification's opcodes. */
export function isOpcode(op: unknown): op is Opcode {
  return typeof op === 'string' && Object.prototype.hasOwnProperty.call(OPCODES, op);
}

/** True when `op` is an opcode that may start a request. */
export function isRequestOpcode(op: unknown): op is RequestOpcode {
  return isOpcode(op) && OPCODES[op].request;
}

/**
 * True when `op` is well-formed on the wire: exactly two ASCII lowercase
 * letters. A well-formed but unknown opcode is `unknown-opcode`; anything
 * else is `bad-frame`.
 */
export function isWellFormedOpcode(op: string): boolean {
  return /^[a-z]{2}$/.test(op);
}
