/**
 * Where the 100,000-row import spends its CPU: `npx tsx bench/importProfile.ts` runs the same import as
 * `npm run bench` (HelloAsso CSV through `imports:run`, docs/performance.md) under V8's sampling CPU profiler
 * (node:inspector `Profiler`, sampling every 1 ms), then attributes each sample's self time to a stage by the file of
 * the function it was taken in:
 *   parse      — papaparse, iconv-lite, xlsx, readTable (reading the file)
 *   normalise  — normalizeRecords and the import's own rules (main/services/imports)
 *   match      — matching against the people already known (main/services/imports/matching*)
 *   write      — the Mutator, repositories, knex and the SQLCipher engine (statements run on this thread)
 *   other      — everything else (GC, zod, the dispatcher…)
 * A native frame (a SQLite statement, a regular expression, a built-in) counts for its nearest scripted caller.
 * Wall time includes the time the thread waited for a core (a loaded machine); the shares are what to compare.
 * Writes `bench/results/import-profile.json` `{ rows, wallMs, cpuMs, stages: { name: { ms, share } }, top: [{ fn,
 * file, ms }] }` and prints the same. Environment: BENCH_PEOPLE (default 100000). Throws if the import reports errors.
 */
import { Session } from 'node:inspector/promises';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../main/core';
import { dispatch } from '../main/core/dispatch';
import { MemoryPreferences } from '../main/core/filePreferences';
import type { Channel, RequestOf, ResponseOf } from '../shared/contract';
import { generatePeople, helloAssoCsv } from './generate';

const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 100_000);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const log = (s: string) => process.stderr.write(`[import-profile] ${s}\n`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const core = createCore({ prefs: new MemoryPreferences(), kdfCost: { opslimit: 1, memlimit: 8192 } });
async function call<C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const env = await dispatch(core.handlers, channel, request);
  if (!env.ok) throw new Error(`${channel}: ${env.error.code}: ${env.error.message}`);
  return env.value as ResponseOf<C>;
}

/** The stage a sampled function belongs to, from its script's path. */
export function stageOf(url: string): string {
  if (/papaparse|iconv-lite|xlsx|imports\/(readTable|encoding)/.test(url)) return 'parse';
  if (/imports\/match/.test(url)) return 'match';
  if (/main\/services\/imports|shared\/domain\/imports/.test(url)) return 'normalise';
  if (/main\/db\/|better-sqlite3|node_modules\/knex/.test(url)) return 'write';
  return 'other';
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'solidariciel-import-profile-'));
  try {
    const csv = helloAssoCsv(generatePeople(PEOPLE));
    await call('association:create', { dir: join(root, 'P.solidariciel'), name: 'Profil', adminName: 'admin', password: 'correct horse battery staple' });
    const fileName = 'helloasso-export-2026.csv';
    const preview = await call('imports:preview', { fileName, bytes: csv });
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await session.post('Profiler.start');
    const t = performance.now();
    const cpu = process.cpuUsage();
    const report = await call('imports:run', { fileName, bytes: csv, columns: preview.columns, defaultKinds: ['member'], dryRun: false });
    const wallMs = performance.now() - t;
    const { user, system } = process.cpuUsage(cpu);
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    session.disconnect();
    if (report.errors.length > 0) throw new Error(`the import reported ${report.errors.length} errors`);

    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Native frames (a SQLite statement, a regular expression, a built-in) have no script: their time goes to the
    // nearest JavaScript caller that has one.
    const scripted = (id: number): ProfileNode | undefined => {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const n = byNode.get(at);
        if (n?.callFrame.url) return n;
      }
      return byNode.get(id);
    };
    const stages = new Map<string, number>();
    const fns = new Map<string, { fn: string; file: string; ms: number }>();
    profile.samples.forEach((id, i) => {
      const own = byNode.get(id);
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      if (!own || ['(idle)', '(program)', '(root)'].includes(own.callFrame.functionName)) return;
      const node = own.callFrame.functionName === '(garbage collector)' ? own : (scripted(id) ?? own);
      const url = node.callFrame.url.replace(/^file:\/\//, '');
      const fn = node.callFrame.functionName || '(anonyme)';
      stages.set(stageOf(url), (stages.get(stageOf(url)) ?? 0) + ms);
      const file = url ? relative(repo, url) : fn;
      const key = `${fn}@${file}`;
      const entry = fns.get(key) ?? { fn, file, ms: 0 };
      entry.ms += ms;
      fns.set(key, entry);
    });
    const sampled = [...stages.values()].reduce((a, b) => a + b, 0);
    const result = {
      rows: report.rows,
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((user + system) / 1000),
      stages: Object.fromEntries([...stages].sort((a, b) => b[1] - a[1]).map(([name, ms]) => [name, { ms: Math.round(ms), share: Math.round((ms / sampled) * 100) / 100 }])),
      top: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, 20).map((f) => ({ ...f, ms: Math.round(f.ms) })),
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'import-profile.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await call('session:lock', {}).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
