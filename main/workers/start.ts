/**
 * Starting a worker thread whose code is a TypeScript module of main/: from its bundle beside the running bundle
 * (dist/main/<bundle>.cjs, scripts/build-main.mjs) when the caller runs from a bundle (Electron), or from the
 * TypeScript source through tsx when it runs from source (CLI, browser host, tests, benches).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker. `here`: the caller's `import.meta.url`; `bundle`: the bundled file's name beside it
 * (`vault-worker.cjs`); `source`: the TypeScript entry relative to the caller (`./assembleWorker.ts`).
 * `options` are passed to `new Worker` (resource limits, stdout, workerData…).
 */
export function startWorker(here: string, bundle: string, source: string, options: WorkerOptions = {}): Worker {
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${bundle}`, here), options);
  const entry = new URL(source, here).href;
  const boot = `import(${JSON.stringify(tsxEsmApi(here))}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * The URL of tsx's ESM API (`register()` adds its TypeScript hooks to the thread that calls it), read from tsx's
 * package.json "exports" (its CommonJS build cannot register from a worker). Development only: tsx is a dev dependency.
 */
function tsxEsmApi(from: string): string {
  const packageJson = createRequire(from).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(packageJson), manifest.exports['./esm/api']!.import.default)).href;
}
