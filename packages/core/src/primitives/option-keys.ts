/**
 * Refuse keys of an options object that are not options, naming each and the option it was
 * probably meant to be: a misspelt option (`neighbors`) must fail, not be ignored.
 */
export function checkOptionKeys(options: object, known: readonly string[], what: string): void {
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const named = unknown.map((k) => {
    const near = closest(k, known);
    return near ? `"${k}" (did you mean "${near}"?)` : `"${k}"`;
  });
  throw new TypeError(`unknown ${what} option${unknown.length > 1 ? 's' : ''} ${named.join(', ')}; the options are: ${known.join(', ')}`);
}

/** The name within two edits of `word` (case aside), if any. */
function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of names) {
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] as number;
}
