/**
 * Starting a worker thread whose script lives beside this module with the same extension:
 * worker.js in the ESM build, worker.cjs in the CommonJS one, worker.ts from the TypeScript
 * sources, which starts through a bootstrap that registers tsx in the new thread first (a loader
 * of the parent's does not apply to a worker's entry module).
 */
import { Worker } from 'node:worker_threads';

export function workerUrl(name: string): URL {
  const here = import.meta.url;
  const ext = /\.(?:[cm]?js|[cm]?ts)$/.exec(new URL(here).pathname)?.[0] ?? '.js';
  return new URL(`./${name}${ext}`, here);
}

function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}

export function startWorker(url: URL): Worker {
  if (!/\.[cm]?ts$/.test(url.pathname)) return new Worker(url);
  const bootstrap = `import(${JSON.stringify(tsxApi())}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}
