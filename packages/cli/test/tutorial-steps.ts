/** One step of docs/tutorial.md: a fenced block and the `<!-- run: ... -->` comment before it. */
export interface Step {
  /** Line of the block (or of the comment, for a step without one) in the tutorial. */
  readonly line: number;
  /** `sh`: commands; `text`: lines typed at a running peer's prompt; `none`: the comment alone (Ctrl-C). */
  readonly kind: 'sh' | 'text' | 'none';
  readonly lines: readonly string[];
  readonly run: Readonly<Record<string, string>>;
}

const COMMENT = /^<!-- run:(.*?)-->$/;
const PAIR = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;

/** `key=value key="quoted value"` pairs; `\"` inside quotes is a quote. */
export function parseRun(text: string): Record<string, string> {
  const run: Record<string, string> = {};
  for (const m of text.matchAll(PAIR)) run[m[1] as string] = m[2] !== undefined ? m[2].replace(/\\"/g, '"') : (m[3] as string);
  return run;
}

/**
 * The steps of a tutorial in order. Every ```sh or ```text block must follow a run comment
 * (blank lines between allowed), so that no command in it goes unexecuted.
 */
export function parseTutorial(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  let pending: { run: Record<string, string>; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const comment = COMMENT.exec(line.trim());
    if (comment) {
      if (pending) steps.push({ line: pending.line, kind: 'none', lines: [], run: pending.run });
      pending = { run: parseRun(comment[1] as string), line: i + 1 };
      continue;
    }
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !(lines[j] as string).startsWith('```'); j++) body.push(lines[j] as string);
      const kind = fence[1];
      if (kind === 'sh' || kind === 'text') {
        if (!pending) throw new Error(`tutorial line ${i + 1}: a \`\`\`${kind} block without a <!-- run: ... --> comment before it`);
        steps.push({ line: i + 1, kind, lines: body.filter((l) => l.trim() !== '' && !l.startsWith('#')), run: pending.run });
        pending = undefined;
      }
      i = j;
      continue;
    }
    if (pending && line.trim() !== '') {
      steps.push({ line: pending.line, kind: 'none', lines: [], run: pending.run });
      pending = undefined;
    }
  }
  if (pending) steps.push({ line: pending.line, kind: 'none', lines: [], run: pending.run });
  return steps;
}

/** Split a command line as a shell would for the simple words a tutorial uses: spaces, '…' and "…". */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? (m[3] as string)));
  return words;
}
