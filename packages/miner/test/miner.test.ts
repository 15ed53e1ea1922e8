import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Miner, checkProof, findProof, searchProof, type HashrateReport, type SubmitReply, type Work, type WorkSource } from '@chain/miner';

const T1 = 'b3df4de65b810ed24ff1c09a7c81278b433002afb1cb56f55d3646b27c1cbbf7';
const T2 = '0ed99b975c7eeecca808898e6e0a377ff8bd00b169c2bd7ddce97e2ef27bf6dd';

function work(templateHash: string | null, difficulty = 3): Work {
  return {
    index: 2,
    previousProof: 100,
    previousHash: 'ab'.repeat(32),
    templateHash,
    difficulty,
    pow: 'bound',
    pending: templateHash ? 1 : 0,
  };
}

/** Attempts the smallest proofs of these templates take, searched one after the other from 0. */
function mineable(templates: readonly string[]): number {
  return templates.reduce((sum, templateHash) => {
    const w = work(templateHash);
    return sum + searchProof({ rule: 'bound', templateHash, previousProof: w.previousProof, difficulty: w.difficulty })!.attempts;
  }, 0);
}

/** A scripted peer: long polls resolve when the test publishes new work. */
class FakeSource implements WorkSource {
  current: Work = work(null);
  submitted: { proof: number; templateHash: string }[] = [];
  reply: (p: { proof: number; templateHash: string }) => SubmitReply = (p) => ({
    status: 'Reward',
    block: { index: 2, currentHash: p.templateHash },
  });
  fail = 0;
  #waiters: ((w: Work) => void)[] = [];
  publish(w: Work): void {
    this.current = w;
    for (const resolve of this.#waiters.splice(0)) resolve(w);
  }
  async getWork(known: string | null, waitMs: number): Promise<Work> {
    if (this.fail > 0) {
      this.fail--;
      throw new Error('peer unreachable');
    }
    if (waitMs <= 0 || this.current.templateHash !== known) return this.current;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  async submit(proof: number, templateHash: string): Promise<SubmitReply> {
    this.submitted.push({ proof, templateHash });
    return this.reply({ proof, templateHash });
  }
}

/** Starts `miner`, runs the test's body, and stops the miner whatever the body did. */
async function whileMining(miner: Miner, body: () => Promise<void>): Promise<void> {
  miner.start();
  try {
    await body();
  } finally {
    await miner.stop();
  }
}

describe('Miner', function () {
  this.timeout(20_000);

  it("mines a retargeting network's work to its target, not to its difficulty", async () => {
    const source = new FakeSource();
    const miner = new Miner({ source, workers: 1 });
    // A target between 3 and 4 zero digits: the smallest proof under it is rarely the difficulty's.
    const target = '0000' + '7'.repeat(60);
    const job = { rule: 'bound' as const, templateHash: T1, previousProof: 100, difficulty: 3, target };
    await whileMining(miner, async () => {
      await once(miner, 'work');
      source.publish({ ...work(T1), target });
      await once(miner, 'block');
      assert.equal(source.submitted[0]?.proof, findProof(job));
      assert.notEqual(source.submitted[0]?.proof, findProof({ ...job, target: undefined }));
    });
  });

  it('mines the work it is given, submits a valid proof, and follows new work at once', async () => {
    const source = new FakeSource();
    const miner = new Miner({ source, workers: 1 });
    await whileMining(miner, async () => {
      const [idle] = await once(miner, 'work');
      assert.equal(idle.templateHash, null);
      source.publish(work(T1));
      const [block] = await once(miner, 'block');
      assert.equal(block.currentHash, T1);
      const first = source.submitted[0]!;
      assert.ok(checkProof({ rule: 'bound', templateHash: T1, previousProof: 100, difficulty: 3 }, first.proof));
      source.publish(work(T2));
      await once(miner, 'block');
      assert.deepEqual(
        source.submitted.map((s) => s.templateHash),
        [T1, T2],
      );
      assert.equal(miner.blocks, 2);
    });
  });

  it('abandons stale work the moment the template changes', async () => {
    const source = new FakeSource();
    const miner = new Miner({ source, workers: 1 });
    await whileMining(miner, async () => {
      await once(miner, 'work');
      source.publish(work(T1, 16)); // practically impossible: it would run for ever
      await once(miner, 'work');
      source.publish(work(T2, 2));
      await once(miner, 'block');
      assert.deepEqual(
        source.submitted.map((s) => s.templateHash),
        [T2],
      );
    });
  });

  it('measures its hash rate over searches that each end before a periodic report', async () => {
    const source = new FakeSource();
    const miner = new Miner({ source, workers: 1 });
    // Each found block brings a new template at once: short searches back to back, as on a devnet.
    const templates = Array.from({ length: 30 }, (_, i) => createHash('sha256').update(`template ${i}`).digest('hex'));
    let mined = 0;
    const done = new Promise<void>((resolve) =>
      miner.on('block', () => {
        if (++mined === templates.length) resolve();
        else source.publish(work(templates[mined]!));
      }),
    );
    const reports: HashrateReport[] = [];
    miner.on('hashrate', (r) => reports.push(r));
    await whileMining(miner, async () => {
      await once(miner, 'work');
      assert.equal(miner.hashrate, 0, 'nothing searched yet');
      source.publish(work(templates[0]!));
      await done;
      const attempts = mineable(templates);
      assert.equal(reports.length, 0, 'every search ended before a report');
      // Over at most the 5 s window (1 s at least): no less than the attempts the proofs took.
      assert.ok(miner.hashrate >= attempts / 5, `hash rate ${miner.hashrate} after ${attempts} attempts`);
    });
  });

  it('reports a refused proof and retries after errors from the source', async () => {
    const source = new FakeSource();
    source.fail = 2;
    source.reply = () => ({ status: 'No reward', reason: 'stale' });
    const miner = new Miner({ source, workers: 1 });
    const errors: Error[] = [];
    miner.on('error', (e) => errors.push(e));
    // events.once would reject on the 'error' events this test provokes.
    const firstWork = new Promise((resolve) => miner.once('work', resolve));
    await whileMining(miner, async () => {
      await firstWork;
      assert.equal(errors.length, 2);
      const rejectedEvent = new Promise((resolve) => miner.once('rejected', resolve));
      source.publish(work(T1));
      const rejected = await rejectedEvent;
      assert.deepEqual(rejected, { reason: 'stale', templateHash: T1 });
      assert.equal(miner.blocks, 0);
    });
  });
});
