#!/usr/bin/env node
/**
 * Bundles the Electron side with esbuild (CommonJS, node24: the Node that Electron 41 embeds):
 *   main/index.ts          → dist/main/index.cjs    (main process)
 *   main/preload/index.ts  → dist/main/preload.cjs  (sandboxed preload: CommonJS is required, ESM preloads cannot be sandboxed)
 *   main/corehost/entry.ts → dist/main/core.cjs     (utilityProcess running the core services)
 *   main/vault/assembleWorker.ts → dist/main/vault-worker.cjs (worker thread assembling a paper: main/vault/assemble.ts
 *                            loads it from beside the bundle that runs it)
 *   main/crypto/kdfWorker.ts → dist/main/kdf-worker.cjs (worker thread deriving an Argon2id key with libsodium where
 *                            the runtime has no crypto.argon2: main/crypto/kdf.ts)
 * Externals: electron; the native modules (scripts/native-modules.mjs, unpacked from the asar); knex's optional
 * dialect drivers, which knex requires lazily and the app never uses.
 * `import.meta.url` (main/crypto/sodium.ts uses createRequire(import.meta.url)) is defined as the bundle's own file URL.
 * Usage: node scripts/build-main.mjs [--watch] [--outdir <dir>]   (default dist/main; exit code 1 on a build error)
 */
import { build, context } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { NATIVE_MODULES } from './native-modules.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultOutdir = path.join(root, 'dist', 'main');

/**
 * knex's dialect drivers, required lazily by knex/lib/dialects/<dialect> only for the client in use; the app's
 * client is SQLite through the native module, so these stay unresolved in the package (scripts/package-check.mjs
 * accepts exactly these).
 */
export const KNEX_OPTIONAL_DRIVERS = [
  'pg',
  'pg-native',
  'pg-query-stream',
  'mysql',
  'mysql2',
  'mariadb',
  'oracledb',
  'tedious',
  'better-sqlite3',
  'sqlite3',
];

/**
 * sharp (libvips: scanned pages' thumbnails and rotation, docs/scanning.md) loads its platform package
 * (`@img/sharp-<platform>-<arch>`, a `.node` addon and libvips) at run time: it cannot be bundled.
 */
export const RUNTIME_PACKAGES = ['sharp'];

export const EXTERNALS = ['electron', ...NATIVE_MODULES, ...RUNTIME_PACKAGES, ...KNEX_OPTIONAL_DRIVERS];

/** In a CommonJS bundle `import.meta` is empty: give it the bundle's own URL. */
const importMetaUrl = {
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

export const COMMON_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: EXTERNALS,
  absWorkingDir: root,
  ...importMetaUrl,
};

/** The five bundles, written to `outdir`. */
export function entries(outdir = defaultOutdir) {
  return [
    { entryPoints: ['main/index.ts'], outfile: path.join(outdir, 'index.cjs') },
    // The preload runs sandboxed: only `electron` may stay external; everything else is bundled in. No Node
    // built-ins exist there, hence platform browser and no import.meta/require shim.
    { entryPoints: ['main/preload/index.ts'], outfile: path.join(outdir, 'preload.cjs'), external: ['electron'], platform: 'browser', define: {}, banner: {} },
    { entryPoints: ['main/corehost/entry.ts'], outfile: path.join(outdir, 'core.cjs') },
    { entryPoints: ['main/vault/assembleWorker.ts'], outfile: path.join(outdir, 'vault-worker.cjs') },
    { entryPoints: ['main/crypto/kdfWorker.ts'], outfile: path.join(outdir, 'kdf-worker.cjs') },
  ];
}
export const ENTRIES = entries();

/** Builds (or watches) the bundles into `outdir`. Rejects on a build error. */
export async function buildMain({ outdir = defaultOutdir, watch = false } = {}) {
  for (const entry of entries(outdir)) {
    const options = { ...COMMON_OPTIONS, ...entry };
    if (watch) await (await context(options)).watch();
    else await build(options);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const watch = args.includes('--watch');
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 && args[at + 1] ? path.resolve(args[at + 1]) : defaultOutdir;
  const started = Date.now();
  await buildMain({ outdir, watch });
  if (!watch) console.log(`build-main: ${path.relative(root, outdir) || '.'}/{index,preload,core,vault-worker,kdf-worker}.cjs built in ${Date.now() - started} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`build-main: ${error.message}`);
    process.exit(1);
  });
}
