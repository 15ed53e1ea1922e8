import { packageBuild } from '../../tsup.base';

// The browser that draws PNG charts is installed by whoever wants one, loaded only when one is asked for;
// import.meta.url is shimmed in the CommonJS build, where sim-png resolves that browser from.
export default packageBuild({ entry: ['src/index.ts', 'src/cli.ts'], external: ['playwright-core', '@sparticuz/chromium'], shims: true });
