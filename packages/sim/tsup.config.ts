import { packageBuild } from '../../tsup.base';

export default packageBuild({
  // worker.ts is a second entry so that dist/ holds worker.js / worker.cjs beside index.js / index.cjs,
  // where the pool of `--jobs` looks for it (relative to import.meta.url, shimmed in the CommonJS build).
  entry: ['src/index.ts', 'src/worker.ts'],
  dts: { entry: 'src/index.ts' },
  shims: true,
});
