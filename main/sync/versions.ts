/**
 * Cell versions (`sync_versions`, 0030_sync): for each synced row the HLC of its insert and, for each column
 * written since, "hlc|prev". The version of a cell is its own entry or the row's insert HLC; '' when unknown
 * (a placeholder written before the row's insert arrived: any real write wins over it).
 */
import { HLC_PATTERN } from '../../shared/sync/protocol';
import { STATE, type Db } from './state';

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

/** `<13 digits>-<4 hex>-<something>`: the shape of an HLC, for SQLite's GLOB (HLC_PATTERN checks the rest). */
const HLC_GLOB = `${'[0-9]'.repeat(13)}-${'[0-9a-f]'.repeat(4)}-?*`;

/**
 * The greatest HLC this database holds ('' when none): its own writes (change_log), the versions of merged cells
 * (sync_versions, base and per column: one scan of the table) and `max_seen_hlc` (sync_state). A clock created at
 * start-up observes it, so a wall clock set back while the app was closed cannot date a new write before a version
 * already here: such a write would be kept here and lose everywhere else.
 */
export async function maxKnownHlc(db: Db): Promise<string> {
  // Only values shaped like an HLC count, and only valid JSON objects are read: a damaged row must neither make the
  // query fail nor seed the clock with garbage (either would stop every unlock, the session seeding its clock first).
  const rows = (await db.raw(
    `SELECT max(h) AS h FROM (
       SELECT max(hlc) AS h FROM change_log WHERE hlc GLOB ?
       UNION ALL SELECT max(base_hlc) FROM sync_versions WHERE base_hlc GLOB ?
       UNION ALL SELECT max(v) FROM (
         SELECT substr(j.value, 1, instr(j.value, '|') - 1) AS v
         FROM sync_versions, json_each(CASE WHEN json_valid(sync_versions.cols) AND json_type(sync_versions.cols) = 'object' THEN sync_versions.cols ELSE '{}' END) AS j
         WHERE sync_versions.cols IS NOT NULL AND j.type = 'text') WHERE v GLOB ?
       UNION ALL SELECT value FROM sync_state WHERE key = ? AND value GLOB ?)`,
    [HLC_GLOB, HLC_GLOB, HLC_GLOB, STATE.maxSeenHlc, HLC_GLOB],
  )) as { h: string | null }[];
  const h = rows[0]?.h ?? '';
  return HLC_PATTERN.test(h) ? h : '';
}
