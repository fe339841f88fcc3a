/**
 * `npx tsx bench/searchProfile.ts [queries…]`: wall times of single people searches on 100,000 generated people,
 * PeopleRepository.search called directly (best of 5), to see which query kind costs what (docs/performance.md).
 * The database is made once in $BENCH_DB_DIR (default: the system's temporary folder) and kept for later runs.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../main/db/migrations';
import { Mutator } from '../main/db/mutations';
import { PeopleRepository, personToRow } from '../main/db/repositories/people';
import { openSqlCipher } from '../main/db/sqlcipherClient';
import { detectShape, normalizeRecords, readTable, suggestMapping } from '../main/services/imports';
import { HybridLogicalClock } from '../main/sync/hlc';
import { generatePeople, helloAssoCsv } from './generate';
import { searchQueries } from './inputs';

const KEY = 'ab'.repeat(32);

async function main(): Promise<void> {
  const file = join(process.env['BENCH_DB_DIR'] ?? tmpdir(), 'solidariciel-search-profile.db');
  const fresh = !existsSync(file);
  const db = openSqlCipher(file, KEY);
  await migrate(db);
  const people = generatePeople(100_000);
  if (fresh) {
    const table = readTable('people.csv', helloAssoCsv(people));
    const { records } = normalizeRecords(table, suggestMapping(table.headers, detectShape(table.headers)), { today: '2026-12-06' });
    await db.transaction(async (trx) => {
      await new Mutator(trx, new HybridLogicalClock('bench'), { now: () => new Date() }).insert('people', records.map((r) => personToRow(r.person)));
    });
  }
  const repo = new PeopleRepository(db);
  const asked = process.argv.slice(2);
  const queries = asked.length > 0 ? asked.map((query) => ({ kind: 'asked', query })) : searchQueries(people);
  for (const q of queries.slice(0, 20)) await repo.search(q.query, 50, false);
  const rows: { kind: string; query: string; ms: number; total: number }[] = [];
  for (const q of queries) {
    let best = Infinity;
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      total = (await repo.search(q.query, 50, false)).total;
      best = Math.min(best, performance.now() - s);
    }
    rows.push({ ...q, ms: Math.round(best * 100) / 100, total });
  }
  const kinds = [...new Set(rows.map((r) => r.kind))];
  for (const k of kinds) {
    const ms = rows.filter((r) => r.kind === k).map((r) => r.ms).sort((a, b) => a - b);
    console.log(`${k.padEnd(16)} n ${ms.length} p50 ${ms[Math.floor(ms.length / 2)]} max ${ms[ms.length - 1]}`);
  }
  for (const r of [...rows].sort((a, b) => b.ms - a.ms).slice(0, asked.length > 0 ? rows.length : 12)) console.log(`  ${r.ms} ms  ${r.kind}  «${r.query}» → ${r.total}`);
  await db.destroy();
}

void main();
