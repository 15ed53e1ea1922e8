import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM and CommonJS for Node 20 with type
 * declarations and source maps. A package's tsup.config.ts names its entry
 * points and whatever else it needs beyond this.
 */
export function packageBuild(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...options,
  });
}
