#!/usr/bin/env node
// The CLI is built into dist/ (the repository's `prepare` script builds it on install).
import('../dist/cli.js').then(
  async ({ main }) => {
    process.exitCode = await main(process.argv);
  },
  (err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
      console.error('chain-peer: the CLI is not built; run `npm run build` in the repository root.');
      process.exit(70);
    }
    throw err;
  },
);
