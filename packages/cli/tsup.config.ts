import { packageBuild } from '../../tsup.base';

// The browser that draws PNG charts is an optional dependency, loaded only when one is asked for.
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts'], external: ['playwright-core', '@sparticuz/chromium'] });
