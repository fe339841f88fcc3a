/**
 * Version skew (issue 4 §8): a newer device writes a column, or a table, an older one does not have yet. The older
 * device applies what it knows, keeps the rest in sync_pending (nothing lost) and applies it after its upgrade (an
 * application restart after a migration: a new engine, so table shapes are read again).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SYNCED_TABLES } from '../../main/sync/tables';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, personRow, tableState, updatePerson, type Replica, type ReplicaSet } from '../helpers/replicas';

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

const PEOPLE = ['first_name', 'last_name', 'phone', 'kinds', 'deleted_at', 'created_at', 'updated_at', 'scope_id', 'search_text', 'sort_key', 'email_key', 'name_birth_key', 'member_search'];

async function two(): Promise<[Replica, Replica]> {
  set = await makeReplicas(new MemoryHub(), 2);
  return set.replicas as [Replica, Replica];
}

async function pending(r: Replica): Promise<{ table_name: string; row_id: string; column_name: string; value: string; reason: string }[]> {
  return (await r.db('sync_pending').orderBy('id').select('table_name', 'row_id', 'column_name', 'value', 'reason')) as never;
}

describe('a newer device writes a column the older one lacks', () => {
  it('keeps the unknown cells pending, applies the rest, then applies them after the upgrade', async () => {
    const [a, b] = await two();
    await a.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await a.restart();
    const [p1, p2] = await a.mutator.insert('people', [
      personRow({ first_name: 'Awa', last_name: 'Diallo', phone: '0600000001', pronouns: 'elle' }),
      personRow({ first_name: 'Sam', last_name: 'Martin' }),
    ]);
    await a.engine.capture(); // the insert goes out on its own, with its pronouns cells
    await updatePerson(a, p2!, { pronouns: 'iel', phone: '0600000002' });
    await a.mutator.update('people', p1!, { pronouns: 'elle/iel' });
    await a.engine.capture();
    await a.mutator.update('people', p1!, { pronouns: 'elle' }); // back to the inserted value: a later write of its own
    await a.engine.sync();

    const first = await b.engine.sync();
    expect(first.pending).toBe(5);
    expect(first.pulled).toBeGreaterThan(0);
    // Known columns applied (derived ones recomputed), unknown ones kept with their value.
    expect(await tableState(b.db, 'people', PEOPLE)).toEqual(await tableState(a.db, 'people', PEOPLE));
    expect((await pending(b)).map((p) => [p.row_id, JSON.parse(p.value), p.column_name, p.reason])).toEqual([
      [p1, 'elle', 'pronouns', 'unknown-column'],
      [p2, null, 'pronouns', 'unknown-column'],
      [p2, 'iel', 'pronouns', 'unknown-column'],
      [p1, 'elle/iel', 'pronouns', 'unknown-column'],
      [p1, 'elle', 'pronouns', 'unknown-column'],
    ]);
    // Still pending after another run with the old schema: nothing is dropped.
    expect((await b.engine.sync()).pending).toBe(5);

    await b.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await b.restart();
    const after = await b.engine.sync();
    expect(after.pending).toBe(0);
    expect(await pending(b)).toEqual([]);
    expect(await tableState(b.db, 'people', [...PEOPLE, 'pronouns'])).toEqual(await tableState(a.db, 'people', [...PEOPLE, 'pronouns']));
    // And B's own later write of the new column reaches A.
    await b.mutator.update('people', p2!, { pronouns: 'il' });
    await b.engine.sync();
    await a.engine.sync();
    expect(((await a.db('people').where({ id: p2 }).first('pronouns')) as { pronouns: string }).pronouns).toBe('il');
  });

  it('applies the cell kept from an insert (same version as the columns already applied) after the upgrade', async () => {
    const [a, b] = await two();
    await a.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await a.restart();
    const [id] = await a.mutator.insert('people', [{ first_name: 'Lina', last_name: 'Roux', kinds: '[]', pronouns: 'elle' }]);
    await a.engine.sync();
    expect((await b.engine.sync()).pending).toBe(1);
    await b.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await b.restart();
    await b.engine.sync();
    expect(((await b.db('people').where({ id }).first('pronouns')) as { pronouns: string | null }).pronouns).toBe('elle');
  });

  it('lets a later write of B win over a replayed cell, on both devices', async () => {
    const [a, b] = await two();
    await a.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await a.restart();
    const [id] = await a.mutator.insert('people', [{ first_name: 'Noé', last_name: 'Petit', kinds: '[]' }]);
    await a.mutator.update('people', id!, { pronouns: 'il' });
    await a.engine.sync();
    await b.engine.sync();
    await b.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await b.restart();
    b.skew.ms = 60_000;
    await b.engine.sync(); // replays A's cell
    expect(((await b.db('people').where({ id }).first('pronouns')) as { pronouns: string }).pronouns).toBe('il');
    await b.mutator.update('people', id!, { pronouns: 'iel' });
    await b.engine.sync();
    await a.engine.sync();
    for (const r of [a, b]) expect(((await r.db('people').where({ id }).first('pronouns')) as { pronouns: string }).pronouns).toBe('iel');
    const lost = (await a.db('sync_history').where({ column_name: 'pronouns' }).select('value', 'kept_value', 'conflict')) as { value: string; kept_value: string; conflict: number }[];
    expect(lost.map((h) => [JSON.parse(h.value), JSON.parse(h.kept_value), h.conflict])).toEqual([['il', 'iel', 0]]);
  });

  // KNOWN BUG (main/sync/engine.ts, SyncEngine.capture): replayPending runs before captureOutbox, so a local write
  // of the new column made after the upgrade and before the first sync is overwritten by an older pending cell (and
  // then sent under the local write's HLC): the user's value is lost without a trace. Fix: capture first, then
  // replay. Remove `.fails` once fixed.
  it('keeps a write B made after its upgrade, before its first sync, over an older pending cell', async () => {
    const [a, b] = await two();
    await a.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await a.restart();
    const [id] = await a.mutator.insert('people', [{ first_name: 'Noé', last_name: 'Petit', kinds: '[]' }]);
    await a.mutator.update('people', id!, { pronouns: 'il' });
    await a.engine.sync();
    await b.engine.sync();
    await b.db.raw('ALTER TABLE people ADD COLUMN pronouns TEXT');
    await b.restart();
    b.skew.ms = 60_000;
    await b.mutator.update('people', id!, { pronouns: 'iel' }); // later than A's write
    await b.engine.sync();
    await a.engine.sync();
    for (const r of [a, b]) expect(((await r.db('people').where({ id }).first('pronouns')) as { pronouns: string }).pronouns).toBe('iel');
  });
});

describe('a newer device writes a table the older one lacks', () => {
  // A table no migration makes (`visits` exists since 0130): only the test creates it on each device.
  const TABLE = 'future_parcels';
  const DDL = `CREATE TABLE ${TABLE} (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT,
    scope_id TEXT NOT NULL DEFAULT 'association', person_id TEXT NOT NULL, visited_on TEXT NOT NULL, note TEXT)`;
  const synced = SYNCED_TABLES as Record<string, readonly string[]>;

  it('keeps every cell of the table pending, then creates the rows after the upgrade', async () => {
    const [a, b] = await two();
    // Both run code that lists the table; only A has run the migration creating it.
    synced[TABLE] = [];
    try {
      await a.db.raw(DDL);
      const ids = await a.mutator.insert(TABLE, [
        { person_id: 'p-1', visited_on: '2026-11-20', note: 'colis alimentaire' },
        { person_id: 'p-2', visited_on: '2026-11-21' },
      ]);
      await a.mutator.update(TABLE, ids[0]!, { note: 'colis alimentaire + vêtements' });
      await a.mutator.tombstone(TABLE, ids[1]!);
      const [h] = await a.mutator.insert('households', [{ name: 'Foyer Roux' }]);
      await a.engine.sync();

      const first = await b.engine.sync();
      expect(first.pending).toBeGreaterThan(0);
      expect(((await b.db('households').where({ id: h }).first('name')) as { name: string }).name).toBe('Foyer Roux');
      const kept = await pending(b);
      expect(new Set(kept.map((p) => p.reason))).toEqual(new Set(['unknown-table']));
      expect(new Set(kept.map((p) => p.row_id))).toEqual(new Set(ids));
      expect(kept.length).toBe(first.pending);

      await b.db.raw(DDL);
      await b.restart();
      expect((await b.engine.sync()).pending).toBe(0);
      const cols = ['person_id', 'visited_on', 'note', 'deleted_at', 'created_at', 'updated_at', 'scope_id'];
      const rowsB = await tableState(b.db, TABLE, cols);
      expect(rowsB).toEqual(await tableState(a.db, TABLE, cols));
      expect(rowsB.map((r) => r['note'])).toEqual(['colis alimentaire + vêtements', null]);
      expect(rowsB[1]?.['deleted_at']).not.toBeNull();
    } finally {
      delete synced[TABLE];
    }
  });
});
