// docs/tutorial.md, run as a student would: every ```sh block as real processes (the CLI from
// source, curl), every ```text block typed at a running peer's prompt, on free ports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TestProcess, tmpDir } from '@chain/testkit';
import { parseTutorial, shellWords, type Step } from './tutorial-steps';

const TUTORIAL = fileURLToPath(new URL('../../../docs/tutorial.md', import.meta.url));
const ENTRY = fileURLToPath(new URL('../src/run.ts', import.meta.url));

/** Ports the tutorial names (6000–6199): the test moves them all by one offset, to ports that are free. */
const PORT = /(?<![\d.])6[01]\d\d(?!\d)/g;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** An offset that moves every port of the tutorial to one that is free now. */
async function freeOffset(ports: readonly number[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const offset = 10_000 + Math.floor(Math.random() * 40_000);
    if ((await Promise.all(ports.map((p) => portFree(p + offset)))).every(Boolean)) return offset;
  }
  throw new Error('no free ports for the tutorial');
}

class Tutorial {
  readonly vars = new Map<string, string>();
  readonly background = new Map<string, TestProcess>();
  readonly cwd = tmpDir();
  readonly env = { ...process.env, CHAIN_PEER_HOME: tmpDir() };

  constructor(readonly offset: number) {}

  /** The text with its ports moved and `<name>` placeholders filled (named groups `(?<name>` are left alone). */
  fill(text: string, where: Step): string {
    return text
      .replace(PORT, (p) => String(Number(p) + this.offset))
      .replace(/(?<!\?)<(\w+)>/g, (whole, name: string) => {
        const value = this.vars.get(name);
        assert.ok(value !== undefined, `tutorial line ${where.line}: ${whole} is used before a step printed it`);
        return value;
      });
  }

  /** The process of one command line: `npx chain-peer …` runs the CLI from source; `curl` itself. */
  spawn(line: string): TestProcess {
    const words = shellWords(line);
    const options = { cwd: this.cwd, env: this.env };
    if (words[0] === 'npx' && words[1] === 'chain-peer') {
      const args = words.slice(2);
      // The devnet's default ports (6000–6002, the explorer on 6080) are moved like the others.
      if (args[0] === 'devnet' && !args.includes('--base-port')) args.push('--base-port', String(6000 + this.offset));
      return TestProcess.source(ENTRY, args, options);
    }
    if (words[0] === 'curl') return new TestProcess('curl', words.slice(1), { ...options, stdin: 'ignore' });
    throw new Error(`the tutorial runs a command this test cannot: ${line}`);
  }

  expect(step: Step, output: string): boolean {
    if (step.run.expect === undefined) return true;
    const m = new RegExp(this.fill(step.run.expect, step)).exec(output);
    if (!m) return false;
    for (const [name, value] of Object.entries(m.groups ?? {})) this.vars.set(name, value);
    return true;
  }

  async run(step: Step): Promise<void> {
    const where = `tutorial line ${step.line}`;
    const { background, until, expect, at, stop } = step.run;
    if (background !== undefined) {
      assert.equal(step.lines.length, 1, `${where}: one command for a background step`);
      const p = this.spawn(this.fill(step.lines[0] as string, step));
      this.background.set(background, p);
      if (until !== undefined) await p.waitFor(new RegExp(this.fill(until, step)), { ms: 90_000 });
    } else if (at !== undefined) {
      const p = this.background.get(at);
      assert.ok(p, `${where}: no running ${at}`);
      const from = p.mark();
      for (const line of step.lines) p.send(this.fill(line, step));
      if (expect !== undefined) await p.waitFor(new RegExp(this.fill(expect, step)), { from, ms: 30_000 });
      if (step.lines.includes('cc')) assert.equal((await p.exited).code, 0, `${where}: ${at} stops cleanly`);
    } else if (stop !== undefined) {
      const p = this.background.get(stop);
      assert.ok(p, `${where}: no running ${stop}`);
      const { code } = await p.kill('SIGINT');
      assert.equal(code, Number(step.run.exit ?? 0), `${where}: ${stop} after Ctrl-C\n${p.stderr.slice(-2000)}`);
    } else await this.#foreground(step);
  }

  async #foreground(step: Step): Promise<void> {
    const deadline = Date.now() + Number(step.run.retry ?? 0) * 1000;
    for (;;) {
      let output = '';
      let failed = '';
      for (const line of step.lines) {
        const p = this.spawn(this.fill(line, step));
        const { code } = await p.exited;
        output += p.stdout + p.stderr;
        if (code !== Number(step.run.exit ?? 0)) failed = `${line}: exit ${code}`;
      }
      if (!failed && this.expect(step, output)) return;
      // A step that says retry waits for the network (a heartbeat, a block), asking again until then.
      if (Date.now() > deadline) {
        assert.fail(`tutorial line ${step.line}: ${failed || `expected /${step.run.expect}/`}; the output was:\n${output}`);
      }
    }
  }
}

describe('docs/tutorial.md, every command run', function () {
  this.timeout(600_000);
  const steps = parseTutorial(readFileSync(TUTORIAL, 'utf8'));

  it('has commands, each with what it should print', () => {
    const commands = steps.filter((s) => s.kind === 'sh');
    assert.ok(commands.length >= 10, `${commands.length} commands`);
    for (const s of commands) assert.ok(s.run.expect ?? s.run.until, `tutorial line ${s.line}: no expect= or until=`);
  });

  it('runs from the devnet to a healed partition and a selfish miner, as the text says', async () => {
    const named = [...readFileSync(TUTORIAL, 'utf8').matchAll(PORT)].map((m) => Number(m[0]));
    const tutorial = new Tutorial(await freeOffset([...new Set([...named, 6000, 6001, 6002, 6080])]));
    for (const step of steps) await tutorial.run(step);
    for (const [name, p] of tutorial.background) assert.equal(p.running, false, `${name} was stopped by the tutorial`);
  });
});
