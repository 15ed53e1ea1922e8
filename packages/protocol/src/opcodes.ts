/**
 * The two-letter opcodes of the wire protocol (SPEC §5), as a table.
 *
 * Each entry says whether the opcode may start a request and what its
 * request payload looks like on the wire.
 */
export const OPCODES = {
  tx: { request: true, payload: 'required', summary: 'submit a transaction' },
  pb: { request: true, payload: 'optional', summary: 'print (fetch) blocks of the best chain' },
  cc: { request: true, payload: 'none', summary: 'close this connection' },
  gp: { request: true, payload: 'optional', summary: 'get the proof-of-work template' },
  up: { request: true, payload: 'required', summary: 'update (submit) a proof' },
  hb: { request: true, payload: 'required', summary: 'heartbeat and incremental sync' },
  nb: { request: true, payload: 'required', summary: 'announce a new block' },
  er: { request: false, payload: 'required', summary: 'error reply, never a request' },
} as const;

/** Any opcode of SPEC §5. */
export type Opcode = keyof typeof OPCODES;

/** Opcodes a client may send as a request (every opcode but `er`). */
export type RequestOpcode = {
  [K in Opcode]: (typeof OPCODES)[K]['request'] extends true ? K : never;
}[Opcode];

/** All opcodes, in table order. */
export const OPCODE_LIST = Object.keys(OPCODES) as readonly Opcode[];

/** Request opcodes, in table order. */
export const REQUEST_OPCODES = OPCODE_LIST.filter((op): op is RequestOpcode => OPCODES[op].request) as readonly RequestOpcode[];

/** True when `op` is one of the SPEC's opcodes. */
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
