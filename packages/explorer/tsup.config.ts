import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { packageBuild } from '../../tsup.base';
import { STATIC_FILES, bundleWebScript } from './src/web-bundle';

export default packageBuild({
  // import.meta.url in the CommonJS build too: the server finds dist/web/ next to itself.
  shims: true,
  // Only used when running from source; the build ships the page already bundled.
  external: ['esbuild'],
  // The page: src/web/app.ts bundled for the browser (the same function a server running from source uses), with its HTML and CSS.
  async onSuccess() {
    await mkdir('dist/web', { recursive: true });
    await writeFile('dist/web/app.js', await bundleWebScript('src/web'));
    for (const name of STATIC_FILES) await copyFile(`src/web/${name}`, `dist/web/${name}`);
  },
});
