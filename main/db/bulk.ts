/**
 * Bulk load: inserting many rows into a table is several times faster without its secondary indexes and its
 * per-row AFTER INSERT triggers (for `people`: five B-tree indexes in random key order and the FTS5 trigram
 * postings, written row by row). `beginBulkLoad` drops them, the caller inserts, and `finish` rebuilds them once:
 * each trigger's work is replayed for all new rows in one `INSERT … SELECT`, each index is re-created from the SQL
 * SQLite kept for it (sqlite_master), so nothing here copies a definition. Measured: docs/performance.md.
 *
 * Everything happens inside a SAVEPOINT of the caller's transaction. SQLite's DDL is transactional, so `abort`
 * (or a rollback of the transaction) brings the indexes and triggers back together with the table as it was, even
 * if the caller then catches the error and commits.
 *
 * While a bulk load is open the table has no secondary index and its replayed triggers do not fire: only inserts
 * into it (rowids growing past the maximum taken at the start) belong between `begin` and `finish`; update the new
 * rows after `finish`.
 */
import type { Knex } from 'knex';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;

interface SchemaObject {
  type: 'index' | 'trigger';
  name: string;
  sql: string;
}

export interface BulkLoad {
  /**
   * Statements (no parameters) doing the dropped triggers' work for the rows inserted since they last ran; a caller
   * may run them after each part it inserts (on SQLite's thread, while it prepares the next part) so that `finish`
   * has less left to do. Empty when no trigger was dropped.
   */
  readonly catchUpSql: readonly string[];
  /** Fills what the dropped triggers would have written for the new rows, re-creates indexes and triggers, releases the savepoint. */
  finish(): Promise<void>;
  /** Rolls back to the start of the bulk load: inserted rows gone, indexes and triggers back. */
  abort(): Promise<void>;
}

const unquote = (s: string) => s.trim().replace(/^["`[]|["`\]]$/g, '');

/**
 * For an `AFTER INSERT ON <table> [FOR EACH ROW] BEGIN INSERT INTO t(cols) VALUES (new.a, new.b, …); … END`
 * trigger (no WHEN clause, only such inserts, every value a `new.<column>`), the statements that do its work for
 * every row with rowid in (?, ?]: `INSERT INTO t(cols) SELECT a, b, … FROM <table> WHERE rowid > ? AND rowid <= ? ORDER BY rowid`.
 * Null for any other trigger (it is then left in place and fires per row as usual).
 */
export function replayInsertTrigger(sql: string, table: string): string[] | null {
  const m = /^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+AFTER\s+INSERT\s+ON\s+(\S+)\s+(?:FOR\s+EACH\s+ROW\s+)?BEGIN\s+([\s\S]*?)\s*END\s*;?\s*$/i.exec(sql);
  if (!m || unquote(m[1] ?? '') !== table) return null;
  const statements = (m[2] ?? '').split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (statements.length === 0) return null;
  const out: string[] = [];
  for (const statement of statements) {
    const ins = /^INSERT\s+INTO\s+(\S+?)\s*\(([^()]*)\)\s*VALUES\s*\(([^()]*)\)$/i.exec(statement);
    if (!ins) return null;
    const target = unquote(ins[1] ?? '');
    const cols = (ins[2] ?? '').split(',').map(unquote);
    const values = (ins[3] ?? '').split(',').map((v) => /^new\.(\S+)$/i.exec(v.trim())?.[1]).map((v) => (v === undefined ? undefined : unquote(v)));
    if (cols.length !== values.length || ![target, ...cols].every((c) => IDENTIFIER.test(c))) return null;
    if (!values.every((v): v is string => v !== undefined && IDENTIFIER.test(v))) return null;
    out.push(`INSERT INTO "${target}"(${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${values.map((v) => `"${v}"`).join(', ')} FROM "${table}" WHERE rowid > ? AND rowid <= ? ORDER BY rowid`);
  }
  return out;
}

let savepoints = 0;

/** Page cache during a bulk load, as `PRAGMA cache_size` counts it (negative: KiB): 128 MiB. */
const BULK_CACHE_KIB = -131_072;

/**
 * Starts a bulk load of `table` inside `trx` (a knex transaction: required, as the dropped objects must come back
 * whatever happens). Drops the table's explicit indexes (automatic ones such as the primary key's stay) and its
 * AFTER INSERT triggers that `replayInsertTrigger` can replay.
 */
export async function beginBulkLoad(trx: Knex.Transaction, table: string): Promise<BulkLoad> {
  if (!trx.isTransaction) throw new Error('beginBulkLoad needs a transaction');
  if (!IDENTIFIER.test(table)) throw new Error(`invalid SQL identifier: ${table}`);
  const savepoint = `bulk_load_${++savepoints}`;
  await trx.raw(`SAVEPOINT ${savepoint}`);
  try {
    const objects = (await trx.raw(
      "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
      [table],
    )) as SchemaObject[];
    const maxRowid = Number(((await trx.raw(`SELECT coalesce(max(rowid), 0) AS m FROM "${table}"`)) as { m: number }[])[0]?.m ?? 0);
    const dropped: SchemaObject[] = [];
    const replays: string[] = [];
    for (const o of objects) {
      if (o.type === 'trigger') {
        const replay = replayInsertTrigger(o.sql, table);
        if (!replay) continue;
        replays.push(...replay);
      }
      dropped.push(o);
    }
    for (const o of dropped) await trx.raw(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name.replace(/"/g, '""')}"`);
    let done = false;
    // The last rowid whose trigger work is done, kept in SQL so the catch-up needs no round trip through JS.
    const mark = `temp."${savepoint}"`;
    const catchUpSql =
      replays.length === 0
        ? []
        : [
            ...replays.map((sql) => sql.replace('rowid > ? AND rowid <= ?', `rowid > (SELECT v FROM ${mark})`)),
            `UPDATE ${mark} SET v = (SELECT coalesce(max(rowid), 0) FROM "${table}")`,
          ];
    if (replays.length > 0) {
      await trx.raw(`CREATE TEMP TABLE "${savepoint}" (v INTEGER NOT NULL)`);
      await trx.raw(`INSERT INTO ${mark} (v) VALUES (?)`, [maxRowid]);
    }
    // A larger page cache while loading (PRAGMA cache_size is not transactional: given back by finish and abort):
    // fewer pages spilled (encrypted) mid-transaction, and the index sorts stay in memory (100k people: index
    // rebuild ≈ 0.55 → 0.35 s).
    const cacheSize = Number(((await trx.raw('PRAGMA cache_size')) as { cache_size: number }[])[0]?.cache_size ?? 0);
    const raise = cacheSize < 0 ? cacheSize > BULK_CACHE_KIB : cacheSize * 4 < -BULK_CACHE_KIB; // ≥ 0: pages of ≈ 4 KiB
    if (raise) await trx.raw(`PRAGMA cache_size = ${BULK_CACHE_KIB}`);
    const restoreCache = async () => {
      if (raise) await trx.raw(`PRAGMA cache_size = ${cacheSize}`);
    };
    const abort = async () => {
      if (done) return;
      done = true;
      await trx.raw(`ROLLBACK TO ${savepoint}`);
      await trx.raw(`RELEASE ${savepoint}`);
      await restoreCache();
    };
    return {
      abort,
      catchUpSql,
      async finish() {
        if (done) throw new Error('bulk load already finished');
        try {
          for (const sql of catchUpSql) await trx.raw(sql);
          if (replays.length > 0) await trx.raw(`DROP TABLE ${mark}`);
          for (const o of dropped) await trx.raw(o.sql);
          await restoreCache();
        } catch (e) {
          await abort();
          throw e;
        }
        done = true;
        await trx.raw(`RELEASE ${savepoint}`);
      },
    };
  } catch (e) {
    await trx.raw(`ROLLBACK TO ${savepoint}`);
    await trx.raw(`RELEASE ${savepoint}`);
    throw e;
  }
}
