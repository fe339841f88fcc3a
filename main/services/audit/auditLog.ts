/**
 * The audit trail (shared/domain/audit.ts): one row per operation in `audit_log`, append-only (triggers refuse
 * UPDATE and DELETE), each row's `hash` = SHA-256 of its own fields and the previous row's hash, so that altering,
 * inserting or removing a row breaks the chain at that row. `verify` walks the whole chain and names the first
 * row that does not hold. Entries carry ids, field names and counts only, never a note's or a paper's content.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditAction, AuditEntry, AuditVerifyReport } from '../../../shared/domain/audit';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to now. Failed unlocks recorded later keep the time they happened. */
  at?: string;
}

export interface AuditActor {
  id: string | null;
  name: string;
}

interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The hash of one entry: SHA-256 (hex) over the JSON array of its fields in a fixed order, ending with the previous hash. */
export function entryHash(r: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([r.seq, r.at, r.actor_id, r.actor_name, r.action, r.target_type, r.target_id, r.details, r.prev_hash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Appends entries after the current last one, inside `db` (pass the caller's transaction so the entry commits with
 * the change it records). The database has one connection (sqlcipherClient pool max 1), so appends never interleave.
 */
export async function appendAudit(db: Knex | Knex.Transaction, actor: AuditActor, records: AuditRecord[], now: () => Date): Promise<void> {
  if (records.length === 0) return;
  const last = (await db('audit_log').orderBy('seq', 'desc').first('seq', 'hash')) as { seq: number; hash: string } | undefined;
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? GENESIS_HASH;
  const rows: AuditRow[] = [];
  for (const r of records) {
    seq += 1;
    const row = {
      seq,
      at: r.at ?? now().toISOString(),
      actor_id: actor.id,
      actor_name: actor.name,
      action: r.action,
      target_type: r.targetType ?? null,
      target_id: r.targetId ?? null,
      details: JSON.stringify(r.details ?? {}),
      prev_hash: prev,
    };
    prev = entryHash(row);
    rows.push({ ...row, hash: prev });
  }
  for (let i = 0; i < rows.length; i += 200) await db('audit_log').insert(rows.slice(i, i + 200));
}

/**
 * Walks the chain from the first entry. `firstBadEntry` is the sequence number of the first entry whose hash does not
 * match its fields, whose `prev_hash` is not its predecessor's hash, or that follows a gap in the numbering (an
 * entry removed); null when the whole chain holds.
 */
export async function verifyAudit(db: Knex): Promise<AuditVerifyReport> {
  let prev = GENESIS_HASH;
  let expected = 1;
  let entries = 0;
  let firstBadEntry: number | null = null;
  const PAGE = 2000;
  // From the lowest number there is (an entry inserted with seq 0 or below must be walked too, and found bad).
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = (await db('audit_log').where('seq', '>', after).orderBy('seq').limit(PAGE)) as AuditRow[];
    for (const r of rows) {
      entries++;
      if (firstBadEntry === null) {
        const { hash, ...fields } = r;
        if (r.seq !== expected || r.prev_hash !== prev || entryHash(fields) !== hash) firstBadEntry = r.seq !== expected ? expected : r.seq;
      }
      prev = r.hash;
      expected = r.seq + 1;
      after = r.seq;
    }
    if (rows.length < PAGE) break;
  }
  return { entries, ok: firstBadEntry === null, firstBadEntry };
}

/** Entries matching a filter, newest first, with the total count. */
export async function listAudit(
  db: Knex,
  f: { actorName?: string | undefined; action?: string | undefined; targetId?: string | undefined; from?: string | undefined; to?: string | undefined; limit: number; offset: number },
): Promise<{ items: AuditEntry[]; total: number }> {
  const q = db('audit_log');
  if (f.actorName) q.where('actor_name', f.actorName);
  if (f.action) q.where('action', f.action);
  if (f.targetId) q.where('target_id', f.targetId);
  if (f.from) q.where('at', '>=', f.from);
  // `to` is a calendar date: include the whole day.
  if (f.to) q.where('at', '<', `${f.to}T99`);
  const total = Number(((await q.clone().count({ n: '*' })) as { n: number }[])[0]?.n ?? 0);
  const rows = (await q.orderBy('seq', 'desc').limit(f.limit).offset(f.offset)) as AuditRow[];
  return {
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorName: r.actor_name,
      action: r.action as AuditAction,
      targetType: r.target_type,
      targetId: r.target_id,
      details: safeJson(r.details),
    })),
    total,
  };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
