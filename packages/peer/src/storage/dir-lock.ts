import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, realpath, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, type Logger } from '@chain/net';
import { encodeHolder, liveness, parseHolder, thisProcess, type LockHolder } from './lock-holder';

/**
 * One data directory, one process (docs/spec.md §7): `<dir>/peer.lock`, created with
 * O_EXCL and holding the owner's {@link LockHolder} record, exists exactly while
 * a peer runs on the directory. No other process opens a file of a locked
 * directory.
 *
 * A lock whose holder no longer runs is taken over, race-free: the right to
 * remove a stale lock file belongs to whoever creates (again with O_EXCL)
 * `peer.lock.<digest of its bytes>`; that process checks the bytes are still
 * the same, removes the file and the claim, and then competes for `peer.lock`
 * with O_EXCL like everyone else. Of any number of processes starting at once,
 * exactly one wins, and a live holder's file is never removed. A claim left by
 * a process that died while holding it is taken over the same way.
 */

export const LOCK_FILE = 'peer.lock';

/** A second process was started on a data directory that a running one holds. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  readonly code = 'EDATADIRLOCKED';
  readonly dir: string;
  readonly file: string;
  readonly holder: LockHolder;

  constructor(dir: string, file: string, holder: LockHolder, message: string) {
    super(message);
    this.dir = dir;
    this.file = file;
    this.holder = holder;
  }
}

/** Directories this process holds (by real path): a second peer in this process is refused without touching the file. */
const heldDirs = new Map<string, LockHolder>();
/** Nonces of the lock and claim files this process holds. */
const ownNonces = new Set<string>();

/** Retries while another process is midway (writing its lock file, or taking over a stale one): up to ~2 s. */
const RETRIES = 100;
const RETRY_MS = 20;
/** Claims of claims: beyond this, a stale claim is reported instead of taken over. */
const MAX_DEPTH = 3;
const CLAIM = new RegExp(`^${LOCK_FILE.replace('.', '\\.')}(\\.[0-9a-f]{16})+$`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function unlinkIfExists(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Create `file` holding `text` if it does not exist (O_EXCL); false if it does. */
async function createExclusive(file: string, text: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(text);
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlinkIfExists(file).catch(() => undefined);
    throw err;
  }
  return true;
}

type Taken = { readonly ok: true } | { readonly ok: false; readonly holder: LockHolder; readonly elsewhere: boolean };

/** Told of each stale lock (or claim) file removed, and why it was stale. */
type OnStale = (file: string, why: string) => void;

/** Create `file` holding `text`, taking over a stale one; otherwise report who holds it. */
async function take(file: string, text: string, onStale: OnStale, depth: number): Promise<Taken> {
  let unreadable = 0;
  let last: Taken | null = null;
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    if (await createExclusive(file, text)) return { ok: true };
    const bytes = await readIfExists(file);
    if (bytes === null) continue; // released meanwhile
    const holder = parseHolder(bytes);
    let why: string;
    if (holder === null) {
      // A process between creating the file and writing it, or one that died there.
      if (++unreadable < 50) {
        await pause(RETRY_MS);
        continue;
      }
      why = `${file} held no readable record (a process stopped while creating it)`;
    } else {
      const l = liveness(holder, ownNonces);
      if (l.state !== 'gone' || depth >= MAX_DEPTH) return { ok: false, holder, elsewhere: l.state === 'elsewhere' };
      why = l.why;
    }
    const claim = `${file}.${digest(bytes)}`;
    const claimed = await take(claim, text, onStale, depth + 1);
    if (!claimed.ok) {
      // Another process is taking this stale lock over: see what it leaves.
      last = claimed;
      await pause(RETRY_MS);
      continue;
    }
    try {
      const still = await readIfExists(file);
      if (still !== null && still.equals(bytes)) {
        await unlink(file);
        onStale(file, why);
      }
    } finally {
      await unlinkIfExists(claim);
    }
  }
  if (last) return last;
  throw new Error(`could not take ${file}: it kept changing`);
}

/** The exclusive lock of a data directory, held from {@link DataDirLock.acquire} until {@link DataDirLock.release}. */
export class DataDirLock {
  /** The directory as given. */
  readonly dir: string;
  /** The lock file. */
  readonly file: string;
  /** What the lock file records. */
  readonly holder: LockHolder;
  readonly #key: string;
  readonly #text: string;
  readonly #logger: Logger;
  #released: Promise<void> | null = null;

  private constructor(dir: string, file: string, holder: LockHolder, key: string, text: string, logger: Logger) {
    this.dir = dir;
    this.file = file;
    this.holder = holder;
    this.#key = key;
    this.#text = text;
    this.#logger = logger;
  }

  /**
   * Lock `dir` (created if missing) for this process, before anything in it is
   * read or written. Throws {@link DataDirLockedError}, naming the directory and
   * the holder's pid, if a running process holds it; takes over, with a
   * warning naming the dead pid, a lock its holder left behind.
   */
  static async acquire(dir: string, opts: { logger?: Logger; now?: () => number } = {}): Promise<DataDirLock> {
    const log = opts.logger ?? silentLogger;
    await mkdir(dir, { recursive: true });
    const key = await realpath(dir);
    const file = join(dir, LOCK_FILE);
    const mine = heldDirs.get(key);
    if (mine) throw locked(dir, file, mine, '(this process: another peer in it holds the directory)');
    const self = thisProcess((opts.now ?? Date.now)());
    const text = encodeHolder(self);
    heldDirs.set(key, self);
    ownNonces.add(self.nonce);
    // Logged by whoever removes a stale file, even if another process then wins the directory.
    const onStale: OnStale = (f, why) => log.warn(`taking over data directory ${dir}: removed the stale lock ${f} (${why})`);
    let taken: Taken;
    try {
      taken = await take(file, text, onStale, 0);
    } catch (err) {
      heldDirs.delete(key);
      ownNonces.delete(self.nonce);
      throw err;
    }
    if (!taken.ok) {
      heldDirs.delete(key);
      ownNonces.delete(self.nonce);
      const { holder } = taken;
      if (taken.elsewhere) {
        throw locked(
          dir,
          file,
          holder,
          `on host ${holder.host} (locked since ${holder.since}), which cannot be checked from here; if no peer runs there, remove ${file}`,
        );
      }
      throw locked(dir, file, holder, `(locked since ${holder.since}); stop that process first or use another directory`);
    }
    await removeStaleClaims(dir);
    return new DataDirLock(dir, file, self, key, text, log);
  }

  /** Remove the lock file (if it is still this process's). Idempotent. */
  release(): Promise<void> {
    this.#released ??= (async () => {
      try {
        const bytes = await readIfExists(this.file);
        if (bytes !== null && bytes.toString('utf8') === this.#text) await unlink(this.file);
        else this.#logger.warn(`lock file ${this.file} was removed or replaced while this peer held it; left as it is`);
      } finally {
        heldDirs.delete(this.#key);
        ownNonces.delete(this.holder.nonce);
      }
    })();
    return this.#released;
  }
}

function locked(dir: string, file: string, holder: LockHolder, detail: string): DataDirLockedError {
  return new DataDirLockedError(dir, file, holder, `data directory ${dir} is in use by process ${holder.pid} ${detail}`);
}

/** Claims left by processes that died while taking over a stale lock (the lock is held now: they are litter). */
async function removeStaleClaims(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!CLAIM.test(name)) continue;
    const file = join(dir, name);
    const holder = parseHolder((await readIfExists(file)) ?? Buffer.alloc(0));
    if (holder !== null && liveness(holder, ownNonces).state === 'gone') await unlinkIfExists(file);
  }
}
