/**
 * Capture (docs/sync.md "Capture"): turns the change_log entries written since the last capture into sealed,
 * signed envelopes in `sync_outbox`, one per local transaction and row scope (split every 500 rows), and records
 * each cell's version. Runs inside the caller's transaction, always before a merge, so a value read here is the
 * one the local write left (a merge never ran in between) and the versions say what the writer had seen.
 *
 * When a cell was written several times since the last capture, only its latest write is sent (its value is the
 * only one still known: the change log holds no values).
 *
 * A write dated by another device id (a folder restored from a backup: docs/backup.md "Nothing written before the
 * backup is lost") is sent with its HLC rebased on this device (`rebaseHlc`: same time, this device's id), and a
 * cell a merge has since moved past that write is not sent again (its newer value is already the others').
 */
import type { Knex } from 'knex';
import type { EnvelopeHeader } from '../../shared/sync/protocol';
import { audienceOf, routingScope, sealEnvelope, type CellValue, type ChangeSet } from './envelope';
import { rebaseHlc } from './hlc';
import { intState, setState, STATE, stringListState } from './state';
import { supersedeConflicts, type WrittenCell } from './supersede';
import { isSyncedTable, tableColumns, type TableShape } from './tables';
import { cellVersion, loadVersions, saveVersions, setCellVersion, type RowVersions } from './versions';

export interface DeviceIdentity {
  associationId: string;
  deviceId: string;
  signSecretKey: Uint8Array;
  /** Sync key of the association scope (envelope layer; narrower rows' fields are already sealed to their scope). */
  syncKey: Uint8Array;
  /** Schema version written into headers (number of migrations). */
  schema: number;
}

interface LogEntry {
  seq: number;
  hlc: string;
  table_name: string;
  op: 'insert' | 'update' | 'delete';
  row_ids: string;
  columns: string;
  tx: string | null;
}

const ROWS_PER_ENVELOPE = 500;
const READ_CHUNK = 500;
const OPS = { insert: 'i', update: 'u', delete: 'd' } as const;

/** Captures every new change_log entry. Returns the number of envelopes and cells queued. */
export async function captureOutbox(trx: Knex.Transaction, device: DeviceIdentity, shapes: Map<string, TableShape>, now: string): Promise<{ envelopes: number; changes: number }> {
  const from = await intState(trx, STATE.capturedSeq, 0);
  const entries = (await trx('change_log').where('seq', '>', from).orderBy('seq').select('seq', 'hlc', 'table_name', 'op', 'row_ids', 'columns', 'tx')) as LogEntry[];
  if (entries.length === 0) return { envelopes: 0, changes: 0 };
  // A damaged entry (row list or columns not a JSON list of strings, unknown operation) is skipped: its rows are
  // still here, but nothing says what it wrote. Throwing instead would stop every capture, and so every merge, for good.
  const parsed = entries.map((e) => {
    const rows = stringListState(e.row_ids);
    const cols = stringListState(e.columns);
    return { ...e, rows: rows && cols && Object.hasOwn(OPS, e.op) ? rows : [], cols: cols ?? [] };
  });
  const overrides = claimLatest(parsed);
  const out = new EnvelopeWriter(trx, device, now, await nextDeviceSeq(trx));
  const at = { tx: null as string | null };
  // Windows of consecutive entries totalling ≤ READ_CHUNK rows (a larger entry alone, in chunks): rows and versions
  // are read once per window, not once per entry (a week of single edits is thousands of one-row entries).
  for (let i = 0; i < parsed.length; ) {
    const first = parsed[i]!;
    if (first.rows.length > READ_CHUNK) {
      for (let r = 0; r < first.rows.length; r += READ_CHUNK) await captureWindow(trx, out, [{ index: i, entry: first, ids: first.rows.slice(r, r + READ_CHUNK) }], shapes, overrides, at);
      i++;
      continue;
    }
    const parts: Part[] = [];
    for (let rows = 0; i < parsed.length && rows + parsed[i]!.rows.length <= READ_CHUNK; i++) {
      parts.push({ index: i, entry: parsed[i]!, ids: parsed[i]!.rows });
      rows += parsed[i]!.rows.length;
    }
    await captureWindow(trx, out, parts, shapes, overrides, at);
  }
  await out.flushAll();
  await out.write();
  // A field edited here after a conflict was listed: the conflict no longer describes it.
  await supersedeConflicts(trx, out.written, now);
  await setState(trx, { [STATE.capturedSeq]: entries[entries.length - 1]!.seq, [STATE.nextDeviceSeq]: out.nextSeq });
  return { envelopes: out.envelopes, changes: out.changes };
}

/**
 * The next device sequence number: past every envelope this device ever sealed. A damaged or missing counter must
 * not reuse a number the hub holds: it would acknowledge the new envelope as a duplicate of the old one, and the
 * other devices (which recorded that number as received) would never see it.
 */
async function nextDeviceSeq(trx: Knex.Transaction): Promise<number> {
  const stored = await intState(trx, STATE.nextDeviceSeq, 1);
  const sealed = Number(((await trx('sync_outbox').max({ m: 'device_seq' })) as { m: number | null }[])[0]?.m ?? 0);
  return Math.max(Number.isSafeInteger(stored) && stored >= 1 ? stored : 1, sealed + 1);
}

/**
 * For cells written by several entries, the older entries must not send them: returns, per entry index, the rows
 * whose columns differ from the entry's own list (the columns still theirs). Walks newest first.
 */
function claimLatest(entries: { table_name: string; rows: string[]; cols: string[] }[]): Map<number, Map<string, Set<string>>> {
  const out = new Map<number, Map<string, Set<string>>>();
  if (entries.length < 2) return out;
  const claimed = new Map<string, Set<string>>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    for (const row of e.rows) {
      const key = `${e.table_name}\u0000${row}`;
      const taken = claimed.get(key);
      if (taken) {
        let mine = out.get(i);
        if (!mine) out.set(i, (mine = new Map()));
        mine.set(row, new Set(e.cols.filter((c) => !taken.has(c))));
        for (const c of e.cols) taken.add(c);
      } else if (i > 0) {
        claimed.set(key, new Set(e.cols));
      }
    }
  }
  return out;
}

interface Part {
  /** Index of the entry in the captured list (its key in the overrides). */
  index: number;
  entry: LogEntry & { rows: string[]; cols: string[] };
  ids: string[];
}

/**
 * Captures a run of entries in order: reads the rows and versions they name (per table, at once), adds their cells
 * to the writer (which closes the envelopes of a transaction when the next one starts) and saves the versions.
 * `at.tx`: the transaction of the last entry added, carried across windows.
 */
async function captureWindow(
  trx: Knex.Transaction,
  out: EnvelopeWriter,
  parts: Part[],
  shapes: Map<string, TableShape>,
  overrides: Map<number, Map<string, Set<string>>>,
  at: { tx: string | null },
): Promise<void> {
  const columnsOf = new Map<Part, string[]>();
  const needs = new Map<string, { ids: Set<string>; columns: Set<string> }>();
  for (const p of parts) {
    const table = p.entry.table_name;
    if (!isSyncedTable(table)) continue;
    const shape = await tableColumns(trx, table, shapes);
    if (!shape) continue;
    const synced = new Set(shape.synced);
    const columns = p.entry.cols.filter((c) => synced.has(c));
    columnsOf.set(p, columns);
    let need = needs.get(table);
    if (!need) needs.set(table, (need = { ids: new Set(), columns: new Set(['id', 'scope_id']) }));
    for (const id of p.ids) need.ids.add(id);
    for (const c of columns) need.columns.add(c);
  }
  const rows = new Map<string, Map<string, Record<string, CellValue>>>();
  const versions = new Map<string, Map<string, RowVersions>>();
  for (const [table, need] of needs) {
    const ids = [...need.ids];
    const byId = new Map<string, Record<string, CellValue>>();
    for (let i = 0; i < ids.length; i += READ_CHUNK) {
      const found = (await trx(table).whereIn('id', ids.slice(i, i + READ_CHUNK)).select([...need.columns])) as Record<string, CellValue>[];
      for (const r of found) byId.set(r['id'] as string, r);
    }
    rows.set(table, byId);
    versions.set(table, await loadVersions(trx, table, ids));
  }
  for (const p of parts) {
    const e = p.entry;
    const key = e.tx ?? `seq:${e.seq}`;
    if (key !== at.tx) await out.flushAll();
    at.tx = key;
    const columns = columnsOf.get(p);
    if (!columns) continue;
    const byId = rows.get(e.table_name)!;
    const tableVersions = versions.get(e.table_name)!;
    const override = overrides.get(p.index);
    const hlc = rebaseHlc(e.hlc, out.deviceId);
    const foreign = hlc !== e.hlc;
    for (const id of p.ids) {
      const row = byId.get(id);
      if (!row) continue; // written then gone (never happens with tombstones; tolerated)
      const own = override?.get(id);
      let v = tableVersions.get(id);
      const cols = (own ? columns.filter((c) => own.has(c)) : columns).filter((c) => !foreign || cellVersion(v, c).hlc <= e.hlc);
      if (cols.length === 0) continue;
      const cells: Record<string, CellValue> = {};
      const prev: Record<string, string> = {};
      for (const c of cols) cells[c] = row[c] ?? null;
      if (e.op === 'insert' && !v) {
        tableVersions.set(id, (v = { base: hlc, cols: {}, dirty: true, exists: false }));
      } else {
        if (!v) tableVersions.set(id, (v = { base: '', cols: {}, dirty: true, exists: false }));
        for (const c of cols) {
          prev[c] = cellVersion(v, c).hlc;
          setCellVersion(v, c, hlc, prev[c]);
          out.written.push({ table: e.table_name, rowId: id, column: c, hlc });
        }
      }
      await out.add(routingScope(String(row['scope_id'] ?? 'association')), e.table_name, OPS[e.op], hlc, [id, cells, e.op === 'insert' ? undefined : prev], cols.length);
    }
  }
  for (const [table, v] of versions) await saveVersions(trx, table, v);
}

/** Accumulates change sets per scope for the current transaction and writes sealed envelopes to sync_outbox. */
class EnvelopeWriter {
  private readonly open = new Map<string, { sets: ChangeSet[]; rows: number; cells: number; hlc: string }>();
  envelopes = 0;
  changes = 0;
  /** Cells updated locally in this capture (their open conflicts are superseded). */
  readonly written: WrittenCell[] = [];
  private readonly sealing: Promise<Record<string, string | number>>[] = [];

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly device: DeviceIdentity,
    private readonly now: string,
    public nextSeq: number,
  ) {}

  /** The device sealing: its id ends the HLC of every change set sent. */
  get deviceId(): string {
    return this.device.deviceId;
  }

  async add(scope: string, table: string, op: ChangeSet['o'], hlc: string, row: ChangeSet['r'][number], cells: number): Promise<void> {
    let b = this.open.get(scope);
    if (!b) this.open.set(scope, (b = { sets: [], rows: 0, cells: 0, hlc }));
    let last = b.sets[b.sets.length - 1];
    if (!last || last.t !== table || last.o !== op || last.h !== hlc) b.sets.push((last = { t: table, o: op, h: hlc, r: [] }));
    if (row[2] === undefined) last.r.push([row[0], row[1]]);
    else last.r.push(row);
    b.rows++;
    b.cells += cells;
    if (hlc > b.hlc) b.hlc = hlc;
    if (b.rows >= ROWS_PER_ENVELOPE) await this.flush(scope);
  }

  async flushAll(): Promise<void> {
    for (const scope of [...this.open.keys()]) await this.flush(scope);
  }

  private async flush(scope: string): Promise<void> {
    const b = this.open.get(scope);
    this.open.delete(scope);
    if (!b || b.rows === 0) return;
    const header: EnvelopeHeader = {
      v: 1,
      associationId: this.device.associationId,
      scope,
      audience: audienceOf(scope),
      keyEpoch: 1,
      deviceId: this.device.deviceId,
      deviceSeq: this.nextSeq++,
      hlc: b.hlc,
      schema: this.device.schema,
      changes: b.cells,
    };
    // Sealed in parallel (signatures on the thread pool); written in order by `write`.
    this.sealing.push(
      sealEnvelope(header, { c: b.sets }, this.device.syncKey, this.device.signSecretKey).then((env) => ({
        device_seq: header.deviceSeq,
        scope,
        header: env.header,
        ciphertext: env.ciphertext,
        signature: env.signature,
        changes: b.cells,
        created_at: this.now,
      })),
    );
    this.envelopes++;
    this.changes += b.cells;
    if (this.sealing.length >= 100) await this.write();
  }

  /** Writes the sealed envelopes kept so far (multi-row inserts: a week of single edits is thousands of envelopes). */
  async write(): Promise<void> {
    const rows = await Promise.all(this.sealing.splice(0));
    if (rows.length) await this.trx('sync_outbox').insert(rows);
  }
}

export type { RowVersions };
