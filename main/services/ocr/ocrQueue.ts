/**
 * The OCR queue of this device (`ocr_queue`, migration 0170, never synced): one row per page of a paper to recognise,
 * pending → done | failed, with its attempts. It lives in the database, so a restart resumes where it stopped
 * (docs/ocr.md "Queue").
 */
import type { Knex } from 'knex';

export type OcrState = 'pending' | 'done' | 'failed';

/** Attempts of a page before it is failed for good (a crash of the engine, a paper not here yet). */
export const MAX_ATTEMPTS = 3;

export interface QueueRow {
  document_id: string;
  page: number;
  sha256: string;
  state: OcrState;
  attempts: number;
  error: string | null;
}

/** Puts every page of a paper in the queue (again), pending; its older rows (a replaced file) go. */
export async function enqueuePages(db: Knex, documentId: string, sha256: string, pages: number, now: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('ocr_queue').where({ document_id: documentId }).delete();
    const rows = Array.from({ length: pages }, (_, i) => ({ document_id: documentId, page: i + 1, sha256, state: 'pending', attempts: 0, error: null, updated_at: now }));
    for (let i = 0; i < rows.length; i += 200) await trx('ocr_queue').insert(rows.slice(i, i + 200));
  });
}

/** Live papers with neither text for their current file nor a queue row for it: those to enqueue. */
export async function unqueuedPapers(db: Knex): Promise<{ id: string; sha256: string; pages: number }[]> {
  return (await db('documents as d')
    .whereNull('d.deleted_at')
    .whereNotExists(db('ocr_queue as q').whereRaw('q.document_id = d.id').whereRaw('q.sha256 = d.sha256'))
    .whereNotExists(db('document_texts as t').whereRaw('t.document_id = d.id').whereRaw('t.sha256 = d.sha256').whereNull('t.deleted_at'))
    .select('d.id', 'd.sha256', 'd.pages')) as { id: string; sha256: string; pages: number }[];
}

/** Pending pages, fewest attempts first, then by paper and page; `skip` lists papers to leave aside. */
export async function pendingPages(db: Knex, skip: ReadonlySet<string>, limit = 50): Promise<QueueRow[]> {
  const q = db('ocr_queue').where({ state: 'pending' }).orderBy([{ column: 'attempts' }, { column: 'document_id' }, { column: 'page' }]).limit(limit + skip.size * 500);
  return ((await q.select('document_id', 'page', 'sha256', 'state', 'attempts', 'error')) as QueueRow[]).filter((r) => !skip.has(r.document_id)).slice(0, limit);
}

/** Records the outcome of one page. `error` (French, no content of the paper) for a failure or a retry. */
export async function settlePage(db: Knex | Knex.Transaction, row: Pick<QueueRow, 'document_id' | 'page' | 'sha256'>, outcome: { state: OcrState; attempts: number; error: string | null }, now: string): Promise<void> {
  await db('ocr_queue').where({ document_id: row.document_id, page: row.page, sha256: row.sha256 }).update({ ...outcome, updated_at: now });
}

/** Counts of pages by state. */
export async function queueCounts(db: Knex): Promise<Record<OcrState, number>> {
  const rows = (await db('ocr_queue').select('state').count({ n: '*' }).groupBy('state')) as { state: OcrState; n: number }[];
  const out: Record<OcrState, number> = { pending: 0, done: 0, failed: 0 };
  for (const r of rows) if (r.state in out) out[r.state] = Number(r.n);
  return out;
}

/** Per paper of `documentIds`: its pages by state (papers without a queue row are absent). */
export async function documentStates(db: Knex, documentIds: readonly string[]): Promise<Map<string, Record<OcrState, number>>> {
  const out = new Map<string, Record<OcrState, number>>();
  for (let i = 0; i < documentIds.length; i += 500) {
    const rows = (await db('ocr_queue as q')
      .join('documents as d', 'd.id', 'q.document_id')
      .whereRaw('q.sha256 = d.sha256')
      .whereIn('q.document_id', documentIds.slice(i, i + 500))
      .select('q.document_id', 'q.state')
      .count({ n: '*' })
      .groupBy('q.document_id', 'q.state')) as { document_id: string; state: OcrState; n: number }[];
    for (const r of rows) {
      const counts = out.get(r.document_id) ?? { pending: 0, done: 0, failed: 0 };
      counts[r.state] = Number(r.n);
      out.set(r.document_id, counts);
    }
  }
  return out;
}

/** Drops the queue rows of a paper (removed, erased). */
export async function dropPaper(db: Knex, documentId: string): Promise<void> {
  await db('ocr_queue').where({ document_id: documentId }).delete();
}
