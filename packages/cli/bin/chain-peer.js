#!/usr/bin/env node
// The CLI is built into dist/ (the repository's `prepare` script builds every package on install).
import('../dist/cli.js').then(
  async ({ main }) => {
    process.exitCode = await main(process.argv);
  },
  (err) => {
    if (err && (err.code === 'ERR_MODULE_NOT_FOUND' || err instanceof SyntaxError)) {
      const why = String(err.message).split('\n')[0];
      console.error(
        `chain-peer: the program or a package it uses is not built or out of date (${why}); run \`npm run build\` in the repository root.`,
      );
      process.exit(70);
    }
    throw err;
  },
);
