import { packageBuild } from '../../tsup.base';

// `pow` is `@chain/core/pow`: proof of work alone, for the miner.
export default packageBuild({ entry: { index: 'src/index.ts', node: 'src/node.ts', pow: 'src/consensus/pow.ts' } });
