// A tiny program for the testkit's own tests: echoes lines, exits with code 3 on "exit".
import { createInterface } from 'node:readline';

process.stdout.write('ready\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'exit') process.exit(3);
  process.stdout.write(`echo ${line}\n`);
});
