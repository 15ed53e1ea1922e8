import { defineConfig } from 'tsup';

export default defineConfig({
  // `pow` is `@chain/core/pow`: proof of work alone, for the miner.
  entry: { index: 'src/index.ts', node: 'src/node.ts', pow: 'src/consensus/pow.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
