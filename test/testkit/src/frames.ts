/**
 * A frame built by hand (docs/spec.md §5): a 4-byte big-endian length (the opcode's two bytes
 * and the body), the opcode, then the body as UTF-8 text or raw bytes. Nothing is
 * checked, so that tests can send frames a codec would refuse to write.
 */
export function rawFrame(op: string, body: string | Uint8Array = ''): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const head = Buffer.alloc(6);
  head.writeUInt32BE(2 + payload.length, 0);
  head.write(op, 4, 'latin1');
  return Buffer.concat([head, payload]);
}
