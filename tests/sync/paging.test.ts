/**
 * Volume and paging (issue 4 §8): 60,000 changes from one device — a 30,000-person import in one transaction
 * (split into envelopes of ≤ 500 rows), then 20,000 people added 10 per transaction and 10,000 single-person updates,
 * 10 per transaction (one envelope per transaction) — pulled by an empty device in pages of ≤ 500 envelopes, each merged in one transaction. The
 * empty device ends identical; the page count is exact. Timings are printed (stdout).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PULL_ENVELOPES, type PulledEnvelope } from '../../shared/sync/protocol';
import { openEnvelope } from '../../main/sync/envelope';
import { SYNCED_TABLES } from '../../main/sync/tables';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, personRow, tableState, type Replica, type ReplicaSet } from '../helpers/replicas';

const IMPORTED = 30_000;
const INSERTS = 20_000;
const UPDATES = 10_000;
const PER_TRANSACTION = 10;
/** Rows updated once, then the first UPDATES − UPDATED_ROWS of them again (captured in between): the second value wins. */
const UPDATED_ROWS = 7_500;

const COLUMNS = ['first_name', 'last_name', 'phone', 'email', 'city', 'notes', 'kinds', 'scope_id', 'created_at', 'updated_at', 'deleted_at', ...(SYNCED_TABLES['people'] ?? [])];

let set: ReplicaSet;
let a: Replica;
let b: Replica;
const timings: Record<string, number> = {};
const pages: number[] = [];

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await f();
  } finally {
    timings[label] = Math.round(performance.now() - start);
  }
}

beforeAll(async () => {
  const hub = new MemoryHub();
  set = await makeReplicas(hub, 2, (i) => (i === 1 ? { page: (p: PulledEnvelope[]) => (pages.push(p.length), p) } : {}));
  [a, b] = set.replicas as [Replica, Replica];
}, 120_000);

afterAll(async () => {
  console.log(`paging: ${JSON.stringify(timings)} ms, ${pages.length} pages`);
  await set?.cleanup();
});

describe('60,000 changes pulled by an empty device', () => {
  it('arrive whole, through pages of at most 500 envelopes', async () => {
    const ids = await timed('import', () =>
      a.db.transaction((trx) =>
        a.mutator.with(trx).insert(
          'people',
          Array.from({ length: IMPORTED }, (_, i) =>
            personRow({ first_name: `Prénom${i}`, last_name: `Nom${i % 997}`, phone: `06${String(i).padStart(8, '0')}`, email: i % 3 ? null : `p${i}@example.org`, city: 'Paris', notes: null }),
          ),
        ),
      ),
    );
    expect(ids.length).toBe(IMPORTED);
    await timed('inserts', async () => {
      for (let k = 0; k < INSERTS; k += PER_TRANSACTION) {
        await a.db.transaction(async (trx) => {
          const m = a.mutator.with(trx);
          await m.insert('people', Array.from({ length: PER_TRANSACTION }, (_, j) => personRow({ first_name: `Nouvelle${k + j}`, last_name: 'Accueil', phone: null, email: null, city: 'Lyon', notes: null })));
        });
      }
    });
    await timed('updates', async () => {
      for (let k = 0; k < UPDATES; k += PER_TRANSACTION) {
        // Captured between the two passes (as a sync would): the first values travel too, the second ones later.
        if (k === UPDATED_ROWS) await a.engine.capture();
        await a.db.transaction(async (trx) => {
          const m = a.mutator.with(trx);
          for (let j = k; j < k + PER_TRANSACTION; j++) await m.update('people', ids[j % UPDATED_ROWS]!, { notes: `passage ${j}` });
        });
      }
    });
    expect(((await a.db('change_log').count({ n: '*' })) as { n: number }[])[0]!.n).toBe(1 + INSERTS / PER_TRANSACTION + UPDATES);

    const pushed = await timed('push', () => a.engine.sync());
    // The import: one change_log entry, 60 envelopes of ≤ 500 rows; then one envelope per transaction.
    const envelopes = IMPORTED / 500 + (INSERTS + UPDATES) / PER_TRANSACTION;
    expect(set.hub.log.length).toBe(envelopes);
    expect(pushed.pending).toBe(0);
    const publicKey = a.device.signSecretKey.subarray(32);
    let importedRows = 0;
    for (const e of set.hub.log.slice(0, IMPORTED / 500)) {
      const body = await openEnvelope(e, publicKey, set.syncKey);
      const rows = body.c.reduce((n, c) => n + c.r.length, 0);
      expect(rows).toBeLessThanOrEqual(500);
      expect(body.c.every((c) => c.o === 'i')).toBe(true);
      importedRows += rows;
    }
    expect(importedRows).toBe(IMPORTED);

    const pulled = await timed('pull', () => b.engine.sync());
    expect(pulled.rejected).toBe(0);
    expect(pulled.pending).toBe(0);
    expect(pulled.pulled).toBe(pushed.pushed);
    // Pages: ⌈3,060 / 500⌉ = 7, each full but the last, and no extra request after the last.
    expect(pages.length).toBe(Math.ceil(envelopes / MAX_PULL_ENVELOPES));
    expect(pages.slice(0, -1).every((n) => n === MAX_PULL_ENVELOPES)).toBe(true);
    expect(pages.reduce((x, y) => x + y, 0)).toBe(envelopes);
    const requests = pages.length;
    expect(set.hub.calls.get(b.deviceId)?.pulls).toBe(requests);

    const [stateA, stateB] = await timed('compare', () => Promise.all([tableState(a.db, 'people', COLUMNS), tableState(b.db, 'people', COLUMNS)]));
    expect(stateB.length).toBe(IMPORTED + INSERTS);
    // One string comparison (a deep equality of 50,000 rows takes seconds); the detailed diff only on a mismatch.
    if (JSON.stringify(stateB) !== JSON.stringify(stateA)) expect(stateB).toEqual(stateA);
    const notes = new Map(stateB.map((r) => [r['id'] as string, r['notes']]));
    expect(notes.get(ids[0]!)).toBe(`passage ${UPDATED_ROWS}`); // updated twice: the later value
    expect(notes.get(ids[UPDATED_ROWS - 1]!)).toBe(`passage ${UPDATED_ROWS - 1}`); // once
    expect(stateB.filter((r) => r['city'] === 'Lyon').length).toBe(INSERTS);
    // The full-text index was rebuilt for the rows merged in bulk: every person is found by name.
    expect(await b.db.raw(`SELECT count(*) AS n FROM people_fts`)).toEqual([{ n: IMPORTED + INSERTS }]);
    const found = (await b.db.raw(`SELECT p.first_name FROM people_fts f JOIN people p ON p.rowid = f.rowid WHERE people_fts MATCH ?`, ['"nouvelle19999"'])) as { first_name: string }[];
    expect(found.map((r) => r.first_name)).toEqual(['Nouvelle19999']);
    expect(notes.get(ids[IMPORTED - 1]!)).toBeNull(); // never
    // The cursor is at the head, and a second run pulls nothing and asks once.
    const again = await b.engine.sync();
    expect(again.pulled).toBe(0);
    expect(set.hub.calls.get(b.deviceId)?.pulls).toBe(requests + 1);
    expect((await b.db('sync_state').where({ key: 'pull_cursor' }).first('value')) as { value: string }).toEqual({ value: String(envelopes) });
  }, 180_000);
});
