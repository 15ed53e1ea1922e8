/**
 * @chain/testkit: the machinery every suite and benchmark of this repository
 * shares. Private: it runs only inside this workspace, from source.
 */
export { until, within, nextEvent } from './wait';
export { ManualClock } from './clock';
export { freePort } from './ports';
export { tmpDir, writeNetworkFile } from './files';
export { EASY_CLASSIC, EASY_SIGNED, easyNetwork } from './networks';
export { specVectors, retargetVectors, VECTORS_FILE, RETARGET_VECTORS_FILE } from './vectors';
export { blockOn, mineAt, mineTemplate, mineToTarget, proofFor, templateOn, type WorkDescription } from './mining';
export { rawFrame } from './frames';
export { GatedStore } from './stores';
export { TestProcess, killAll, runToEnd, sourceArgs, TSX_LOADER, type Stream, type WaitOptions } from './process';
export { PEER_FIXTURE } from './fixtures';
export { parseExposition, sampleValue, type MetricFamily, type Sample } from './exposition';
