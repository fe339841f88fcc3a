/**
 * `npm run bench`: performance figures of the core on 100,000 generated people, written to
 * bench/results/latest.json (git-ignored) and summarised on stdout. Not a test: it asserts nothing, it measures.
 *
 * Everything goes through the real core (`dispatch` → handlers → services → SQLCipher), as the Electron window
 * would call it, with the production Argon2id cost. See docs/performance.md for what each figure means.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import { createCore } from '../main/core';
import { dispatch, type HandlerContext } from '../main/core/dispatch';
import { MemoryPreferences } from '../main/core/filePreferences';
import { getSodium } from '../main/crypto/sodium';
import { migrate } from '../main/db/migrations';
import { ASSOCIATION_SCOPE, Mutator } from '../main/db/mutations';
import { HybridLogicalClock } from '../main/sync/hlc';
import { PeopleRepository, personToRow } from '../main/db/repositories/people';
import { openSqlCipher } from '../main/db/sqlcipherClient';
import { detectShape, normalizeRecords, readTable, suggestMapping } from '../main/services/imports';
import { CHUNK_SIZE, encryptBytes } from '../main/vault/secretstream';
import type { Channel, RequestOf, ResponseOf } from '../shared/contract';
import { generatePeople, helloAssoCsv } from './generate';
import { scanPdf, searchQueries } from './inputs';
import { percentile, percentilesByKind, timeSearches } from './searchTiming';

const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 100_000);
/**
 * `BENCH_ONLY=search`: the import (to fill the association), the search figures and the core's memory only; the raw
 * inserts, the vault and the unlock timings are skipped (their figures are null).
 */
const ONLY_SEARCH = process.env['BENCH_ONLY'] === 'search';
const DOC_BYTES = 20 * 1024 * 1024;
const PASSWORD = 'correct horse battery staple 2026';
const here = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(here, 'results');

const now = () => performance.now();
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const mb = (bytes: number) => bytes / (1024 * 1024);
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

// ───────────────────────────── core access ─────────────────────────────

const core = createCore({ prefs: new MemoryPreferences() }); // no kdfCost: production calibrated Argon2id
async function call<C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>, ctx?: HandlerContext): Promise<ResponseOf<C>> {
  const env = await dispatch(core.handlers, channel, request, ctx);
  if (!env.ok) throw new Error(`${channel}: ${env.error.code}: ${env.error.message}`);
  return env.value as ResponseOf<C>;
}

// ───────────────────────────── main ─────────────────────────────

async function main(): Promise<void> {
  const started = now();
  const loadAtStart = loadavg().map((x) => round(x, 2));
  const root = mkdtempSync(join(tmpdir(), 'solidariciel-bench-'));
  const dir = join(root, 'Bench.solidariciel');
  log(`${PEOPLE} people, work folder ${root}`);
  try {
    // Data, made before any clock starts.
    const people = generatePeople(PEOPLE);
    const csv = helloAssoCsv(people);
    log(`CSV: ${round(mb(csv.byteLength))} MB`);

    // ── association with the production Argon2id cost ──
    let t = now();
    await call('association:create', { dir, name: 'Banc d’essai', adminName: 'admin', password: PASSWORD });
    const createMs = now() - t;
    const slot = core.session()?.association.keyring.slots[0];
    const kdf = slot ? { opslimit: slot.kdf.opslimit, memlimitMiB: slot.kdf.memlimit / 2 ** 20 } : null;
    log(`association created in ${round(createMs)} ms`);

    // ── import through ImportService (preview for the mapping, then run) ──
    const fileName = 'helloasso-export-2026.csv';
    const preview = await call('imports:preview', { fileName, bytes: csv });
    const stages: [string, number][] = [];
    const ctx: HandlerContext = {
      emit: (event, payload) => {
        if (event === 'imports:progress' && (payload as { done: number }).done === 500) stages.push(['first write', now()]);
      },
    };
    t = now();
    const importCpu = process.cpuUsage();
    const report = await call('imports:run', { fileName, bytes: csv, columns: preview.columns, defaultKinds: ['member'], dryRun: false }, ctx);
    const importMs = now() - t;
    const importCpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(importCpu));
    const importRowsPerSec = report.rows / (importMs / 1000);
    log(`import: ${report.rows} rows in ${round(importMs)} ms (${Math.round(importRowsPerSec)} rows/s), created ${report.imported}, updated ${report.updated}, unchanged ${report.unchanged}, errors ${report.errors.length}`);

    // ── raw batchInsert of the same rows into the same kind of database ──
    const raw = ONLY_SEARCH ? { rows: 0, ms: NaN, rowsPerSec: NaN, bulkMs: NaN, bulkRowsPerSec: NaN } : await rawInsert(root, csv, preview.columns);
    log(`raw batchInsert: ${raw.rows} rows in ${round(raw.ms)} ms (${Math.round(raw.rowsPerSec)} rows/s); Mutator insert alone (bulk load): ${round(raw.bulkMs)} ms (${Math.round(raw.bulkRowsPerSec)} rows/s)`);

    // ── search ──
    const queries = searchQueries(people);
    const timings = await timeSearches(queries, (query) => call('people:search', { query, limit: 50, offset: 0, includeArchived: false }));
    const sorted = timings.map((x) => x.ms).sort((a, b) => a - b);
    const byKind = percentilesByKind(timings);
    const searchP95Ms = percentile(sorted, 95);
    // The mix before birth dates and typos were searched (docs/performance.md §1): the figure to compare with older runs.
    const originalMix = timings.filter((x) => x.kind !== 'birth-date' && x.kind !== 'typo').map((x) => x.ms).sort((a, b) => a - b);
    const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5).map((x) => ({ ...x, ms: round(x.ms, 2) }));
    // The same mix as a reader without people.readMembership (reception): PeopleRepository.search as the service
    // builds it for them, called directly (no dispatch, zod or service around it).
    const sessionDb = core.session()?.ctx.db;
    if (!sessionDb) throw new Error('no session');
    const reception = new PeopleRepository(sessionDb, { scope: () => true, searchMemberNumbers: false });
    const withoutMembership = await timeSearches(queries, (query) => reception.search(query, 50, false));
    const withoutSorted = withoutMembership.map((x) => x.ms).sort((a, b) => a - b);
    const searchP95MsWithoutMembership = percentile(withoutSorted, 95);
    log(`search: ${timings.length} queries, p50 ${round(percentile(sorted, 50), 2)} ms, p95 ${round(searchP95Ms, 2)} ms; without people.readMembership p95 ${round(searchP95MsWithoutMembership, 2)} ms`);

    const { vault, vaultMBps, rawSecretstreamMBps } = ONLY_SEARCH ? { vault: null, vaultMBps: NaN, rawSecretstreamMBps: NaN } : await measureVault(people);
    const { unlockMs, unlocks } = ONLY_SEARCH ? { unlockMs: NaN, unlocks: [] as number[] } : await measureUnlock(dir);

    // ── the core's resident memory at rest after an unlock, in a process of its own ──
    await call('session:lock', {});
    const memory = measureCoreMemory(dir, 'admin', PASSWORD);
    log(`core memory at rest after unlock: RSS ${memory.rssMB} MB (heap ${memory.heapUsedMB} MB, external ${memory.externalMB} MB), unlock ${memory.unlockMs} ms`);

    const results = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        totalMemGiB: round(totalmem() / 2 ** 30, 1),
        freeMemGiB: round(freemem() / 2 ** 30, 1),
        platform: `${platform()} ${release()} ${arch()}`,
        node: process.version,
        loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((x) => round(x, 2)) },
      },
      people: PEOPLE,
      searchP95Ms: round(searchP95Ms, 2),
      searchP95MsWithoutMembership: round(searchP95MsWithoutMembership, 2),
      importRowsPerSec: Math.round(importRowsPerSec),
      rawInsertRowsPerSec: Math.round(raw.rowsPerSec),
      mutatorInsertRowsPerSec: Math.round(raw.bulkRowsPerSec),
      vaultMBps: round(vaultMBps),
      rawSecretstreamMBps: round(rawSecretstreamMBps),
      unlockMs: round(unlockMs),
      coreRssAtRestMB: memory.rssMB,
      targets: {
        searchP95Ms: { target: '≤ 20', met: searchP95Ms <= 20 },
        coreRssAtRestMB: { target: '≤ 250', met: memory.rssMB <= 250 },
        importRowsPerSec: { target: '≥ 20000', met: importRowsPerSec >= 20_000 },
        vaultMBps: { target: '≥ 0.5 × rawSecretstreamMBps', threshold: round(0.5 * rawSecretstreamMBps), met: vaultMBps >= 0.5 * rawSecretstreamMBps },
      },
      details: {
        search: { queries: timings.length, p95MsWithoutDatesAndTypos: round(percentile(originalMix, 95), 2), p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2), maxMs: round(sorted[sorted.length - 1] ?? NaN, 2), byKind, slowest },
        searchWithoutMembership: { p50Ms: round(percentile(withoutSorted, 50), 2), maxMs: round(withoutSorted[withoutSorted.length - 1] ?? NaN, 2), byKind: percentilesByKind(withoutMembership) },
        import: {
          rows: report.rows,
          csvBytes: csv.byteLength,
          ms: round(importMs),
          created: report.imported,
          updated: report.updated,
          unchanged: report.unchanged,
          errors: report.errors.length,
          warnings: report.warnings.length,
          msBeforeFirstWrite: stages[0] ? round(stages[0][1] - t) : null,
          processCpuMs: round(importCpuMs),
        },
        rawInsert: { rows: raw.rows, ms: round(raw.ms), chunk: 500, mutatorInsertMs: round(raw.bulkMs) },
        vault,
        unlock: { runsMs: unlocks.map((x) => round(x)), kdf, createAssociationMs: round(createMs) },
        coreMemory: memory,
        searchTotals: 'people:search counts matches up to 1000 (SEARCH_TOTAL_CAP); totalCapped=true means more.',
        totalBenchSeconds: round((now() - started) / 1000),
      },
      notes: {
        machine: 'Other processes share the machine; loadAverage shows how busy it was. Wall times under load are pessimistic; import.processCpuMs is less sensitive to it.',
        searchP95Ms: `95th percentile of the wall time of ${timings.length} 'people:search' calls (limit 50, through dispatch: zod request/response parsing, PeopleService, SQLCipher) on ${PEOPLE} people, after 20 warm-up calls; query mix in details.search.byKind.`,
        searchP95MsWithoutMembership: 'Same queries, warm-up and percentile as searchP95Ms, as a reader without people.readMembership (member numbers not searchable): PeopleRepository.search with searchMemberNumbers false, called directly (no dispatch, zod or PeopleService).',
        importRowsPerSec: 'CSV data rows / wall time of one \'imports:run\' call into an empty association: decode + papaparse, then per chunk of 500 rows normalise + match + build rows, then write them (synchronous driver, same thread; one Mutator insert write: bulk load = indexes and FTS insert trigger dropped, FTS filled per chunk, indexes rebuilt at the end; one change_log entry). Preview (mapping suggestion) not included. details.import.msBeforeFirstWrite = time to the first progress event (first 500 rows normalised and written).',
        mutatorInsertRowsPerSec: 'The same person rows (personToRow done before the clock starts) written by Mutator.insert in one transaction into a fresh database (bulk load, one change_log entry): the write path alone, a ceiling for the import on this machine at this load.',
        rawInsertRowsPerSec: 'Same people rows (personToRow, ids and timestamps computed before the clock starts) written by knex batchInsert (chunks of 500) into a fresh SQLCipher database with the same migrations (FTS5 trigger and indexes maintained row by row), no change_log: plain knex, no bulk load.',
        vaultMBps: 'Stored PDF size / median (3 additions) of the encrypt+store part of vault:addDocument, timed from its progress events: from the start of encryption (first encrypt event minus one mean chunk time) to the end of the call = secretstream encryption with progress events, SHA-256 of the ciphertext, atomic blob write with fsync of file and folder, key wrapping, documents row + change_log. Excluded: PDF assembly (pdf-lib loads and re-saves the 20 MB input) and the SHA-256 of the plaintext (details.vault.medianMs.assembleAndHash); details.vault.endToEndMBps is the whole call.',
        rawSecretstreamMBps: 'encryptBytes (libsodium secretstream, 64 KiB chunks) of the same PDF bytes in memory, median of 3 runs, each just before one of the 3 vault additions.',
        coreRssAtRestMB: "Resident memory (MiB) of a fresh Node process running the core bundled like Electron's core process (bench/coreMemory.ts), 3 s after 'session:unlock' of this association (production Argon2id cost) and the first page of the people list; heap and external memory in details.coreMemory.",
        unlockMs: "Median of 3 wall times of 'session:unlock' (Argon2id key slot with the production calibrated cost, SQLCipher open + key check + migration check, session start).",
      },
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
    printTable(results);
  } finally {
    await core.close();
    rmSync(root, { recursive: true, force: true });
  }
}


/** The vault figures: three additions of a 20 MB scan-like PDF, each beside a raw secretstream of the same bytes. */
async function measureVault(people: ReturnType<typeof generatePeople>): Promise<{ vault: Record<string, unknown>; vaultMBps: number; rawSecretstreamMBps: number }> {
  // ── vault: a 20 MB document ──
  const pdf = await scanPdf(DOC_BYTES);
  const personId = (await call('people:search', { query: people[1]?.memberNumber ?? 'ADH-000002', limit: 1, offset: 0, includeArchived: false })).items[0]?.id;
  if (!personId) throw new Error('no person to attach the document to');
  // Three additions (three documents), each beside a plain encryptBytes of the same bytes, so both see the same
  // machine load; medians are reported.
  const sodium = await getSodium();
  const key = sodium.randombytes_buf(32);
  const chunks = Math.ceil(pdf.byteLength / CHUNK_SIZE);
  const runs: { endToEndMs: number; assembleAndHashMs: number; encryptMs: number; blobWriteMs: number; rowMs: number; encryptStoreMs: number; rawMs: number; size: number; pages: number }[] = [];
  for (let run = 0; run < 3; run++) {
    const s = now();
    await encryptBytes(key, pdf);
    const rawMs = now() - s;
    const marks: Record<string, number> = {};
    const vctx: HandlerContext = {
      emit: (event, payload) => {
        if (event !== 'vault:progress') return;
        const p = payload as { stage: string; done: number; total: number };
        const at = now();
        if (p.stage === 'encrypt' && marks['encryptFirst'] === undefined) marks['encryptFirst'] = at;
        if (p.stage === 'encrypt' && p.done === p.total) marks['encrypted'] = at;
        if (p.stage === 'store' && p.done === 0) marks['storeStart'] = at;
        if (p.stage === 'store' && p.done === 1) marks['stored'] = at;
      },
    };
    const vStart = now();
    const added = await call('vault:addDocument', { personId, meta: { type: 'carte_identite', title: `Scan 20 Mo n° ${run + 1}` }, files: [{ name: 'scan.pdf', bytes: pdf }] }, vctx);
    const vEnd = now();
    const size = (await call('vault:listDocuments', { personId })).items.find((d) => d.id === added.id)?.size ?? pdf.byteLength;
    const first = marks['encryptFirst'] ?? vStart;
    const encrypted = marks['encrypted'] ?? first;
    // The first progress event comes after chunk 0; its start is estimated from the mean time of the other chunks.
    const encryptStart = first - (chunks > 1 ? (encrypted - first) / (chunks - 1) : 0);
    runs.push({
      endToEndMs: vEnd - vStart,
      assembleAndHashMs: encryptStart - vStart,
      encryptMs: encrypted - encryptStart,
      blobWriteMs: (marks['stored'] ?? vEnd) - (marks['storeStart'] ?? vEnd),
      rowMs: vEnd - (marks['stored'] ?? vEnd),
      encryptStoreMs: vEnd - encryptStart,
      rawMs,
      size,
      pages: added.pages,
    });
  }
  const med = (f: (r: (typeof runs)[number]) => number) => [...runs.map(f)].sort((a, b) => a - b)[1] as number;
  const storedBytes = runs[0]?.size ?? pdf.byteLength;
  const encryptStoreMs = med((r) => r.encryptStoreMs);
  const rawEncMs = med((r) => r.rawMs);
  const vaultMBps = mb(storedBytes) / (encryptStoreMs / 1000);
  const rawSecretstreamMBps = mb(pdf.byteLength) / (rawEncMs / 1000);
  const vault = {
    documentBytes: storedBytes,
    inputBytes: pdf.byteLength,
    pages: runs[0]?.pages ?? 0,
    medianMs: {
      endToEnd: round(med((r) => r.endToEndMs)),
      assembleAndHash: round(med((r) => r.assembleAndHashMs)),
      encrypt: round(med((r) => r.encryptMs)),
      blobWrite: round(med((r) => r.blobWriteMs)),
      row: round(med((r) => r.rowMs)),
      encryptStore: round(encryptStoreMs),
      rawEncrypt: round(rawEncMs),
    },
    runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))),
    endToEndMBps: round(mb(storedBytes) / (med((r) => r.endToEndMs) / 1000)),
  };
  log(`vault: ${round(mb(storedBytes))} MB, encrypt+store ${round(encryptStoreMs)} ms (${round(vaultMBps)} MB/s), raw secretstream ${round(rawEncMs)} ms (${round(rawSecretstreamMBps)} MB/s)`);
  return { vault, vaultMBps, rawSecretstreamMBps };
}

/** Median of three `session:unlock` calls (ms), and each run. */
async function measureUnlock(dir: string): Promise<{ unlockMs: number; unlocks: number[] }> {
  // ── unlock with the production cost (database now holds 100k people and a document) ──
  const unlocks: number[] = [];
  for (let i = 0; i < 3; i++) {
    await call('session:lock', {});
    const s = now();
    await call('session:unlock', { dir, userName: 'admin', password: PASSWORD });
    unlocks.push(now() - s);
  }
  const unlockMs = [...unlocks].sort((a, b) => a - b)[1] as number;
  log(`unlock: ${unlocks.map((x) => round(x)).join(', ')} ms`);
  return { unlockMs, unlocks };
}

/**
 * Runs bench/coreMemory.ts bundled like the core (scripts/build-main.mjs options) in a fresh Node process: the core's
 * resident memory at rest after an unlock of `dir` (docs/performance.md "Core memory").
 */
function measureCoreMemory(dir: string, userName: string, password: string): { rssMB: number; heapUsedMB: number; externalMB: number; arrayBuffersMB: number; unlockMs: number } {
  // The core's bundle and, beside it as in dist/main, the Argon2id worker's (main/crypto/kdf.ts loads it from there).
  const outfile = join(RESULTS, 'core-memory.cjs');
  const worker = join(RESULTS, 'kdf-worker.cjs');
  const build = spawnSync(process.execPath, ['--input-type=module', '-e', `
    const { build } = await import('esbuild');
    const { COMMON_OPTIONS } = await import(${JSON.stringify(pathToFileURL(join(here, '..', 'scripts', 'build-main.mjs')).href)});
    await build({ ...COMMON_OPTIONS, entryPoints: [${JSON.stringify(join(here, 'coreMemory.ts'))}], outfile: ${JSON.stringify(outfile)}, sourcemap: false });
    await build({ ...COMMON_OPTIONS, entryPoints: [${JSON.stringify(join(here, '..', 'main', 'crypto', 'kdfWorker.ts'))}], outfile: ${JSON.stringify(worker)}, sourcemap: false });
  `], { encoding: 'utf8', cwd: join(here, '..') });
  if (build.status !== 0) throw new Error(`core-memory bundle: ${build.stderr}`);
  try {
    const run = spawnSync(process.execPath, [outfile, dir, userName, password], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`core-memory: ${run.stderr}`);
    return JSON.parse(run.stdout.trim()) as ReturnType<typeof measureCoreMemory>;
  } finally {
    rmSync(outfile, { force: true });
    rmSync(worker, { force: true });
  }
}

/**
 * Builds the same rows the import writes and times, each into a fresh database with the same migrations:
 * a plain knex batchInsert (chunks of 500, FTS trigger and indexes maintained row by row, no change_log), and the
 * Mutator's write path alone (one insert write in a transaction: bulk load, one change_log entry) — the ceiling of
 * the import once the CSV is read and normalised.
 */
async function rawInsert(root: string, csv: Uint8Array, columns: RequestOf<'imports:run'>['columns']): Promise<{ rows: number; ms: number; rowsPerSec: number; bulkMs: number; bulkRowsPerSec: number }> {
  const table = readTable('raw.csv', csv);
  const { records } = normalizeRecords(table, columns ?? suggestMapping(table.headers, detectShape(table.headers)), { today: new Date().toISOString().slice(0, 10) });
  const stamp = new Date().toISOString();
  const personRows = records.map((r) => personToRow(r.person));
  const rows = personRows.map((r) => ({ scope_id: ASSOCIATION_SCOPE, ...r, id: uuidv7(), created_at: stamp, updated_at: stamp, deleted_at: null }));
  const sodium = await getSodium();
  const open = async (name: string) => {
    const db = openSqlCipher(join(root, name), Buffer.from(sodium.randombytes_buf(32)).toString('hex'));
    await migrate(db);
    return db;
  };
  const db = await open('raw.db');
  let ms: number;
  try {
    const s = now();
    await db.batchInsert('people', rows, 500);
    ms = now() - s;
  } finally {
    await db.destroy();
  }
  const bulkDb = await open('raw-bulk.db');
  let bulkMs: number;
  try {
    const mutator = new Mutator(bulkDb, new HybridLogicalClock('bench'), { now: () => new Date() });
    const s = now();
    await bulkDb.transaction((trx) => mutator.with(trx).insert('people', personRows));
    bulkMs = now() - s;
  } finally {
    await bulkDb.destroy();
  }
  return { rows: rows.length, ms, rowsPerSec: rows.length / (ms / 1000), bulkMs, bulkRowsPerSec: personRows.length / (bulkMs / 1000) };
}

function printTable(r: {
  searchP95Ms: number;
  searchP95MsWithoutMembership: number;
  importRowsPerSec: number;
  rawInsertRowsPerSec: number;
  mutatorInsertRowsPerSec: number;
  vaultMBps: number;
  rawSecretstreamMBps: number;
  unlockMs: number;
  coreRssAtRestMB: number;
  targets: Record<string, { target: string; met: boolean }>;
  machine: { cpus: number; node: string; cpuModel: string };
}): void {
  const rows: [string, string, string, string][] = [
    ['searchP95Ms', String(r.searchP95Ms), r.targets['searchP95Ms']?.target ?? '', r.targets['searchP95Ms']?.met ? 'yes' : 'NO'],
    ['searchP95MsWithoutMembership', String(r.searchP95MsWithoutMembership), '(≤ 20)', r.searchP95MsWithoutMembership <= 20 ? 'yes' : 'NO'],
    ['importRowsPerSec', String(r.importRowsPerSec), r.targets['importRowsPerSec']?.target ?? '', r.targets['importRowsPerSec']?.met ? 'yes' : 'NO'],
    ['rawInsertRowsPerSec', String(r.rawInsertRowsPerSec), '', ''],
    ['mutatorInsertRowsPerSec', String(r.mutatorInsertRowsPerSec), '', ''],
    ['vaultMBps', String(r.vaultMBps), r.targets['vaultMBps']?.target ?? '', r.targets['vaultMBps']?.met ? 'yes' : 'NO'],
    ['rawSecretstreamMBps', String(r.rawSecretstreamMBps), '', ''],
    ['unlockMs', String(r.unlockMs), '', ''],
    ['coreRssAtRestMB', String(r.coreRssAtRestMB), r.targets['coreRssAtRestMB']?.target ?? '', r.targets['coreRssAtRestMB']?.met ? 'yes' : 'NO'],
  ];
  const w = [28, 10, 28, 4];
  const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i] ?? 10)).join(' │ ');
  console.log(`\nSolidariciel bench — ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}`);
  console.log(line(['figure', 'value', 'target', 'met']));
  console.log(w.map((n) => '─'.repeat(n)).join('─┼─'));
  for (const row of rows) console.log(line(row));
  console.log(`\nwritten to ${resolve(RESULTS, 'latest.json')}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
