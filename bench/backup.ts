/**
 * `npm run bench` (second part, `tsx bench/backup.ts`): backups of N people and M MiB of papers — the first backup,
 * an incremental one after one more paper, and the restore with its drill (docs/backup.md). Also the longest stall
 * of the core's event loop during the first backup (the desk must stay responsive). Results in
 * bench/results/backup.json (git-ignored) and on stdout. Measures, asserts nothing.
 *
 * BENCH_BACKUP_PEOPLE (default 100,000) and BENCH_BACKUP_MB (default 200; the issue asks 1024) set the size; papers
 * are generated scan-like PDFs of 20 MiB added through `vault:addDocument`.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../main/core';
import { dispatch } from '../main/core/dispatch';
import { MemoryPreferences } from '../main/core/filePreferences';
import { restoreBackup } from '../main/services/backup/restore';
import type { Channel, RequestOf, ResponseOf } from '../shared/contract';
import { generatePeople, helloAssoCsv } from './generate';
import { scanPdf } from './inputs';

const PEOPLE = Number(process.env['BENCH_BACKUP_PEOPLE'] ?? 100_000);
const MIB = Number(process.env['BENCH_BACKUP_MB'] ?? 200);
const PAPER_BYTES = 20 * 1024 * 1024;
const PASSWORD = 'correct horse battery staple 2026';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');
const log = (s: string) => process.stderr.write(`[bench:backup] ${s}\n`);
const secs = (ms: number) => Math.round(ms / 10) / 100;

const core = createCore({ prefs: new MemoryPreferences() });
async function call<C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const env = await dispatch(core.handlers, channel, request);
  if (!env.ok) throw new Error(`${channel}: ${env.error.code}: ${env.error.message}`);
  return env.value as ResponseOf<C>;
}

/** Runs `work` while sampling the event loop every 10 ms; returns its duration and the longest stall seen. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; maxStallMs: number }> {
  let last = performance.now();
  let maxStallMs = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    maxStallMs = Math.max(maxStallMs, t - last - 10);
    last = t;
  }, 10);
  const start = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - start, maxStallMs };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'solidariciel-bench-backup-'));
  const dir = join(root, 'Bench.solidariciel');
  const dest = join(root, 'Clé USB');
  try {
    await call('association:create', { dir, name: 'Banc d’essai', adminName: 'admin', password: PASSWORD });
    const csv = helloAssoCsv(generatePeople(PEOPLE));
    const preview = await call('imports:preview', { fileName: 'export.csv', bytes: csv });
    const imported = await call('imports:run', { fileName: 'export.csv', bytes: csv, columns: preview.columns, defaultKinds: ['member'], dryRun: false });
    log(`${imported.rows} people imported`);
    const personId = (await call('people:search', { query: '', limit: 1 })).items[0]!.id;
    const pdf = await scanPdf(PAPER_BYTES);
    const papers = Math.max(1, Math.round((MIB * 1024 * 1024) / pdf.byteLength));
    for (let i = 0; i < papers; i++) await call('vault:addDocument', { personId, meta: { type: 'autre', title: `Scan ${i + 1}` }, files: [{ name: 'scan.pdf', bytes: pdf }] });
    log(`${papers} papers of ${Math.round(pdf.byteLength / 2 ** 20)} MiB added`);

    const first = await timed(() => call('backup:now', { to: dest }));
    log(`first backup: ${secs(first.ms)} s, ${Math.round(first.value.bytes / 2 ** 20)} MiB, ${first.value.blobsCopied} blobs copied, longest event-loop stall ${Math.round(first.maxStallMs)} ms`);
    await call('vault:addDocument', { personId, meta: { type: 'autre', title: 'Un de plus' }, files: [{ name: 'scan.pdf', bytes: pdf }] });
    const incremental = await timed(() => call('backup:now', { to: dest }));
    log(`incremental backup: ${secs(incremental.ms)} s, ${incremental.value.blobsCopied} blob copied`);
    const restore = await timed(() => restoreBackup(incremental.value.path, join(root, 'Restaurée'), { userName: 'admin', password: PASSWORD }));
    log(`restore + drill: ${secs(restore.ms)} s, ok ${restore.value.ok}, ${restore.value.papers} papers checked`);

    const results = {
      date: new Date().toISOString(),
      loadavg: loadavg(),
      people: imported.rows,
      papers: papers + 1,
      paperMiB: Math.round(pdf.byteLength / 2 ** 20),
      backupMiB: Math.round(incremental.value.bytes / 2 ** 20),
      firstBackupS: secs(first.ms),
      firstBackupMaxStallMs: Math.round(first.maxStallMs),
      incrementalBackupS: secs(incremental.ms),
      restoreS: secs(restore.ms),
      restoreOk: restore.value.ok,
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'backup.json'), JSON.stringify(results, null, 2) + '\n');
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await core.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
