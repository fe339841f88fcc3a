/**
 * The core's resident memory at rest after an unlock (docs/performance.md "Core memory"): bundled like the core
 * process (esbuild, the options of scripts/build-main.mjs) and run in a fresh Node process by `npm run bench`, so
 * that nothing of the bench itself (generated people, the CSV) is counted. It unlocks the association, shows the
 * first page of the people list as the window does, waits `BENCH_REST_MS` (3 s) and writes one JSON line:
 * `{ rssMB, heapUsedMB, externalMB, arrayBuffersMB, unlockMs }` (MB = MiB).
 * Usage (through measureCoreMemory): node core-memory.cjs <association folder> <user> <password>
 */
import { createCore } from '../main/core';
import { dispatch } from '../main/core/dispatch';
import { MemoryPreferences } from '../main/core/filePreferences';

const REST_MS = Number(process.env['BENCH_REST_MS'] ?? 3000);
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function main(): Promise<void> {
  const [dir, userName, password] = process.argv.slice(2);
  if (!dir || !userName || !password) throw new Error('usage: core-memory.cjs <folder> <user> <password>');
  const core = createCore({ prefs: new MemoryPreferences() });
  const started = performance.now();
  const unlocked = await dispatch(core.handlers, 'session:unlock', { dir, userName, password });
  if (!unlocked.ok) throw new Error(`session:unlock: ${unlocked.error.message}`);
  const unlockMs = performance.now() - started;
  const list = await dispatch(core.handlers, 'people:search', { query: '', limit: 50, offset: 0, includeArchived: false });
  if (!list.ok) throw new Error(`people:search: ${list.error.message}`);
  await new Promise((resolve) => setTimeout(resolve, REST_MS));
  const m = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external), arrayBuffersMB: mb(m.arrayBuffers), unlockMs: Math.round(unlockMs) })}\n`);
  await core.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
