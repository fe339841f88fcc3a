/**
 * The one write path for synced tables (DESIGN.md "Data model rules"): inserts get a UUIDv7 id and timestamps,
 * updates write only the columns that changed, deletes are tombstones, and each write call records one `change_log`
 * (outbox) entry — the ids of the rows and the names of the columns it wrote, one HLC timestamp, the device id —
 * inside the caller's transaction. Values are not copied: the sync engine reads them at push time (0010_initial.ts).
 *
 * Inserts are multi-row `INSERT … VALUES (…), (…)` statements (SQLite ≥ 3.7.11) of ≤ 500 rows. knex's sqlite3
 * dialect compiles a multi-row insert as `INSERT … SELECT … UNION ALL SELECT …`, slower to build in JS and to parse
 * and plan in SQLite (docs/performance.md). Missing columns are NULL, as with knex's `useNullAsDefault`.
 */
import type { Knex } from 'knex';
import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { HybridLogicalClock } from '../sync/hlc';
import type { Clock } from '../core/ports';
import { beginBulkLoad, type BulkLoad } from './bulk';

export type Row = Record<string, string | number | null>;

export const ASSOCIATION_SCOPE = 'association';

/** Rows per INSERT statement: SQLite's default limit of 32,766 bound variables allows ≥ 500 rows of ≤ 65 columns. */
const CHUNK = 500;

/** Inserts of at least this many rows into a table listed in BULK_TABLES go through `beginBulkLoad` (main/db/bulk.ts)… */
export const BULK_MIN_ROWS = 2000;
/** …when they also add at least a quarter of the rows already there (rebuilding the indexes costs in table size). */
const BULK_MIN_SHARE = 0.25;
/** Tables whose indexes and triggers are worth dropping for a large insert (people: FTS5 trigram + 5 indexes). */
const BULK_TABLES = new Set(['people']);

const isTransaction = (db: Knex | Knex.Transaction): db is Knex.Transaction => (db as Knex.Transaction).isTransaction === true;

export class Mutator {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly hlc: HybridLogicalClock,
    private readonly clock: Clock,
  ) {}

  /** A Mutator writing inside `trx`. */
  with(trx: Knex.Transaction): Mutator {
    return new Mutator(trx, this.hlc, this.clock);
  }

  /**
   * Inserts rows (chunks of ≤ 500, multi-row VALUES) and returns their ids, with one `change_log` entry for the
   * whole call. Rows may carry their own `id`. Large inserts into people use the bulk load (see `insertWriter`).
   * Outside a transaction the call gets one, so the rows and their entry (and, for a bulk load, the dropped indexes)
   * always come back together.
   */
  async insert(table: string, rows: Row[]): Promise<string[]> {
    // Outside a transaction, one of its own: the rows and their change_log entry commit together or not at all.
    if (!isTransaction(this.db)) return this.db.transaction((trx) => this.with(trx).insert(table, rows));
    const writer = await this.insertWriter(table, rows.length);
    try {
      const ids = await writer.add(rows);
      await writer.close();
      return ids;
    } catch (e) {
      await writer.abort();
      throw e;
    }
  }

  /**
   * One insert write made of several parts, for callers that prepare rows while earlier ones are written (imports):
   * `add` each part (await it before the next `add`), then
   * `close` (one `change_log` entry for every row added), or `abort` on error. `expectedRows` ≥ BULK_MIN_ROWS on a
   * BULK_TABLES table inside a transaction opens a bulk load (indexes and insert triggers rebuilt at `close`).
   */
  async insertWriter(table: string, expectedRows: number): Promise<InsertWriter> {
    checkIdentifier(table);
    const bulk = isTransaction(this.db) && (await this.wantsBulk(table, expectedRows)) ? await beginBulkLoad(this.db, table) : null;
    return new InsertWriter(this.db, table, this.clock.now().toISOString(), bulk, (ids, columns) => this.appendLog(table, 'insert', ids, columns));
  }

  private async wantsBulk(table: string, rows: number): Promise<boolean> {
    if (rows < BULK_MIN_ROWS || !BULK_TABLES.has(table)) return false;
    const existing = Number(((await this.db.raw(`SELECT coalesce(max(rowid), 0) AS m FROM "${table}"`)) as { m: number }[])[0]?.m ?? 0);
    return rows >= existing * BULK_MIN_SHARE;
  }

  /**
   * Writes the columns of `changes` that differ from the stored row. Returns the names of the changed columns.
   * `together`: columns recorded as written whenever anything changes, even if their value did not (a signed row's
   * deciding columns travel with their signature, so a per-column merge keeps them consistent: docs/access.md).
   * Outside a transaction, opens one: the row and its change_log entry commit together.
   */
  async update(table: string, id: string, changes: Row, together: readonly string[] = []): Promise<string[]> {
    if (!isTransaction(this.db)) return this.db.transaction((trx) => this.with(trx).update(table, id, changes, together));
    const current = (await this.db(table).where({ id }).first()) as Row | undefined;
    if (!current) return [];
    const changed: Row = {};
    for (const [k, v] of Object.entries(changes)) if (current[k] !== v) changed[k] = v;
    const names = Object.keys(changed);
    if (names.length === 0) return [];
    const updatedAt = this.clock.now().toISOString();
    await this.db(table).where({ id }).update({ ...changed, updated_at: updatedAt });
    await this.appendLog(table, 'update', [id], [...names, ...together, 'updated_at']);
    return names;
  }

  /** A fresh HLC timestamp of this device (the revision of a signed decision: main/crypto/accessRecords.ts). */
  stamp(): string {
    return this.hlc.tick();
  }

  /** Marks a row deleted (tombstone); rows are never removed. Outside a transaction, opens one (row + entry). */
  async tombstone(table: string, id: string): Promise<void> {
    if (!isTransaction(this.db)) return this.db.transaction((trx) => this.with(trx).tombstone(table, id));
    const at = this.clock.now().toISOString();
    await this.db(table).where({ id }).update({ deleted_at: at, updated_at: at });
    await this.appendLog(table, 'delete', [id], ['deleted_at', 'updated_at']);
  }

  /** One outbox entry: the rows and columns a write touched, one HLC timestamp, the device id (no values). */
  private async appendLog(table: string, op: 'insert' | 'update' | 'delete', rowIds: string[], columns: Iterable<string>): Promise<void> {
    if (rowIds.length === 0) return;
    const tx = (await hasTxColumn(this.db)) ? { tx: transactionId(this.db) } : {};
    await this.db('change_log').insert({
      hlc: this.hlc.tick(),
      device_id: this.hlc.deviceId,
      table_name: table,
      op,
      row_ids: JSON.stringify(rowIds),
      columns: JSON.stringify([...new Set(columns)].sort()),
      ...tx,
    });
  }
}

/** See `Mutator.insertWriter`. */
export class InsertWriter {
  private readonly ids: string[] = [];
  private readonly columns = new Set<string>(['id', 'scope_id', 'created_at', 'updated_at', 'deleted_at']);
  private finished = false;
  private connection: DriverConnection | null | undefined;
  private readonly statements = new Map<string, DriverStatement>();

  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly table: string,
    private readonly now: string,
    private readonly bulk: BulkLoad | null,
    private readonly log: (ids: string[], columns: Set<string>) => Promise<void>,
  ) {}

  /** Writes the rows (each gets scope_id, id, created_at, updated_at, deleted_at) and returns their ids. */
  async add(rows: readonly Row[]): Promise<string[]> {
    if (this.finished) throw new Error('insert writer closed');
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = i === 0 && rows.length <= CHUNK ? rows : rows.slice(i, i + CHUNK);
      const { sql, bindings, chunkIds } = this.statement(chunk);
      // Bulk load: the new rows go into the FTS table right after each part, so that `close` only rebuilds the indexes.
      await this.exec(sql, bindings, this.bulk?.catchUpSql ?? []);
      for (const id of chunkIds) ids.push(id);
    }
    for (const id of ids) this.ids.push(id);
    return ids;
  }

  /** Rebuilds what a bulk load dropped and appends the one `change_log` entry of this write. */
  async close(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.bulk?.finish();
    await this.log(this.ids, this.columns);
  }

  /** After an error: undoes a bulk load (rows and dropped objects); without one, the caller's transaction undoes the rows. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.bulk?.abort();
  }

  /**
   * One multi-row `INSERT … VALUES (…), (…)` without copying the rows. NULLs and the writer's own constants (its
   * ISO timestamp, the default scope) are written as SQL literals, every other value is bound (binding costs per
   * value, nulls included, and a third of a person's columns are usually null).
   */
  private statement(rows: readonly Row[]): { sql: string; bindings: (string | number)[]; chunkIds: string[] } {
    const given: string[] = [];
    const seen = new Set<string>(['id', 'scope_id', 'created_at', 'updated_at', 'deleted_at']);
    for (const r of rows) {
      for (const k in r) {
        if (!seen.has(k)) {
          seen.add(k);
          checkIdentifier(k);
          given.push(k);
        }
      }
    }
    for (const k of given) this.columns.add(k);
    const n = given.length;
    const bindings: (string | number)[] = [];
    const chunkIds: string[] = new Array(rows.length);
    const tuples: string[] = new Array(rows.length);
    const stamps = ISO_INSTANT.test(this.now) ? `'${this.now}','${this.now}',NULL` : '?,?,NULL';
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as Row;
      const own = r['id'];
      const id = typeof own === 'string' ? own : newId();
      chunkIds[i] = id;
      bindings.push(id);
      let tuple = '(?,';
      const scope = r['scope_id'];
      if (scope === undefined || scope === null || scope === ASSOCIATION_SCOPE) tuple += `'${ASSOCIATION_SCOPE}',`;
      else {
        tuple += '?,';
        bindings.push(scope);
      }
      tuple += stamps;
      if (stamps[0] === '?') bindings.push(this.now, this.now);
      for (let c = 0; c < n; c++) {
        const v = r[given[c] as string];
        if (v === null || v === undefined) tuple += ',NULL';
        else {
          tuple += ',?';
          bindings.push(v);
        }
      }
      tuples[i] = tuple + ')';
    }
    const sql = `insert into "${this.table}" ("id","scope_id","created_at","updated_at","deleted_at"${given.map((c) => `,"${c}"`).join('')}) values ${tuples.join(',')}`;
    return { sql, bindings, chunkIds };
  }

  /**
   * Runs one statement, then `then` (no parameters). In a transaction, straight on its better-sqlite3 connection
   * (prepare, run: synchronous, on this thread): knex's raw path would add a scan of the SQL for `?` and a copy of the
   * bindings per statement (≈ 5 µs per row). Elsewhere through knex.
   */
  private async exec(sql: string, bindings: (string | number)[], then: readonly string[]): Promise<void> {
    if (this.connection === undefined) this.connection = isTransaction(this.db) ? await transactionConnection(this.db) : null;
    const conn = this.connection;
    if (!conn || (this.db as Knex.Transaction).isCompleted()) {
      await this.db.raw(sql, bindings);
      for (const next of then) await this.db.raw(next);
      return;
    }
    conn.prepare(sql).run(bindings);
    for (const next of then) this.prepared(conn, next).run();
  }

  /** Statements run after every part (the bulk load's catch-up) are prepared once per writer. */
  private prepared(conn: DriverConnection, sql: string): DriverStatement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = conn.prepare(sql)));
    return statement;
  }
}

/**
 * Whether change_log has its `tx` column (0030_sync): false only while an older schema is open (tests pinned to a
 * migration, or the steps of a migration itself). Asked once per database (knex's config object, shared with its
 * transactions).
 */
const txColumn = new WeakMap<object, Promise<boolean>>();
function hasTxColumn(db: Knex | Knex.Transaction): Promise<boolean> {
  const key = (db as unknown as { client: { config: object } }).client.config;
  let known = txColumn.get(key);
  if (!known) {
    known = (db.raw(`SELECT count(*) AS n FROM pragma_table_info('change_log') WHERE name = 'tx'`) as Promise<{ n: number }[]>).then((r) => Number(r[0]?.n ?? 0) > 0);
    txColumn.set(key, known);
  }
  return known.then((has) => {
    // Not cached while false: the schema may be migrated later on the same handle.
    if (!has) txColumn.delete(key);
    return has;
  });
}

/** One id per knex transaction object: the writes of one transaction share it (one envelope per transaction and scope). */
const txIds = new WeakMap<object, string>();
function transactionId(db: Knex | Knex.Transaction): string | null {
  if (!isTransaction(db)) return null;
  let id = txIds.get(db);
  if (!id) txIds.set(db, (id = newId()));
  return id;
}

/** `2026-11-21T09:00:00.000Z`: safe to write as an SQL literal. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface DriverStatement {
  run(...bindings: unknown[]): unknown;
}

interface DriverConnection {
  prepare(sql: string): DriverStatement;
}

/** The better-sqlite3 connection a knex transaction holds (knex's transaction client hands it out), or null. */
async function transactionConnection(trx: Knex.Transaction): Promise<DriverConnection | null> {
  const client = (trx as unknown as { client?: { acquireConnection?: () => Promise<unknown> } }).client;
  const conn = client?.acquireConnection ? await client.acquireConnection() : null;
  const c = conn as Partial<DriverConnection> | null;
  return c && typeof c.prepare === 'function' ? (c as DriverConnection) : null;
}

/**
 * A UUIDv7, monotonic within this process (uuid's own algorithm: a random 31-bit sequence per millisecond, then
 * +1), with its random bytes taken from a pool filled 8 KiB at a time: `uuidv7()` asks the OS for 16 bytes per id,
 * ≈ 3 µs, a tenth of the time of a whole person row in an import.
 */
function newId(): string {
  if (idPoolAt + 16 > idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  const random = idPool.subarray(idPoolAt, (idPoolAt += 16));
  const now = Date.now();
  if (now > idState.msecs) {
    idState.msecs = now;
    idState.seq = (((random[6] as number) & 0x7f) << 24) | ((random[7] as number) << 16) | ((random[8] as number) << 8) | (random[9] as number);
  } else {
    idState.seq = (idState.seq + 1) | 0;
    if (idState.seq === 0) idState.msecs++;
  }
  return uuidv7({ msecs: idState.msecs, seq: idState.seq, random });
}
const idPool = new Uint8Array(8192);
let idPoolAt = idPool.length;
const idState = { msecs: -Infinity, seq: 0 };

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Table and column names come from code, never from users; they are checked anyway. */
function checkIdentifier(name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`invalid SQL identifier: ${name}`);
}
