/**
 * The erasure register and the removal of erased records (docs/erasure.md). Database level, below the services and
 * the sync engine, so that the erasing device, every device that merges an erasure, and a restore all run the same
 * code.
 *
 * A person's erasure removes the rows themselves (an exception to "tombstones, never hard deletes": RGPD art. 17 asks
 * for the data to be gone, a tombstone would keep it) and writes, per removed row, a line of the synced `erasures`
 * table: ids, kind, date, paper blob name — never personal data. A row of a removed id that a merge brings back (a
 * later edit from a device that had not heard of the erasure) is removed again by `sweepErasures` in the same
 * transaction, so it is never seen. Deletes run with `PRAGMA secure_delete` so freed pages are zeroed.
 */
import type { Knex } from 'knex';
import type { Mutator } from './mutations';

/** Tables holding a person's records, by the column naming the person. */
export const PERSON_TABLES = [
  'case_notes',
  'tasks',
  'documents',
  'consents',
  'person_groups',
  // treasury (0100, docs/treasury.md)
  'dues_payments',
  'dues_exemptions',
  'gifts',
  // deposit receipts (0160, docs/deposit-receipt.md)
  'deposit_receipts',
  // text recognised in papers (0170, docs/ocr.md)
  'document_texts',
  // volunteers and visits (0130, docs/volunteers.md): a volunteer's profile, availability, absences, circle seats;
  // an accompanied person's visits, rule and circles
  'volunteer_profiles',
  'availability_slots',
  'absences',
  'circle_members',
  'circles',
  'visits',
  'visit_rules',
  // agenda (0140, docs/agenda.md): a person's links to events (the events themselves stay)
  'event_people',
] as const;

/** One line of the register: ids and dates only. `erasedAt`: ISO instant. */
export interface ErasureEntry {
  id: string;
  kind: string;
  personId: string;
  blobName: string | null;
  erasedAt: string;
}

/** What an erasure removed: counts per table and the blob names of the papers. */
export interface ErasedRecords {
  counts: Record<string, number>;
  blobNames: string[];
}

type Db = Knex | Knex.Transaction;

async function idsWhere(db: Db, table: string, column: string, values: readonly string[]): Promise<{ id: string; blob_name?: string | null }[]> {
  if (values.length === 0) return [];
  const cols = table === 'documents' ? ['id', 'blob_name'] : ['id'];
  const out: { id: string; blob_name?: string | null }[] = [];
  for (let i = 0; i < values.length; i += 500) out.push(...((await db(table).whereIn(column, values.slice(i, i + 500)).select(cols)) as { id: string; blob_name?: string | null }[]));
  return out;
}

/** Removes rows by id, with their sync bookkeeping (versions, history of overwritten values, pending cells). */
async function removeRows(trx: Knex.Transaction, table: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    await trx(table).whereIn('id', part).delete();
    await trx('sync_versions').where({ table_name: table }).whereIn('row_id', part).delete();
    await trx('sync_history').where({ table_name: table }).whereIn('row_id', part).delete();
    await trx('sync_pending').whereIn('row_id', part).delete();
  }
}

/**
 * Removes the people `personIds` and every record of theirs (PERSON_TABLES; their household when nobody else is in
 * it) inside `trx`, and writes the register lines not already there — through `mutator` (they then travel by sync)
 * or plainly when null. Returns what was removed. Idempotent: a second run finds nothing and writes nothing.
 */
export async function eraseRecords(trx: Knex.Transaction, personIds: readonly string[], mutator: Mutator | null, erasedAt: string): Promise<ErasedRecords> {
  await trx.raw('PRAGMA secure_delete = ON');
  const lines: ErasureEntry[] = [];
  const counts: Record<string, number> = {};
  const blobNames: string[] = [];
  const people = (await idsWhere(trx, 'people', 'id', personIds)) as { id: string }[];
  const households = personIds.length ? ((await trx('people').whereIn('id', personIds).whereNotNull('household_id').distinct('household_id')) as { household_id: string }[]) : [];
  for (const pid of personIds) {
    for (const table of PERSON_TABLES) {
      const rows = await idsWhere(trx, table, 'person_id', [pid]);
      if (rows.length === 0) continue;
      counts[table] = (counts[table] ?? 0) + rows.length;
      for (const r of rows) {
        lines.push({ id: r.id, kind: table, personId: pid, blobName: r.blob_name ?? null, erasedAt });
        if (r.blob_name) blobNames.push(r.blob_name);
      }
      await removeRows(trx, table, rows.map((r) => r.id));
    }
    if (people.some((p) => p.id === pid)) lines.push({ id: pid, kind: 'people', personId: pid, blobName: null, erasedAt });
  }
  if (people.length) {
    counts['people'] = people.length;
    await removeRows(trx, 'people', people.map((p) => p.id));
    // The trigram index keeps deleted terms in its old segments until they merge: merge them now.
    await trx.raw(`INSERT INTO people_fts(people_fts) VALUES ('optimize')`);
  }
  for (const { household_id: hid } of households) {
    const others = (await trx('people').where({ household_id: hid }).first('id')) as { id: string } | undefined;
    if (others) continue;
    const h = (await trx('households').where({ id: hid }).first('id')) as { id: string } | undefined;
    if (!h) continue;
    counts['households'] = (counts['households'] ?? 0) + 1;
    lines.push({ id: hid, kind: 'households', personId: personIds[0] as string, blobName: null, erasedAt });
    await removeRows(trx, 'households', [hid]);
  }
  await writeRegister(trx, lines, mutator);
  return { counts, blobNames };
}

/** Writes the register lines whose id is not there yet (through the Mutator when given: they travel by sync). */
async function writeRegister(trx: Knex.Transaction, lines: readonly ErasureEntry[], mutator: Mutator | null): Promise<void> {
  if (lines.length === 0) return;
  const known = new Set((await idsWhere(trx, 'erasures', 'id', lines.map((l) => l.id))).map((r) => r.id));
  const rows = lines.filter((l) => !known.has(l.id)).map((l) => ({ id: l.id, kind: l.kind, person_id: l.personId, blob_name: l.blobName, erased_at: l.erasedAt }));
  if (rows.length === 0) return;
  if (mutator) await mutator.with(trx).insert('erasures', rows);
  else {
    const at = new Date().toISOString();
    for (let i = 0; i < rows.length; i += 200) await trx('erasures').insert(rows.slice(i, i + 200).map((r) => ({ ...r, created_at: at, updated_at: at, deleted_at: null, scope_id: 'association' })));
  }
}

/**
 * After a merge (same transaction): removes every row the register names that a merge created or kept, and every
 * record of an erased person that arrived since (a note written offline on another device before it heard of the
 * erasure). With `mutator`, the register lines of those late records are written through it, so they travel by sync:
 * a device that receives only a later edit of such a record (a placeholder row without its person,
 * docs/erasure.md "The erasure register") recognises its id and removes it too. Their `erased_at` is the person's
 * erasure date, so every device that sweeps the same record writes the same line (no conflict). Returns the number of
 * rows removed.
 */
export async function sweepErasures(trx: Knex.Transaction, mutator: Mutator | null = null): Promise<number> {
  const register = await readErasureRegister(trx);
  if (register.length === 0) return 0;
  let removed = 0;
  const byKind = new Map<string, string[]>();
  const erasedAt = new Map<string, string>();
  for (const e of register) {
    let ids = byKind.get(e.kind);
    if (!ids) byKind.set(e.kind, (ids = []));
    ids.push(e.id);
    const at = erasedAt.get(e.personId);
    if (e.kind === 'people' && e.id === e.personId) erasedAt.set(e.personId, e.erasedAt);
    else if (at === undefined || e.erasedAt < at) erasedAt.set(e.personId, e.erasedAt);
  }
  const persons = [...erasedAt.keys()];
  const back = new Set((await idsWhere(trx, 'people', 'id', persons)).map((r) => r.id));
  for (const table of PERSON_TABLES) {
    for (const r of (await idsWhereWith(trx, table, 'person_id', persons)) as { person_id: string }[]) back.add(r.person_id);
  }
  for (const pid of back) removed += Object.values((await eraseRecords(trx, [pid], mutator, erasedAt.get(pid) as string)).counts).reduce((a, b) => a + b, 0);
  for (const [kind, ids] of byKind) {
    if (!(await trx.schema.hasTable(kind))) continue;
    const left = (await idsWhere(trx, kind, 'id', ids)).map((r) => r.id);
    if (left.length === 0) continue;
    await trx.raw('PRAGMA secure_delete = ON');
    await removeRows(trx, kind, left);
    removed += left.length;
  }
  return removed;
}

/** The `person_id` of the rows of `table` whose `column` is one of `values` (chunks of 500). */
async function idsWhereWith(db: Db, table: string, column: string, values: readonly string[]): Promise<{ person_id: string }[]> {
  const out: { person_id: string }[] = [];
  for (let i = 0; i < values.length; i += 500) out.push(...((await db(table).whereIn(column, values.slice(i, i + 500)).distinct('person_id')) as { person_id: string }[]));
  return out;
}

/** The whole register, oldest first (ids, kinds and dates only: safe to copy to a backup destination). */
export async function readErasureRegister(db: Db): Promise<ErasureEntry[]> {
  if (!(await db.schema.hasTable('erasures'))) return [];
  const rows = (await db('erasures').whereNull('deleted_at').orderBy(['erased_at', 'id']).select('id', 'kind', 'person_id', 'blob_name', 'erased_at')) as {
    id: string;
    kind: string;
    person_id: string;
    blob_name: string | null;
    erased_at: string;
  }[];
  return rows.map((r) => ({ id: r.id, kind: r.kind, personId: r.person_id, blobName: r.blob_name, erasedAt: r.erased_at }));
}

/**
 * Re-applies a register to a database restored from before some erasures: every line missing from its register is
 * added (through `mutator` when given, so it travels by sync again), then every record the register names is removed
 * (`sweepErasures`). Returns the rows removed and the blob names the caller must delete from the restored vault.
 */
export async function reapplyErasures(db: Knex, entries: readonly ErasureEntry[], mutator: Mutator | null = null): Promise<{ removed: number; blobNames: string[] }> {
  return db.transaction(async (trx) => {
    await writeRegister(trx, entries, mutator);
    const removed = await sweepErasures(trx);
    const blobNames = (await readErasureRegister(trx)).flatMap((e) => (e.blobName ? [e.blobName] : []));
    return { removed, blobNames };
  });
}
