/**
 * `npm run bench` (third part, `tsx bench/scan.ts`): seconds from « Numériser » to a stored paper for 10 grey pages at
 * 300 dpi from the test eSCL server's feeder (tests/helpers/esclServer.ts), through the core's channels as the window
 * calls them (`scan:openSession`, `scan:start`, the `scan:job` event, `scan:commit`); and what that time is made of:
 * - network: the eSCL exchange alone (status, ScanJobs, 11 NextDocument over loopback), the driver without the session;
 * - decode: reading each page and making its thumbnail (sharp), the session without the network;
 * - assemble, encrypt, store: the vault's stages while committing (its `vault:progress` events).
 * The test server renders its pages once before timing (a real scanner's own scanning time is not ours to measure).
 * Results in bench/results/scan.json (git-ignored) and on stdout; the median of BENCH_SCAN_RUNS runs (default 3).
 * Measures, asserts nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../main/core';
import { dispatch, type HandlerContext } from '../main/core/dispatch';
import { MemoryPreferences } from '../main/core/filePreferences';
import { EsclDriver } from '../main/scan/escl/driver';
import { ScanSessions } from '../main/scan/session';
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../shared/contract';
import { startEsclServer } from '../tests/helpers/esclServer';

const RUNS = Number(process.env['BENCH_SCAN_RUNS'] ?? 3);
const PAGES = 10;
const DPI = 300;
const PASSWORD = 'correct horse battery staple 2026';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');
const log = (s: string) => process.stderr.write(`[bench:scan] ${s}\n`);
const secs = (ms: number) => Math.round(ms / 10) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const prefs = new MemoryPreferences();
const driver = new EsclDriver({ prefs, discover: async () => [] });
type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
let listener: Listener = () => undefined;
const core = createCore({ prefs, scanDrivers: [driver], onEvent: (e, p) => listener(e, p) });
async function call<C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>, ctx?: HandlerContext): Promise<ResponseOf<C>> {
  const env = await dispatch(core.handlers, channel, request, ctx);
  if (!env.ok) throw new Error(`${channel}: ${env.error.code}: ${env.error.message}`);
  return env.value as ResponseOf<C>;
}

/** One « Numériser » → stored paper, with the commit's stage times. */
async function scanToVault(scannerId: string, personId: string): Promise<{ totalMs: number; scanMs: number; commitMs: number; stages: Record<string, number>; bytes: number }> {
  const { sessionId } = await call('scan:openSession', {});
  const pageIds: string[] = [];
  const start = performance.now();
  const done = new Promise<void>((resolve, reject) => {
    listener = (event, payload) => {
      if (event === 'scan:page') pageIds.push((payload as EventPayload<'scan:page'>).page.pageId);
      if (event === 'scan:job') {
        const j = payload as EventPayload<'scan:job'>;
        if (j.state === 'done') resolve();
        else if (j.state !== 'scanning') reject(new Error(`job ${j.state}: ${j.message}`));
      }
    };
  });
  await call('scan:start', { sessionId, scannerId, source: 'feeder', dpi: DPI, mode: 'gray' });
  await done;
  const scanned = performance.now();
  const marks: { stage: string; t: number }[] = [];
  const ctx: HandlerContext = { emit: (event, payload) => void (event === 'vault:progress' && marks.push({ stage: String((payload as { stage?: string }).stage), t: performance.now() })) };
  const stored = await call('scan:commit', { sessionId, personId, meta: { type: 'autre' }, pages: pageIds.map((pageId) => ({ pageId, rotation: 0 as const })) }, ctx);
  const end = performance.now();
  if (stored.pages !== PAGES) throw new Error(`${stored.pages} pages stored, ${PAGES} expected`);
  // Each stage lasts from its first event to the next stage's first event (the first from the commit's start).
  const firsts = marks.filter((m, i) => i === 0 || marks[i - 1]!.stage !== m.stage);
  const stages: Record<string, number> = {};
  firsts.forEach((m, i) => (stages[m.stage] = (firsts[i + 1]?.t ?? end) - (i === 0 ? scanned : m.t)));
  const read = await call('vault:readDocument', { id: stored.id });
  return { totalMs: end - start, scanMs: scanned - start, commitMs: end - scanned, stages, bytes: read.bytes.byteLength };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'solidariciel-bench-scan-'));
  const pages = Array.from({ length: PAGES }, (_, i) => ({ text: [`Page ${i + 1} sur ${PAGES}`, 'Avis d’imposition 2025 sur les revenus 2024', 'Direction générale des Finances publiques', 'Revenu fiscal de référence : 12 345 €'] }));
  const server = await startEsclServer({ pages, refill: true });
  const scannerId = `escl:${server.url}`;
  try {
    await call('association:create', { dir: join(root, 'Bench.solidariciel'), name: 'Banc d’essai', adminName: 'admin', password: PASSWORD });
    const personId = (await call('people:create', { person: { firstName: 'Lucie', lastName: 'Martin' } })).id;

    const options = { source: 'feeder' as const, duplex: false, dpi: DPI, mode: 'gray' as const };
    let t = performance.now();
    const warm = [];
    for await (const p of driver.scan(scannerId, options, new AbortController().signal)) warm.push(p);
    const serverRenderMs = performance.now() - t;
    const pageBytes = warm.reduce((n, p) => n + p.bytes.byteLength, 0);
    log(`test server rendered ${warm.length} pages (${Math.round(pageBytes / 1024)} KiB of JPEG) in ${secs(serverRenderMs)} s (not counted)`);

    const runs: Awaited<ReturnType<typeof scanToVault>>[] = [];
    const network: number[] = [];
    const decode: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      t = performance.now();
      for await (const p of driver.scan(scannerId, options, new AbortController().signal)) void p;
      network.push(performance.now() - t);
      const sessions = new ScanSessions();
      const owner = {};
      const id = sessions.open(owner);
      t = performance.now();
      for (const [i, p] of warm.entries()) await sessions.addImage(id, owner, `page ${i + 1}`, p.bytes);
      decode.push(performance.now() - t);
      sessions.clear();
      const run = await scanToVault(scannerId, personId);
      runs.push(run);
      log(`run ${r + 1}: ${secs(run.totalMs)} s (scan ${secs(run.scanMs)} s, commit ${secs(run.commitMs)} s: ${Object.entries(run.stages).map(([k, v]) => `${k} ${secs(v)} s`).join(', ')}); network alone ${secs(network.at(-1)!)} s, decode alone ${secs(decode.at(-1)!)} s`);
    }
    const stageNames = [...new Set(runs.flatMap((r) => Object.keys(r.stages)))];
    const parts = { networkS: secs(median(network)), decodeS: secs(median(decode)), ...Object.fromEntries(stageNames.map((s) => [`${s}S`, secs(median(runs.map((r) => r.stages[s] ?? 0)))])) };
    const dominant = Object.entries(parts).sort((a, b) => b[1] - a[1])[0]![0].replace(/S$/, '');
    const results = {
      date: new Date().toISOString(),
      loadavg: loadavg(),
      runs: RUNS,
      pages: PAGES,
      dpi: DPI,
      mode: 'gray',
      pageJpegKiB: Math.round(pageBytes / PAGES / 1024),
      storedPdfKiB: Math.round(runs[0]!.bytes / 1024),
      scanToStoredS: secs(median(runs.map((r) => r.totalMs))),
      scanPhaseS: secs(median(runs.map((r) => r.scanMs))),
      commitS: secs(median(runs.map((r) => r.commitMs))),
      parts,
      dominant,
      serverRenderS: secs(serverRenderMs),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'scan.json'), JSON.stringify(results, null, 2) + '\n');
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await core.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
