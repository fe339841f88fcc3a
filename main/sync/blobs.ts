/**
 * Vault blobs between device and hub (docs/sync.md "Papers"): blobs are already encrypted (secretstream under a
 * per-paper key) and named by the SHA-256 of their bytes, so they travel as they are — in chunks, resumable on both
 * sides — and the name checks them at arrival. Upload: every blob a `documents` row names that is here and not yet
 * at the hub. Download: in the background after a pull (a budget per run), or at once when someone opens the paper.
 * Blobs of papers replaced or removed are deleted here once the change arrives; the hub keeps its copy.
 */
import { appendFile, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { AppError } from '../../shared/domain/errors';
import { BLOB_CHUNK_BYTES } from '../../shared/sync/protocol';
import type { BlobStore } from '../vault/blobStore';
import type { HubApi } from './engine';

export interface BlobSyncStats {
  uploaded: number;
  downloaded: number;
  failed: number;
  /** Papers still to download (next runs, or when opened). */
  waiting: number;
}

/** Blobs downloaded in the background per sync run (the rest comes at the next runs or when opened). */
const BACKGROUND_DOWNLOADS = 50;

/** Uploads and downloads the blobs `documents` rows name and sync_blobs does not mark done. `going` throws to end the run early. */
export async function syncBlobs(db: Knex, hub: HubApi, store: BlobStore, now: () => string, progress?: (done: number, total: number) => void, going?: () => void): Promise<BlobSyncStats> {
  // A removed paper's blob is neither sent nor fetched again (its key is destroyed: docs/sync.md "Papers").
  const names = ((await db('documents').whereNull('deleted_at').whereNotIn('blob_name', db('sync_blobs').where('state', 'done').select('name')).distinct('blob_name')) as { blob_name: string }[]).map((r) => r.blob_name);
  const stats: BlobSyncStats = { uploaded: 0, downloaded: 0, failed: 0, waiting: 0 };
  let done = 0;
  for (const name of names) {
    going?.(); // throws when the run must end (the session is locking)
    try {
      if (await store.has(name)) {
        if (await uploadBlob(hub, store, name)) stats.uploaded++;
      } else if (stats.downloaded < BACKGROUND_DOWNLOADS) {
        await downloadBlob(hub, store, name);
        stats.downloaded++;
      } else {
        stats.waiting++;
        continue;
      }
      await mark(db, name, 'done', null, now());
    } catch (e) {
      if (e instanceof AppError && (e.code === 'HUB_UNREACHABLE' || e.code === 'CLOCK_SKEW')) throw e;
      stats.failed++;
      await mark(db, name, 'failed', e instanceof Error ? e.message : String(e), now());
    }
    progress?.(++done, names.length);
  }
  await collectDroppedBlobs(db, store);
  return stats;
}

/**
 * Deletes the local blobs of papers replaced or removed (here or on another device): blobs once synced (in
 * `sync_blobs`) that no live `documents` row names any more. A blob being added is never in `sync_blobs` before
 * its row is committed, so it is never taken. Returns how many were deleted.
 */
export async function collectDroppedBlobs(db: Knex, store: BlobStore): Promise<number> {
  const dropped = (await db('sync_blobs')
    .whereNotIn('name', db('documents').whereNull('deleted_at').select('blob_name'))
    .select('name')) as { name: string }[];
  let deleted = 0;
  for (const { name } of dropped) {
    if (!(await store.has(name))) continue;
    await store.remove(name);
    deleted++;
  }
  return deleted;
}

async function mark(db: Knex, name: string, state: string, error: string | null, at: string): Promise<void> {
  await db('sync_blobs')
    .insert({ name, state, tries: state === 'failed' ? 1 : 0, last_error: error, updated_at: at })
    .onConflict('name')
    .merge({ state, last_error: error, updated_at: at, tries: db.raw('sync_blobs.tries + ?', [state === 'failed' ? 1 : 0]) });
}

/** Sends a local blob the hub lacks, from where an interrupted upload stopped. Returns false if it was already there. */
export async function uploadBlob(hub: HubApi, store: BlobStore, name: string): Promise<boolean> {
  const status = await hub.blobStatus(name);
  if (status.stored) return false;
  const bytes = await store.get(name); // checks the local copy against its name first
  for (let offset = status.uploaded; offset < bytes.length; offset += BLOB_CHUNK_BYTES) {
    await hub.putBlobChunk(name, offset, bytes.subarray(offset, Math.min(bytes.length, offset + BLOB_CHUNK_BYTES)));
  }
  await hub.completeBlob(name);
  return true;
}

/**
 * Fetches a blob from the hub into the vault, resuming a partial download kept in `vault/.partial/`. The bytes
 * must hash to the name (else SYNC_REJECTED, and the partial file is dropped).
 */
export async function downloadBlob(hub: HubApi, store: BlobStore, name: string): Promise<void> {
  const dir = join(store.dir, '.partial');
  await mkdir(dir, { recursive: true });
  const partial = join(dir, name.replace(/[^0-9a-f]/g, ''));
  const have = await stat(partial).then((s) => s.size, () => 0);
  const rest = await hub.getBlob(name, have);
  if (have === 0) await writeFile(partial, rest);
  else await appendFile(partial, rest);
  const bytes = await readFile(partial);
  if (createHash('sha256').update(bytes).digest('hex') !== name) {
    await unlink(partial).catch(() => undefined);
    throw new AppError('SYNC_REJECTED', `Pièce reçue du hub altérée ou tronquée (${name.slice(0, 12)}…) : elle sera redemandée.`);
  }
  const stored = await store.put(bytes);
  await unlink(partial).catch(() => undefined);
  if (stored.name !== name) throw new AppError('SYNC_REJECTED', `Pièce reçue du hub altérée (${name.slice(0, 12)}…).`);
}


