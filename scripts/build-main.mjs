#!/usr/bin/env node
/**
 * Bundles the Electron side with esbuild (CommonJS, node20):
 *   main/index.ts          → dist/main/index.cjs    (main process)
 *   main/preload/index.ts  → dist/main/preload.cjs  (sandboxed preload: CommonJS is required, ESM preloads cannot be sandboxed)
 *   main/corehost/entry.ts → dist/main/core.cjs     (utilityProcess running the core services)
 * Externals: electron; the SQLCipher native module (unpacked from the asar, see electron-builder.yml); knex's optional
 * dialect drivers, which knex requires lazily and the app never uses.
 * `import.meta.url` (main/crypto/sodium.ts uses createRequire(import.meta.url)) is defined as the bundle's own file URL.
 * Usage: node scripts/build-main.mjs [--watch]   (exit code 1 on a build error)
 */
import { build, context } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'main');

export const EXTERNALS = [
  'electron',
  '@journeyapps/sqlcipher',
  // knex's optional dialect drivers (required lazily by knex/lib/dialects/*)
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

/** In a CommonJS bundle `import.meta` is empty: give it the bundle's own URL. */
const importMetaUrl = {
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

export const COMMON_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  external: EXTERNALS,
  absWorkingDir: root,
  ...importMetaUrl,
};

export const ENTRIES = [
  { entryPoints: ['main/index.ts'], outfile: path.join(outdir, 'index.cjs') },
  // The preload runs sandboxed: only `electron` may stay external; everything else is bundled in.
  { entryPoints: ['main/preload/index.ts'], outfile: path.join(outdir, 'preload.cjs'), external: ['electron'], platform: 'browser' },
  { entryPoints: ['main/corehost/entry.ts'], outfile: path.join(outdir, 'core.cjs') },
];

async function main() {
  const watch = process.argv.includes('--watch');
  const started = Date.now();
  for (const entry of ENTRIES) {
    const options = { ...COMMON_OPTIONS, ...entry };
    if (entry.platform === 'browser') {
      // Sandboxed preload: no Node built-ins available, so no import.meta/require shim either.
      delete options.define;
      delete options.banner;
    }
    if (watch) {
      const ctx = await context(options);
      await ctx.watch();
    } else {
      await build(options);
    }
  }
  if (!watch) console.log(`build-main: dist/main/{index,preload,core}.cjs built in ${Date.now() - started} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`build-main: ${error.message}`);
    process.exit(1);
  });
}
