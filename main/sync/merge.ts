/**
 * Merge (docs/sync.md "Merge"): per-column last-writer-wins on (HLC, device id) — the HLC string ends with the
 * device id, so comparing strings compares both. Idempotent (a cell already at that version is skipped) and
 * order-independent (the result per cell is the greatest version seen, whatever the order). Runs in the caller's
 * transaction, one per pulled page.
 *
 * Every value that loses is kept in `sync_history` (the local value a newer one replaced, or an incoming value
 * older than the local one); a pair is a conflict when the newer write was made without having seen the older
 * (its recorded `prev` version is older than the other write). Cells for tables or columns this version does not
 * know go to `sync_pending` and are merged after an upgrade (`replayPending`).
 */
import type { Knex } from 'knex';
import { beginBulkLoad } from '../db/bulk';
import { BULK_MIN_ROWS } from '../db/mutations';
import type { CellValue, ChangeSet } from './envelope';
import { isSyncedTable, keepsHistory, refreshDerived, tableColumns, type TableShape } from './tables';
import { supersedeConflicts, type WrittenCell } from './supersede';
import { cellVersion, loadVersions, saveVersions, setCellVersion, type RowVersions } from './versions';

export interface MergeStats {
  applied: number;
  ignored: number;
  conflicts: number;
  pending: number;
}

interface IncomingRow {
  id: string;
  op: ChangeSet['o'];
  hlc: string;
  cells: Record<string, CellValue>;
  prev: Record<string, string>;
}

type Values = Record<string, CellValue>;

/**
 * Merges change sets (from any number of envelopes) into the database. `replay`: the sets are cells taken back from
 * sync_pending (see `replayPending`).
 */
export async function mergeChanges(trx: Knex.Transaction, sets: readonly ChangeSet[], shapes: Map<string, TableShape>, now: string, replay = false): Promise<MergeStats> {
  const stats: MergeStats = { applied: 0, ignored: 0, conflicts: 0, pending: 0 };
  const byTable = new Map<string, IncomingRow[]>();
  for (const s of sets) {
    let list = byTable.get(s.t);
    if (!list) byTable.set(s.t, (list = []));
    for (const [id, cells, prev] of s.r) list.push({ id, op: s.o, hlc: s.h, cells, prev: prev ?? {} });
  }
  for (const [table, rows] of byTable) await mergeTable(trx, table, rows, shapes, now, stats, replay);
  return stats;
}

async function mergeTable(trx: Knex.Transaction, table: string, rows: IncomingRow[], shapes: Map<string, TableShape>, now: string, stats: MergeStats, replay: boolean): Promise<void> {
  const shape = isSyncedTable(table) ? await tableColumns(trx, table, shapes) : null;
  const pending: Record<string, unknown>[] = [];
  const keep = (r: IncomingRow, column: string, reason: string) =>
    pending.push({ table_name: table, row_id: r.id, column_name: column, value: JSON.stringify(r.cells[column] ?? null), hlc: r.hlc, prev: r.prev[column] ?? '', op: r.op, reason, received_at: now });
  if (!shape) {
    for (const r of rows) for (const c of Object.keys(r.cells)) keep(r, c, 'unknown-table');
  } else {
    const known = new Set(shape.synced);
    const ids = [...new Set(rows.map((r) => r.id))];
    const versions = await loadVersions(trx, table, ids);
    const current = await loadRows(trx, table, ids);
    const merged = new Map<string, { values: Values; changed: Set<string>; isNew: boolean }>();
    const history: Record<string, unknown>[] = [];
    const written: WrittenCell[] = [];
    for (const r of rows) {
      let state = merged.get(r.id);
      if (!state) {
        const existing = current.get(r.id);
        merged.set(r.id, (state = { values: existing ? { ...existing } : { id: r.id }, changed: new Set(), isNew: !existing }));
      }
      let v = versions.get(r.id);
      if (!v) versions.set(r.id, (v = { base: '', cols: {}, dirty: true, exists: false }));
      const becomesBase = r.op === 'i' && v.base === '';
      for (const [column, value] of Object.entries(r.cells)) {
        if (!known.has(column)) {
          keep(r, column, 'unknown-column');
          continue;
        }
        const local = cellVersion(v, column);
        if (r.hlc === local.hlc) {
          // A pending cell of an insert: the row's other cells, applied when it arrived, made its HLC the version of
          // every column without one of its own, this one included, but this value was never written.
          if (replay && r.op === 'i' && v.cols[column] === undefined) {
            state.values[column] = value;
            state.changed.add(column);
            stats.applied++;
          } else stats.ignored++;
          continue;
        }
        const prev = r.prev[column] ?? '';
        const old = state.values[column] ?? null;
        if (r.hlc > local.hlc) {
          if (local.hlc !== '' && !state.isNew && old !== value && keepsHistory(table, column)) {
            const conflict = prev < local.hlc;
            history.push(historyRow(table, r.id, column, old, local.hlc, value, r.hlc, conflict, now));
            if (conflict) stats.conflicts++;
          }
          state.values[column] = value;
          state.changed.add(column);
          written.push({ table, rowId: r.id, column, hlc: r.hlc });
          if (becomesBase) {
            if (v.cols[column] !== undefined) {
              delete v.cols[column];
              v.dirty = true;
            }
          } else setCellVersion(v, column, r.hlc, prev);
          stats.applied++;
        } else {
          if (old !== value && keepsHistory(table, column)) {
            const conflict = local.prev < r.hlc;
            history.push(historyRow(table, r.id, column, value, r.hlc, old, local.hlc, conflict, now));
            if (conflict) stats.conflicts++;
          }
          stats.ignored++;
          if (becomesBase) setCellVersion(v, column, local.hlc, local.prev);
        }
      }
      if (becomesBase) {
        v.base = r.hlc;
        v.dirty = true;
      }
    }
    await writeRows(trx, table, shape, merged);
    await saveVersions(trx, table, versions);
    await supersedeConflicts(trx, written, now);
    for (let i = 0; i < history.length; i += 100) await trx('sync_history').insert(history.slice(i, i + 100));
  }
  for (let i = 0; i < pending.length; i += 100) await trx('sync_pending').insert(pending.slice(i, i + 100));
  stats.pending += pending.length;
}

function historyRow(table: string, rowId: string, column: string, value: CellValue, hlc: string, kept: CellValue, keptHlc: string, conflict: boolean, now: string) {
  return { table_name: table, row_id: rowId, column_name: column, value: JSON.stringify(value), hlc, kept_value: JSON.stringify(kept), kept_hlc: keptHlc, conflict: conflict ? 1 : 0, recorded_at: now };
}

async function loadRows(trx: Knex.Transaction, table: string, ids: string[]): Promise<Map<string, Values>> {
  const out = new Map<string, Values>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of (await trx(table).whereIn('id', ids.slice(i, i + 500)).select('*')) as Values[]) out.set(r['id'] as string, r);
  }
  return out;
}

/**
 * Inserts the rows new here (placeholders for NOT NULL columns still unknown) and updates the changed ones, both in
 * multi-row statements of ≤ 500 rows grouped by column set (a pull after a week offline updates thousands of rows).
 */
async function writeRows(trx: Knex.Transaction, table: string, shape: TableShape, merged: Map<string, { values: Values; changed: Set<string>; isNew: boolean }>): Promise<void> {
  const inserts = new Map<string, Values[]>();
  const updates = new Map<string, Values[]>();
  const add = (groups: Map<string, Values[]>, row: Values) => {
    const key = Object.keys(row).sort().join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(row);
  };
  for (const [id, m] of merged) {
    if (m.changed.size === 0) continue;
    const derived = refreshDerived(table, m.values);
    if (m.isNew) {
      const row: Values = {};
      for (const c of m.changed) row[c] = m.values[c] ?? null;
      for (const req of shape.required) if (row[req.name] === undefined || row[req.name] === null) row[req.name] = req.placeholder;
      row['id'] = id;
      if (derived) Object.assign(row, derived);
      add(inserts, row);
    } else {
      const set: Values = {};
      for (const c of m.changed) if (c !== 'id') set[c] = m.values[c] ?? null;
      // Only the derived columns that change: rewriting search_text would rewrite the row's full-text entry too.
      if (derived) for (const [c, v] of Object.entries(derived)) if (m.values[c] !== v) set[c] = v;
      if (Object.keys(set).length === 0) continue;
      set['id'] = id;
      add(updates, set);
    }
  }
  let count = 0;
  for (const group of inserts.values()) count += group.length;
  const bulk = (await wantsBulk(trx, table, count)) ? await beginBulkLoad(trx, table) : null;
  try {
    for (const group of inserts.values()) for (const part of batches(group)) await insertValues(trx, table, part);
    await bulk?.finish();
  } catch (e) {
    await bulk?.abort();
    throw e;
  }
  for (const group of updates.values()) for (const part of batches(group)) await updateValues(trx, table, part);
}

/**
 * A first pull inserts a whole association: into people, with its indexes and full-text trigger dropped and rebuilt
 * once (main/db/bulk.ts), on the terms of the Mutator's own bulk inserts (main/db/mutations.ts `wantsBulk`): at
 * least BULK_MIN_ROWS rows that add at least a quarter of the table.
 */
async function wantsBulk(trx: Knex.Transaction, table: string, rows: number): Promise<boolean> {
  if (table !== 'people' || rows < BULK_MIN_ROWS) return false;
  const existing = Number(((await trx.raw(`SELECT coalesce(max(rowid), 0) AS m FROM "${table}"`)) as { m: number }[])[0]?.m ?? 0);
  return rows >= existing / 4;
}

/** Slices of ≤ 500 rows and ≤ 30,000 bound values (SQLite allows 32,766). */
function* batches(rows: Values[]): Generator<Values[]> {
  const per = Math.min(500, Math.max(1, Math.floor(30_000 / Object.keys(rows[0]!).length)));
  for (let i = 0; i < rows.length; i += per) yield rows.slice(i, i + per);
}

/** One multi-row `INSERT … VALUES` (rows share their column set). */
async function insertValues(trx: Knex.Transaction, table: string, rows: Values[]): Promise<void> {
  const cols = Object.keys(rows[0]!);
  const bindings: CellValue[] = [];
  for (const r of rows) for (const c of cols) bindings.push(r[c] ?? null);
  const tuple = `(${cols.map(() => '?').join(',')})`;
  await trx.raw(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES ${rows.map(() => tuple).join(',')}`, bindings);
}

/** One `WITH v(id, …) AS (VALUES …) UPDATE … FROM v` (SQLite ≥ 3.33) for rows sharing their column set, id included. */
async function updateValues(trx: Knex.Transaction, table: string, rows: Values[]): Promise<void> {
  const cols = Object.keys(rows[0]!).filter((c) => c !== 'id');
  const names = ['id', ...cols];
  const bindings: CellValue[] = [];
  for (const r of rows) for (const c of names) bindings.push(r[c] ?? null);
  const tuple = `(${names.map(() => '?').join(',')})`;
  await trx.raw(
    `WITH v(${names.map((c) => `"${c}"`).join(',')}) AS (VALUES ${rows.map(() => tuple).join(',')})
     UPDATE "${table}" SET ${cols.map((c) => `"${c}" = v."${c}"`).join(',')} FROM v WHERE "${table}".id = v.id`,
    bindings,
  );
}

/** Merges the pending cells whose table and column this version now knows (after an upgrade). Returns how many. */
export async function replayPending(trx: Knex.Transaction, shapes: Map<string, TableShape>, now: string): Promise<MergeStats> {
  const rows = (await trx('sync_pending').orderBy('id').select('*')) as { id: number; table_name: string; row_id: string; column_name: string; value: string | null; hlc: string; prev: string; op: ChangeSet['o'] }[];
  const ready: typeof rows = [];
  for (const r of rows) {
    const shape = isSyncedTable(r.table_name) ? await tableColumns(trx, r.table_name, shapes) : null;
    if (shape?.synced.includes(r.column_name)) ready.push(r);
  }
  if (ready.length === 0) return { applied: 0, ignored: 0, conflicts: 0, pending: rows.length };
  const sets: ChangeSet[] = ready.map((r) => ({ t: r.table_name, o: r.op, h: r.hlc, r: [[r.row_id, { [r.column_name]: parseCell(r.value) }, r.prev ? { [r.column_name]: r.prev } : {}]] }));
  for (let i = 0; i < ready.length; i += 500) await trx('sync_pending').whereIn('id', ready.slice(i, i + 500).map((r) => r.id)).delete();
  const stats = await mergeChanges(trx, sets, shapes, now, true);
  return { ...stats, pending: rows.length - ready.length + stats.pending };
}

function parseCell(json: string | null): CellValue {
  try {
    const v: unknown = JSON.parse(json ?? 'null');
    return typeof v === 'string' || typeof v === 'number' || v === null ? v : null;
  } catch {
    return null;
  }
}

export type { RowVersions };
