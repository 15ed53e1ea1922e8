import { crc32 as zlibCrc32 } from 'node:zlib';

/** CRC-32 (IEEE 802.3, as zlib) of `bytes[start, end)`: the record checksum of the storage files. Node's own (zlib.crc32). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return zlibCrc32(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}
