import { DataDirLockedError } from '@chain/peer';

/**
 * Exit codes: 0 success, 1 runtime failure, 2 bad usage (flags, arguments, config, network or key
 * files), 3 the data directory is in use by another running peer (nothing was started or changed),
 * 4 the peer does not know the transaction asked about (`tx`).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, dataDirInUse: 3, notKnown: 4 } as const;

/**
 * A problem with how the program was called: a bad flag or argument, or a
 * config, network or key file that cannot be read or is invalid. Exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The exit code for an error thrown by a command. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return EXIT.usage;
  return err instanceof DataDirLockedError ? EXIT.dataDirInUse : EXIT.failure;
}

/** One line: the message without a trailing period or newline. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
