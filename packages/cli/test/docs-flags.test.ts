import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli';

/** The pages that tell a user which flags to type. */
const PAGES = ['packages/cli/README.md', 'README.md', 'docs/metrics.md', 'docs/tutorial.md', 'docs/guide-new-chain.md'];
/** Flags of other programs that these pages mention (publint, node). */
const OTHER_PROGRAMS = new Set(['--strict', '--conditions', '--import']);

const root = fileURLToPath(new URL('../../../', import.meta.url));
const FLAG = /(?<![\w-])--[a-z][a-z0-9-]*/g;

function longFlags(command: Command): Set<string> {
  const flags = new Set(command.options.map((o) => o.long).filter((l): l is string => l !== undefined));
  flags.add('--help');
  return flags;
}

/** Every command of the program by the words that run it: '' for the program itself, 'devnet', 'sim merge', … */
function commandsByName(program: Command): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>([['', longFlags(program)]]);
  const walk = (command: Command, prefix: string) => {
    for (const sub of command.commands) {
      const name = `${prefix}${sub.name()}`;
      byName.set(name, longFlags(sub));
      walk(sub, `${name} `);
    }
  };
  walk(program, '');
  return byName;
}

/** The command lines in a page's sh blocks: the command's name and the flags typed on them. */
function commandLines(text: string, names: ReadonlySet<string>): { line: string; name: string; flags: string[] }[] {
  const lines: { line: string; name: string; flags: string[] }[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let last: { line: string; name: string; flags: string[] } | undefined;
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/\s#.*$/, '').replace(/^printf .*\| /, '');
      const m = /^(?:npx )?chain-peer((?: [a-z]+)*)/.exec(line);
      if (m) {
        const words = m[1]!.trim().split(' ');
        // The longest run of words that names a command: `sim merge`, `devnet`, or the program.
        let name = '';
        for (let n = words.length; n > 0; n--)
          if (names.has(words.slice(0, n).join(' '))) {
            name = words.slice(0, n).join(' ');
            break;
          }
        last = { line, name, flags: line.match(FLAG) ?? [] };
        lines.push(last);
      } else if (last && /^\s+\[/.test(line))
        last.flags.push(...(line.match(FLAG) ?? [])); // a synopsis continued
      else last = undefined;
    }
  }
  return lines;
}

describe('the docs name only flags chain-peer has', () => {
  const byName = commandsByName(buildProgram());
  const all = new Set([...byName.values()].flatMap((s) => [...s]));

  for (const page of PAGES) {
    it(`${page}: every command line's flags are its command's, every other flag exists`, () => {
      const text = readFileSync(`${root}${page}`, 'utf8');
      const lines = commandLines(text, new Set(byName.keys()));
      if (/```sh\n(?:npx )?chain-peer/.test(text)) assert.ok(lines.length > 0, `${page}: its command lines are found`);
      for (const { line, name, flags } of lines) {
        const known = byName.get(name)!;
        const unknown = flags.filter((f) => !known.has(f));
        assert.deepEqual(unknown, [], `${page}: \`${line.trim()}\` (${name || 'the peer'}) has no ${unknown.join(', ')}`);
      }
      const unknown = [...new Set(text.match(FLAG) ?? [])].filter((f) => !all.has(f) && !OTHER_PROGRAMS.has(f));
      assert.deepEqual(unknown, [], `${page} mentions flags no command has`);
    });
  }

  it('finds the flags of a command line, and says which is not its command', () => {
    const names = new Set(byName.keys());
    const [devnet, merge] = commandLines(
      '```sh\nnpx chain-peer devnet --peers 5 --metrics   # --nothing\nchain-peer sim merge a.jsonl --plot x.png\n```\n',
      names,
    );
    assert.deepEqual([devnet!.name, devnet!.flags], ['devnet', ['--peers', '--metrics']]);
    assert.deepEqual([merge!.name, merge!.flags], ['sim merge', ['--plot']]);
    assert.ok(!byName.get('send')!.has('--peers'), 'send has no --peers: a line that gave it would fail');
  });
});
