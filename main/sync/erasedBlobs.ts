/**
 * Papers' blobs named by the erasure register (main/db/erasure.ts, docs/erasure.md): removed from this device's vault
 * and, once per blob, deleted at the hub (`DELETE /v1/blobs/:name`). `sync_blobs.state = 'erased'` records that the hub
 * said it was gone (or never had it). A hub of an older version without the route answers 404: counted as gone.
 */
import type { Knex } from 'knex';
import type { BlobStore } from '../vault/blobStore';
import { readErasureRegister } from '../db/erasure';
import type { HubApi } from './engine';

/** Removes erased blobs here and at the hub. Returns how many the hub was asked to delete in this run. */
export async function dropErasedBlobs(db: Knex, store: BlobStore, hub: HubApi | null, now: () => string): Promise<number> {
  const names = (await readErasureRegister(db)).flatMap((e) => (e.blobName ? [e.blobName] : []));
  if (names.length === 0) return 0;
  for (const name of names) await store.remove(name);
  if (!hub?.deleteBlob) return 0;
  const gone = new Set(((await db('sync_blobs').whereIn('name', names).where('state', 'erased').select('name')) as { name: string }[]).map((r) => r.name));
  let asked = 0;
  for (const name of names) {
    if (gone.has(name)) continue;
    await hub.deleteBlob(name);
    asked++;
    const at = now();
    await db('sync_blobs').insert({ name, state: 'erased', tries: 0, last_error: null, updated_at: at }).onConflict('name').merge({ state: 'erased', last_error: null, updated_at: at });
  }
  return asked;
}
