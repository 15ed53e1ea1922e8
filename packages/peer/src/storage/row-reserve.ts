/**
 * How many rows of metas to make room for while a log is read at open: the rows read so far
 * extrapolated to the file's size, plus 1/32, so that a log of uniform records is reserved
 * once, at about its size, instead of by doublings (each a copy, and a rehash of the hash
 * index). An estimate from the first records may be far off when they are much smaller than
 * the later ones (the index is sized for the estimate, and all of it is touched), so one
 * reservation is at most 16 times the rows read; and when the rows outgrow an estimate, the
 * next is at least 1/4 more, so a log that keeps surprising is reserved a few times only.
 *
 * @param rows rows read so far, the one that needs room included (at least 1)
 * @param bytesRead bytes of the log read so far (through that row's record)
 * @param fileSize bytes in the log
 * @param reserved rows there is room for now
 */
export function rowsToReserve(rows: number, bytesRead: number, fileSize: number, reserved: number): number {
  if (!(rows >= 1 && bytesRead >= 1 && fileSize >= bytesRead && reserved >= 0)) {
    throw new RangeError(`rowsToReserve: impossible reading state (${rows} rows, ${bytesRead} of ${fileSize} bytes, ${reserved} reserved)`);
  }
  const estimate = Math.ceil((rows * fileSize) / bytesRead);
  const wanted = Math.min(estimate + Math.ceil(estimate / 32), 16 * rows);
  return Math.max(wanted, Math.ceil(reserved * 1.25), rows, 1024);
}
