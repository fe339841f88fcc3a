/**
 * Capture (docs/sync.md "Capture"): turns the change_log entries written since the last capture into sealed,
 * signed envelopes in `sync_outbox`, one per local transaction and row scope (split every 500 rows), and records
 * each cell's version. Runs inside the caller's transaction, always before a merge, so a value read here is the
 * one the local write left (a merge never ran in between) and the versions say what the writer had seen.
 *
 * When a cell was written several times since the last capture, only its latest write is sent (its value is the
 * only one still known: the change log holds no values).
 */
import type { Knex } from 'knex';
import type { EnvelopeHeader } from '../../shared/sync/protocol';
import { audienceOf, sealEnvelope, type CellValue, type ChangeSet } from './envelope';
import { intState, setState, STATE } from './state';
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
  const parsed = entries.map((e) => ({ ...e, rows: JSON.parse(e.row_ids) as string[], cols: JSON.parse(e.columns) as string[] }));
  const overrides = claimLatest(parsed);
  const out = new EnvelopeWriter(trx, device, now, await intState(trx, STATE.nextDeviceSeq, 1));
  let tx: string | null = null;
  for (let i = 0; i < parsed.length; i++) {
    const e = parsed[i]!;
    const key = e.tx ?? `seq:${e.seq}`;
    if (key !== tx) await out.flushAll();
    tx = key;
    if (!isSyncedTable(e.table_name)) continue;
    const shape = await tableColumns(trx, e.table_name, shapes);
    if (!shape) continue;
    const synced = new Set(shape.synced);
    const columns = e.cols.filter((c) => synced.has(c));
    for (let r = 0; r < e.rows.length; r += READ_CHUNK) {
      await captureRows(trx, out, e, e.rows.slice(r, r + READ_CHUNK), columns, overrides.get(i));
    }
  }
  await out.flushAll();
  await setState(trx, { [STATE.capturedSeq]: entries[entries.length - 1]!.seq, [STATE.nextDeviceSeq]: out.nextSeq });
  return { envelopes: out.envelopes, changes: out.changes };
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

async function captureRows(
  trx: Knex.Transaction,
  out: EnvelopeWriter,
  e: LogEntry & { rows: string[] },
  ids: string[],
  columns: string[],
  override: Map<string, Set<string>> | undefined,
): Promise<void> {
  const rows = (await trx(e.table_name).whereIn('id', ids).select(['id', 'scope_id', ...columns.filter((c) => c !== 'id' && c !== 'scope_id')])) as Record<string, CellValue>[];
  const byId = new Map(rows.map((r) => [r['id'] as string, r]));
  const versions = await loadVersions(trx, e.table_name, ids);
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue; // written then gone (never happens with tombstones; tolerated)
    const own = override?.get(id);
    const cols = own ? columns.filter((c) => own.has(c)) : columns;
    if (cols.length === 0) continue;
    let v = versions.get(id);
    const cells: Record<string, CellValue> = {};
    const prev: Record<string, string> = {};
    for (const c of cols) cells[c] = row[c] ?? null;
    if (e.op === 'insert' && !v) {
      versions.set(id, (v = { base: e.hlc, cols: {}, dirty: true, exists: false }));
    } else {
      if (!v) versions.set(id, (v = { base: '', cols: {}, dirty: true, exists: false }));
      for (const c of cols) {
        prev[c] = cellVersion(v, c).hlc;
        setCellVersion(v, c, e.hlc, prev[c]);
      }
    }
    await out.add(String(row['scope_id'] ?? 'association'), e.table_name, OPS[e.op], e.hlc, [id, cells, e.op === 'insert' ? undefined : prev], cols.length);
  }
  await saveVersions(trx, e.table_name, versions);
}

/** Accumulates change sets per scope for the current transaction and writes sealed envelopes to sync_outbox. */
class EnvelopeWriter {
  private readonly open = new Map<string, { sets: ChangeSet[]; rows: number; cells: number; hlc: string }>();
  envelopes = 0;
  changes = 0;

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly device: DeviceIdentity,
    private readonly now: string,
    public nextSeq: number,
  ) {}

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
    const env = await sealEnvelope(header, { c: b.sets }, this.device.syncKey, this.device.signSecretKey);
    await this.trx('sync_outbox').insert({ device_seq: header.deviceSeq, scope, header: env.header, ciphertext: env.ciphertext, signature: env.signature, changes: b.cells, created_at: this.now });
    this.envelopes++;
    this.changes += b.cells;
  }
}

export type { RowVersions };
