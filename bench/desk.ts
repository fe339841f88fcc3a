/**
 * `npx tsx bench/desk.ts`: what the desk feels while a 100,000-row import runs in the core (docs/performance.md
 * "The desk during an import"). Not a test: it measures and prints one JSON document.
 * - eventLoop: the longest gap and the 99th percentile of gaps between 10 ms timer ticks of the core's thread during
 *   the import (a gap is time during which the core answers nothing: no progress event, no IPC reply);
 * - progress: the number of progress events and the longest time between two of them (what the progress bar shows);
 * - searchDuringImport: `people:search` sent 1.5 s after the import started, through `dispatch` as the window does:
 *   its wall time, and how long after the end of the import it answered (the one connection is held by the
 *   import's transaction, so a search waits for it, with either driver);
 * - statusDuringImport: a channel that reads no database (`session:touch`), sent at the same moment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../main/core';
import { dispatch, type HandlerContext } from '../main/core/dispatch';
import { MemoryPreferences } from '../main/core/filePreferences';
import type { Channel, RequestOf, ResponseOf } from '../shared/contract';
import { generatePeople, helloAssoCsv } from './generate';

const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 100_000);
const core = createCore({ prefs: new MemoryPreferences(), kdfCost: { opslimit: 2, memlimit: 8 * 1024 * 1024 } });

async function call<C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>, ctx?: HandlerContext): Promise<ResponseOf<C>> {
  const env = await dispatch(core.handlers, channel, request, ctx ?? { emit: () => undefined });
  if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
  return env.value as never;
}

const round = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bench-desk-'));
  try {
    await call('association:create', { dir: join(root, 'Desk.solidariciel'), name: 'Banc du guichet', adminName: 'admin', password: 'correct horse battery' });
    const csv = helloAssoCsv(generatePeople(PEOPLE));
    const preview = await call('imports:preview', { fileName: 'export.csv', bytes: csv });
    const gaps: number[] = [];
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 10);
    const progressAt: number[] = [];
    const started = performance.now();
    const run = call('imports:run', { fileName: 'export.csv', bytes: csv, columns: preview.columns, defaultKinds: ['member'], dryRun: false }, {
      emit: () => progressAt.push(performance.now()),
    }).then(() => performance.now());
    await new Promise((r) => setTimeout(r, 1500));
    const asked = performance.now();
    const status = call('session:touch', {}).then(() => performance.now());
    const search = call('people:search', { query: 'mar' }).then(() => performance.now());
    const [importEnd, statusEnd, searchEnd] = await Promise.all([run, status, search]);
    clearInterval(ticker);
    const sortedGaps = [...gaps].sort((a, b) => a - b);
    const progressGaps = progressAt.slice(1).map((t, i) => t - (progressAt[i] as number));
    process.stdout.write(
      `${JSON.stringify(
        {
          node: process.versions.node,
          loadAverage: loadavg().map((x) => round(x)),
          people: PEOPLE,
          importMs: round(importEnd - started),
          eventLoop: { maxGapMs: round(sortedGaps.at(-1) ?? 0), p99GapMs: round(sortedGaps[Math.floor(sortedGaps.length * 0.99)] ?? 0), ticks: gaps.length },
          progress: { events: progressAt.length, maxGapMs: round(Math.max(0, ...progressGaps)) },
          statusDuringImport: { askedAfterMs: round(asked - started), answeredInMs: round(statusEnd - asked) },
          searchDuringImport: { askedAfterMs: round(asked - started), answeredInMs: round(searchEnd - asked), afterImportEndMs: round(searchEnd - importEnd) },
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await core.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
