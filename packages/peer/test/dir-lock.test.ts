import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@chain/net';
import { DataDirLock, DataDirLockedError, LOCK_FILE, type LockHolder } from '@chain/peer';
import { TestProcess, sourceArgs, tmpDir, until } from '@chain/testkit';

const taker = fileURLToPath(new URL('./fixtures/lock-taker.ts', import.meta.url));
const linux = existsSync('/proc/self/stat');

function spyLogger(): { warnings: string[]; logger: Logger } {
  const warnings: string[] = [];
  const warn = (first: unknown, second?: string) => warnings.push(typeof first === 'string' ? first : String(second));
  return { warnings, logger: { debug: () => {}, info: () => {}, warn, error: () => {} } };
}

/** A lock file as another process would have left it. */
function writeLock(dir: string, fields: Partial<LockHolder>): Buffer {
  const holder: LockHolder = {
    pid: 1,
    host: hostname(),
    boot: null,
    startTicks: null,
    since: '2026-01-01T00:00:00.000Z',
    nonce: '00112233aabbccdd',
    ...fields,
  };
  const bytes = Buffer.from(`${JSON.stringify(holder)}\n`);
  writeFileSync(join(dir, LOCK_FILE), bytes);
  return bytes;
}

function recorded(dir: string): LockHolder {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = new TestProcess(process.execPath, ['-e', ''], { stdin: 'ignore' });
  await child.exited;
  return child.pid;
}

/** A lock-taker process; the complete lines of its stdout are `lines`. */
class Taker extends TestProcess {
  constructor(dir: string) {
    super(process.execPath, sourceArgs(taker, [dir]));
  }

  get lines(): string[] {
    return this.stdout.split('\n').slice(0, -1);
  }

  /** The first line matching `re`; rejects if the process exits first. */
  async line(re: RegExp): Promise<string> {
    let found: string | undefined;
    await until(() => (found = this.lines.find((l) => re.test(l))) !== undefined || !this.running, `a line ${re} from the lock taker`);
    if (found === undefined) throw new Error(`lock taker exited before ${re}: ${this.lines.join(' | ')}`);
    return found;
  }

  go(): void {
    this.send('go');
  }

  /** Close stdin: a winner releases its lock; wait until the process exits. */
  async end(): Promise<void> {
    this.child.stdin!.end();
    await this.exited;
  }
}

/** Start `n` takers on `dir`, let them all go at once, and collect their outcomes; every taker still runs. */
async function race(dir: string, n: number): Promise<{ takers: Taker[]; outcomes: string[] }> {
  const takers = Array.from({ length: n }, () => new Taker(dir));
  await Promise.all(takers.map((t) => t.line(/^ready$/)));
  for (const t of takers) t.go();
  const outcomes = await Promise.all(takers.map((t) => t.line(/^(won|locked|failed)/)));
  return { takers, outcomes };
}

describe('peer: the data directory lock', function () {
  this.timeout(60_000);

  it('is a file holding this process id, created with the directory if missing, and removed on release', async () => {
    const dir = join(tmpDir(), 'new', 'data');
    const lock = await DataDirLock.acquire(dir);
    assert.equal(lock.file, join(dir, LOCK_FILE));
    const h = recorded(dir);
    assert.equal(h.pid, process.pid);
    assert.equal(h.host, hostname());
    assert.deepEqual(h, lock.holder);
    if (linux) assert.ok(Number.isSafeInteger(h.startTicks) && h.boot !== null, 'start time and boot id recorded on Linux');
    await lock.release();
    assert.equal(existsSync(lock.file), false);
    await lock.release(); // idempotent
    await (await DataDirLock.acquire(dir)).release();
  });

  it('a second take in this process fails naming the directory and this pid, and leaves the file as it was', async () => {
    const dir = tmpDir();
    const lock = await DataDirLock.acquire(dir);
    const before = readFileSync(lock.file);
    await assert.rejects(DataDirLock.acquire(dir), (err: unknown) => {
      assert.ok(err instanceof DataDirLockedError);
      assert.equal(err.dir, dir);
      assert.equal(err.holder.pid, process.pid);
      assert.ok(err.message.includes(`data directory ${dir} is in use by process ${process.pid}`), err.message);
      return true;
    });
    assert.deepEqual(readFileSync(lock.file), before);
    await lock.release();
  });

  it('a take from another process fails naming the directory and the holder pid; once released the other can take it', async () => {
    const dir = tmpDir();
    const lock = await DataDirLock.acquire(dir);
    const before = readFileSync(lock.file);
    const other = new Taker(dir);
    await other.line(/^ready$/);
    other.go();
    const outcome = await other.line(/^(won|locked|failed)/);
    assert.match(outcome, /^locked /);
    const { pid, message } = JSON.parse(outcome.slice('locked '.length)) as { pid: number; message: string };
    assert.equal(pid, process.pid);
    assert.ok(message.startsWith(`data directory ${dir} is in use by process ${process.pid} `), message);
    assert.deepEqual(readFileSync(lock.file), before, 'the holder file is untouched');
    await lock.release();
    other.go();
    assert.equal(await other.line(/^won$/), 'won');
    assert.equal(recorded(dir).pid, other.child.pid);
    await other.end();
    assert.equal(existsSync(lock.file), false, 'released when the other process let go');
  });

  it('a lock left by a process that no longer runs is taken over with a warning naming its pid', async () => {
    const dir = tmpDir();
    const dead = await deadPid();
    writeLock(dir, { pid: dead });
    const { warnings, logger } = spyLogger();
    const lock = await DataDirLock.acquire(dir, { logger });
    assert.equal(recorded(dir).pid, process.pid);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0] as string,
      new RegExp(
        `^taking over data directory ${dir}: removed the stale lock ${join(dir, LOCK_FILE)} \\(process ${dead} no longer runs\\)$`,
      ),
    );
    await lock.release();
  });

  it('a lock of a live process on this host is kept; one recorded on another host is never judged from here', async () => {
    const dir = tmpDir();
    const live = writeLock(dir, { pid: process.ppid });
    await assert.rejects(DataDirLock.acquire(dir), new RegExp(`is in use by process ${process.ppid} \\(locked since`));
    assert.deepEqual(readFileSync(join(dir, LOCK_FILE)), live);
    const far = writeLock(dir, { pid: await deadPid(), host: 'elsewhere.invalid' });
    await assert.rejects(DataDirLock.acquire(dir), (err: unknown) => {
      assert.ok(err instanceof DataDirLockedError);
      assert.match(err.message, /on host elsewhere\.invalid .* cannot be checked from here; if no peer runs there, remove .*peer\.lock$/);
      return true;
    });
    assert.deepEqual(readFileSync(join(dir, LOCK_FILE)), far);
  });

  it('a lock recording this process id but not held by this process is an earlier process given the same id', async () => {
    const dir = tmpDir();
    writeLock(dir, { pid: process.pid });
    const { warnings, logger } = spyLogger();
    const lock = await DataDirLock.acquire(dir, { logger });
    assert.match(warnings[0] as string, new RegExp(`process ${process.pid} no longer runs \\(this process was given its id\\)`));
    await lock.release();
  });

  it('PID reuse: a live pid with another start time, or a holder from before the last boot, is stale', async function () {
    if (!linux) this.skip();
    const dir = tmpDir();
    writeLock(dir, { pid: process.ppid, startTicks: 1 });
    const { warnings, logger } = spyLogger();
    const lock = await DataDirLock.acquire(dir, { logger });
    assert.match(warnings[0] as string, new RegExp(`process ${process.ppid} no longer runs \\(its id now belongs to another process\\)`));
    await lock.release();
    writeLock(dir, { pid: process.ppid, boot: 'an earlier boot' });
    const again = await DataDirLock.acquire(dir, { logger });
    assert.match(warnings[1] as string, new RegExp(`process ${process.ppid} ran before this machine restarted`));
    await again.release();
  });

  it('an unreadable lock file (a process died creating it) is taken over after waiting for it to be written', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    const { warnings, logger } = spyLogger();
    const lock = await DataDirLock.acquire(dir, { logger });
    assert.match(warnings[0] as string, /peer\.lock held no readable record/);
    assert.equal(recorded(dir).pid, process.pid);
    await lock.release();
  });

  it('a claim left by a process that died while taking a stale lock over is taken over too, and cleaned up', async () => {
    const dir = tmpDir();
    const stale = writeLock(dir, { pid: await deadPid() });
    const { createHash } = await import('node:crypto');
    const claim = join(dir, `${LOCK_FILE}.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`);
    writeFileSync(
      claim,
      JSON.stringify({ pid: await deadPid(), host: hostname(), boot: null, startTicks: null, since: 'x', nonce: 'ffff' }),
    );
    const { warnings, logger } = spyLogger();
    const lock = await DataDirLock.acquire(dir, { logger });
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.deepEqual(readdirSync(dir), [LOCK_FILE]);
    await lock.release();
  });

  it("a release leaves a lock file that is no longer this process's", async () => {
    const dir = tmpDir();
    const { warnings, logger } = spyLogger();
    const lock = await DataDirLock.acquire(dir, { logger });
    const other = writeLock(dir, { pid: process.ppid });
    await lock.release();
    assert.deepEqual(readFileSync(lock.file), other);
    assert.match(warnings[0] as string, /was removed or replaced while this peer held it/);
  });

  it('two takes at once in this process: exactly one wins', async () => {
    const dir = tmpDir();
    const results = await Promise.allSettled([DataDirLock.acquire(dir), DataDirLock.acquire(dir)]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof DataDirLockedError);
    await (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<DataDirLock>).value.release();
  });

  for (const stale of [false, true]) {
    it(`four processes take ${stale ? 'a stale lock over' : 'a free directory'} at once: exactly one wins, the others name it`, async () => {
      const dir = tmpDir();
      const dead = stale ? await deadPid() : 0;
      if (stale) writeLock(dir, { pid: dead });
      const { takers, outcomes } = await race(dir, 4);
      try {
        const winners = takers.filter((_, i) => outcomes[i] === 'won');
        assert.equal(winners.length, 1, outcomes.join('\n'));
        const winner = winners[0] as Taker;
        assert.equal(recorded(dir).pid, winner.child.pid);
        for (const [i, o] of outcomes.entries()) {
          if (o === 'won') continue;
          assert.match(o, /^locked /, o);
          assert.equal((JSON.parse(o.slice('locked '.length)) as { pid: number }).pid, winner.child.pid, `taker ${i} names the winner`);
        }
        // Whoever removed the stale file says so, winner or not: exactly one did.
        if (stale)
          assert.equal(
            takers.filter((t) => t.lines.some((l) => l.includes(`(process ${dead} no longer runs)`))).length,
            1,
            takers.map((t) => t.lines.join(' | ')).join('\n'),
          );
        assert.deepEqual(readdirSync(dir), [LOCK_FILE], 'no claim left behind');
      } finally {
        await Promise.all(takers.map((t) => t.end()));
      }
      assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    });
  }
});
