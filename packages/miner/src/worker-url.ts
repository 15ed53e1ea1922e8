/**
 * Starting the worker thread. The worker script lives beside this module with the same
 * extension: worker.js in the ESM build, worker.cjs in the CommonJS build, worker.ts when
 * running from the TypeScript sources. A .ts worker is started through a small bootstrap that
 * registers tsx in the new thread first (a loader given in the parent's execArgv does not
 * apply to a worker's entry module).
 */
import { Worker } from 'node:worker_threads';

export function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  const ext = /\.(?:[cm]?js|[cm]?ts)$/.exec(new URL(here).pathname)?.[0] ?? '.js';
  return new URL(`./worker${ext}`, here);
}

function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}

export function startWorker(url: URL, workerData: unknown): Worker {
  if (!/\.[cm]?ts$/.test(url.pathname)) return new Worker(url, { workerData });
  const bootstrap =
    `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); ` + `return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
