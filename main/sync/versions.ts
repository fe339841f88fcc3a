/**
 * Cell versions (`sync_versions`, 0030_sync): for each synced row the HLC of its insert and, for each column
 * written since, "hlc|prev". The version of a cell is its own entry or the row's insert HLC; '' when unknown
 * (a placeholder written before the row's insert arrived: any real write wins over it).
 */
import type { Db } from './state';

export interface RowVersions {
  base: string;
  cols: Record<string, string>;
  dirty: boolean;
  exists: boolean;
}

export function cellVersion(v: RowVersions | undefined, column: string): { hlc: string; prev: string } {
  if (!v) return { hlc: '', prev: '' };
  const own = v.cols[column];
  if (own !== undefined) {
    const bar = own.indexOf('|');
    return { hlc: own.slice(0, bar), prev: own.slice(bar + 1) };
  }
  return { hlc: v.base, prev: '' };
}

export function setCellVersion(v: RowVersions, column: string, hlc: string, prev: string): void {
  v.cols[column] = `${hlc}|${prev}`;
  v.dirty = true;
}

const CHUNK = 500;

/** Versions of `rowIds` of `table` (rows without a record are absent from the map). */
export async function loadVersions(db: Db, table: string, rowIds: readonly string[]): Promise<Map<string, RowVersions>> {
  const out = new Map<string, RowVersions>();
  for (let i = 0; i < rowIds.length; i += CHUNK) {
    const rows = (await db('sync_versions')
      .where('table_name', table)
      .whereIn('row_id', rowIds.slice(i, i + CHUNK))
      .select('row_id', 'base_hlc', 'cols')) as { row_id: string; base_hlc: string; cols: string | null }[];
    for (const r of rows) out.set(r.row_id, { base: r.base_hlc, cols: parseCols(r.cols), dirty: false, exists: true });
  }
  return out;
}

function parseCols(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    const v: unknown = JSON.parse(json);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, string> = {};
      for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
      return out;
    }
  } catch {
    // a damaged record: treat as unknown versions (the next writes set them again)
  }
  return {};
}

/** Writes back the changed records (multi-row upserts of ≤ 500 rows). */
export async function saveVersions(db: Db, table: string, versions: Map<string, RowVersions>): Promise<void> {
  const dirty = [...versions.entries()].filter(([, v]) => v.dirty);
  for (let i = 0; i < dirty.length; i += CHUNK) {
    const part = dirty.slice(i, i + CHUNK);
    const bindings: (string | null)[] = [];
    for (const [id, v] of part) bindings.push(table, id, v.base, Object.keys(v.cols).length ? JSON.stringify(v.cols) : null);
    await db.raw(
      `INSERT INTO sync_versions (table_name, row_id, base_hlc, cols) VALUES ${part.map(() => '(?,?,?,?)').join(',')}
       ON CONFLICT (table_name, row_id) DO UPDATE SET base_hlc = excluded.base_hlc, cols = excluded.cols`,
      bindings,
    );
    for (const [, v] of part) {
      v.dirty = false;
      v.exists = true;
    }
  }
}
