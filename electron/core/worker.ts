import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Defined by scripts/build-electron.mjs: worker entries are bundled beside main.cjs as `<name>.cjs`. */
declare const WHATZME_BUNDLED: boolean | undefined;

let bundleDir: string | null = null;

/**
 * Benchmarks measure what ships: worker entries as scripts/build-electron.mjs bundles them for the app, from `dir`
 * (inside the repository, so their packages resolve from node_modules). Null goes back to running from source.
 */
export function runWorkersFrom(dir: string | null): void {
  bundleDir = dir;
}

/**
 * Starts one of our modules in a worker thread. In the Electron bundle it is `<name>.cjs` beside main.cjs; from
 * source (tsx in web mode and benchmarks, vitest in tests) it is the `.ts` module, which tsx compiles inside the
 * worker as it does in the main thread.
 */
export function startWorker(name: string, source: () => URL, options: WorkerOptions): Worker {
  if (typeof WHATZME_BUNDLED !== 'undefined' && WHATZME_BUNDLED) return new Worker(path.join(__dirname, `${name}.cjs`), options);
  // Without the parent's `--import tsx`: the bundle needs no compiler, and the app ships without one.
  if (bundleDir) return new Worker(path.join(bundleDir, `${name}.cjs`), { execArgv: [], ...options });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source().href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
