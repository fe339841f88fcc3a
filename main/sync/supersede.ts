/**
 * Open conflicts (`sync_history.conflict = 1`, not resolved) whose kept value has since been replaced by a newer
 * write — restored on another device, edited again, merged — no longer describe the field: they are marked resolved
 * (`resolved_by = 'sync'`), on every device, as the newer write reaches it.
 */
import type { Knex } from 'knex';

export interface WrittenCell {
  table: string;
  rowId: string;
  column: string;
  hlc: string;
}

/** Resolves the open conflicts of `cells` kept at an older version. One query when there are none. */
export async function supersedeConflicts(trx: Knex.Transaction, cells: Iterable<WrittenCell>, now: string): Promise<number> {
  const open = (await trx('sync_history').where('conflict', 1).whereNull('resolved_at').select('id', 'table_name', 'row_id', 'column_name', 'kept_hlc')) as {
    id: number;
    table_name: string;
    row_id: string;
    column_name: string;
    kept_hlc: string;
  }[];
  if (open.length === 0) return 0;
  const byCell = new Map<string, typeof open>();
  for (const o of open) {
    const key = `${o.table_name}\u0000${o.row_id}\u0000${o.column_name}`;
    byCell.set(key, [...(byCell.get(key) ?? []), o]);
  }
  const done: number[] = [];
  for (const c of cells) {
    for (const o of byCell.get(`${c.table}\u0000${c.rowId}\u0000${c.column}`) ?? []) if (o.kept_hlc < c.hlc) done.push(o.id);
  }
  for (let i = 0; i < done.length; i += 500) await trx('sync_history').whereIn('id', done.slice(i, i + 500)).update({ resolved_at: now, resolved_by: 'sync' });
  return done.length;
}
