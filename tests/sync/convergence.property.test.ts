/**
 * Convergence (issue 4 §8), property-based: 2 to 5 devices write households and people (inserts, updates of one
 * column, tombstones) with skewed clocks and sync now and then through a hub that loses pulls and push answers,
 * serves pages twice, reversed or shuffled, stores a re-pushed envelope again, and has devices pull again from the
 * start. Once the faults stop and every device syncs until nothing moves, all devices hold the same rows, and each
 * cell holds the value of its write with the greatest HLC (per-column last writer wins), derived columns included.
 *
 * Random seed on every run (fast-check prints the seed and the shrunk command list on failure: replay them with
 * `fc.assert(..., { seed, path })`). 30 runs, ≈ 15–30 s. SYNC_PROPERTY_STATS=1 prints each run's size, conflicts and
 * pull requests (to check the commands still produce concurrent edits).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PulledEnvelope } from '../../shared/sync/protocol';
import { AppError } from '../../shared/domain/errors';
import { SYNCED_TABLES } from '../../main/sync/tables';
import { STATE } from '../../main/sync/state';
import { MemoryHub, type Faults } from '../helpers/memoryHub';
import { makeReplicas, personRow, tableState, updatePerson, type Replica, type ReplicaSet } from '../helpers/replicas';

type Cell = string | number | null;
type Table = 'people' | 'households';

const NAMES = ['Awa', 'Jean', 'Élodie', 'Noé', "N'Golo", 'Marie-José', 'Zoé', 'Ibrahim', 'Ana', 'Lucas'];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom(...'abcdeéèçàîôü -\''.split('')) }));
const phone = fc.option(fc.stringMatching(/^0[1-9]\d{8}$/), { nil: null });
const replica = fc.nat(4);

/** Columns a command may write, and the ones compared with the model (all of them plus deleted_at). */
const WRITABLE: Record<Table, readonly string[]> = {
  people: ['phone', 'last_name', 'household_id', 'first_name', 'email', 'city', 'notes'],
  households: ['name', 'notes'],
};

const command = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('insertPerson' as const), r: replica, first: name, last: name, phone, household: fc.option(fc.nat(), { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('insertHousehold' as const), r: replica, name }) },
  // Few rows and mostly the first columns: devices often write the same cell concurrently.
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('update' as const),
      r: replica,
      table: fc.constantFrom<Table>('people', 'households'),
      pick: fc.nat(3),
      column: fc.oneof({ weight: 4, arbitrary: fc.nat(2) }, { weight: 1, arbitrary: fc.nat(6) }),
      value: fc.option(name, { nil: null, freq: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('tombstone' as const), r: replica, table: fc.constantFrom<Table>('people', 'households'), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('sync' as const), r: replica }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('skew' as const), r: replica, ms: fc.integer({ min: -4 * 60_000, max: 4 * 60_000 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('faults' as const),
      r: replica,
      page: fc.constantFrom('none', 'twice', 'reverse', 'shuffle', 'repeatFirst'),
      limit: fc.constantFrom(1, 2, 3, 500),
      losePullEvery: fc.constantFrom(0, 2, 3),
      losePushAnswerEvery: fc.constantFrom(0, 2),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('repush' as const), r: replica }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('resetCursor' as const), r: replica }) },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

interface Write {
  hlc: string;
  value: Cell;
}

/** The model: per cell, the write with the greatest HLC. */
class Model {
  readonly cells = new Map<string, Write>();
  readonly rows: Record<Table, Set<string>> = { people: new Set(), households: new Set() };

  record(table: Table, id: string, column: string, value: Cell, hlc: string): void {
    const key = `${table}\u0000${id}\u0000${column}`;
    const known = this.cells.get(key);
    if (!known || hlc > known.hlc) this.cells.set(key, { hlc, value });
  }
}

async function lastHlc(r: Replica): Promise<string> {
  return ((await r.db('change_log').orderBy('seq', 'desc').first('hlc')) as { hlc: string }).hlc;
}

async function ids(r: Replica, table: Table): Promise<string[]> {
  return ((await r.db(table).orderBy('id').select('id')) as { id: string }[]).map((x) => x.id);
}

/** A page transform (deterministic, so a failing run shrinks and replays). */
function pageFault(kind: string): Faults['page'] {
  switch (kind) {
    case 'twice':
      return (p) => [...p, ...p];
    case 'reverse':
      return (p) => [...p].reverse();
    case 'shuffle':
      return (p) => [...p.filter((_, i) => i % 2 === 1), ...p.filter((_, i) => i % 2 === 0).reverse()];
    case 'repeatFirst':
      return (p: PulledEnvelope[]) => (p.length ? [...p, p[0]!] : p);
    default:
      return undefined;
  }
}

function setFaults(f: Faults, c: Extract<Command, { k: 'faults' }>): void {
  let pulls = 0;
  let pushes = 0;
  f.page = pageFault(c.page);
  f.limit = c.limit;
  f.losePull = c.losePullEvery ? () => ++pulls % c.losePullEvery === 0 : undefined;
  f.losePushAnswer = c.losePushAnswerEvery ? () => ++pushes % c.losePushAnswerEvery === 0 : undefined;
}

/** One sync; a fault in transit (HUB_UNREACHABLE) leaves the rest for the next one, anything else fails the run. */
async function trySync(r: Replica): Promise<void> {
  try {
    await r.engine.sync();
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'HUB_UNREACHABLE')) throw e;
  }
}

/** A few rows every device holds before the random commands, so that they often edit the same cells concurrently. */
const START: Command[] = [
  { k: 'insertHousehold', r: 0, name: 'Foyer Diallo' },
  { k: 'insertHousehold', r: 1, name: 'Foyer Martin' },
  { k: 'insertPerson', r: 0, first: 'Awa', last: 'Diallo', phone: '0600000001', household: 0 },
  { k: 'insertPerson', r: 1, first: 'Jean', last: 'Martin', phone: null, household: null },
  { k: 'sync', r: 0 },
  { k: 'sync', r: 1 },
  ...[0, 1, 2, 3, 4].map((r) => ({ k: 'sync' as const, r })),
];

async function run(set: ReplicaSet, commands: Command[], model: Model): Promise<void> {
  const reps = set.replicas;
  const at = (i: number) => reps[i % reps.length]!;
  for (const c of [...START, ...commands]) {
    const r = at(c.r);
    if (c.k === 'insertHousehold') {
      const [id] = await r.mutator.insert('households', [{ name: c.name, notes: null }]);
      const hlc = await lastHlc(r);
      model.rows.households.add(id!);
      for (const [col, v] of Object.entries({ name: c.name, notes: null, deleted_at: null })) model.record('households', id!, col, v, hlc);
    } else if (c.k === 'insertPerson') {
      const households = await ids(r, 'households');
      const household = c.household === null || households.length === 0 ? null : households[c.household % households.length]!;
      const values = { first_name: c.first, last_name: c.last, phone: c.phone, email: null, city: null, notes: null, household_id: household };
      const [id] = await r.mutator.insert('people', [personRow(values)]);
      const hlc = await lastHlc(r);
      model.rows.people.add(id!);
      for (const [col, v] of Object.entries({ ...values, deleted_at: null })) model.record('people', id!, col, v, hlc);
    } else if (c.k === 'update' || c.k === 'tombstone') {
      const known = await ids(r, c.table);
      if (known.length === 0) continue;
      const id = known[c.pick % known.length]!;
      if (c.k === 'tombstone') {
        await r.mutator.tombstone(c.table, id);
        const row = (await r.db(c.table).where({ id }).first('deleted_at')) as { deleted_at: string };
        model.record(c.table, id, 'deleted_at', row.deleted_at, await lastHlc(r));
        continue;
      }
      const column = WRITABLE[c.table][c.column % WRITABLE[c.table].length]!;
      let value: Cell = c.value;
      if (column === 'household_id') {
        const households = await ids(r, 'households');
        value = c.value === null || households.length === 0 ? null : households[c.value.length % households.length]!;
      } else if (column === 'first_name' || column === 'last_name' || column === 'name') value ??= 'X';
      const changes = { [column]: value };
      const changed = c.table === 'people' ? await updatePerson(r, id, changes) : await r.mutator.update(c.table, id, changes);
      if (changed.length) model.record(c.table, id, column, value, await lastHlc(r));
    } else if (c.k === 'sync') {
      await trySync(r);
    } else if (c.k === 'skew') {
      r.skew.ms = c.ms;
    } else if (c.k === 'faults') {
      setFaults(r.faults, c);
    } else if (c.k === 'repush') {
      // The device's envelopes pushed a second time, to a hub that stores them again under new numbers.
      const sent = (await r.db('sync_outbox').whereNotNull('pushed_at').orderBy('device_seq').limit(20).select('header', 'ciphertext', 'signature')) as {
        header: string;
        ciphertext: string;
        signature: string;
      }[];
      if (sent.length === 0) continue;
      set.hub.dedupe = false;
      try {
        await r.api.push(sent);
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'HUB_UNREACHABLE')) throw e;
      } finally {
        set.hub.dedupe = true;
      }
    } else {
      await r.db('sync_state').where({ key: STATE.cursor }).update({ value: '0' });
    }
  }
}

/** Every device syncs, round after round, until a whole round pushes and pulls nothing. */
async function quiesce(set: ReplicaSet): Promise<void> {
  for (const r of set.replicas) for (const k of Object.keys(r.faults) as (keyof Faults)[]) delete r.faults[k];
  for (let round = 0; round < 6; round++) {
    let moved = 0;
    for (const r of set.replicas) {
      const res = await r.engine.sync();
      moved += res.pushed + res.pulled;
      expect(res.rejected).toBe(0);
    }
    if (moved === 0 && round > 0) return;
  }
  throw new Error('pas de repos après 6 tours de synchronisation');
}

const columnsOf = (table: Table): string[] => {
  const local = new Set(SYNCED_TABLES[table]);
  return ['scope_id', 'created_at', 'updated_at', 'deleted_at', ...WRITABLE[table], ...(table === 'people' ? ['kinds', ...local] : [])];
};

async function checkConverged(set: ReplicaSet, model: Model): Promise<void> {
  const [first, ...others] = set.replicas as [Replica, ...Replica[]];
  for (const table of ['households', 'people'] as const) {
    const reference = await tableState(first.db, table, columnsOf(table));
    expect(reference.map((r) => r['id'])).toEqual([...model.rows[table]].sort());
    for (const r of others) expect(await tableState(r.db, table, columnsOf(table)), `${table} on ${r.name}`).toEqual(reference);
    const byId = new Map(reference.map((row) => [row['id'] as string, row]));
    for (const [key, write] of model.cells) {
      const [t, id, column] = key.split('\u0000') as [Table, string, string];
      if (t !== table) continue;
      expect(byId.get(id)?.[column], `${table}.${column} of ${id}`).toEqual(write.value);
    }
  }
  for (const r of set.replicas) {
    expect(await r.db('sync_pending').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await r.db('sync_rejected').count({ n: '*' })).toEqual([{ n: 0 }]);
  }
}

let current: ReplicaSet | null = null;
afterEach(async () => {
  await current?.cleanup();
  current = null;
});

describe('convergence', () => {
  it('brings every device to the same state, each cell at its latest write, whatever the faults and clocks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.array(command, { minLength: 8, maxLength: 40, size: 'max' }), async (n, commands) => {
        await current?.cleanup();
        current = await makeReplicas(new MemoryHub(), n);
        const model = new Model();
        await run(current, commands, model);
        await quiesce(current);
        await checkConverged(current, model);
        if (process.env['SYNC_PROPERTY_STATS']) {
          const conflicts = await Promise.all(current.replicas.map(async (r) => ((await r.db('sync_history').where({ conflict: 1 }).count({ n: '*' })) as { n: number }[])[0]!.n));
          console.log(`n=${n} commands=${commands.length} cells=${model.cells.size} conflicts=${conflicts.join(',')} pulls=${[...current.hub.calls.values()].map((c) => c.pulls).join(',')}`);
        }
        await current.cleanup();
        current = null;
      }),
      { numRuns: 30 },
    );
  }, 180_000);
});
