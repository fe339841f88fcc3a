/**
 * A paper opened before its blob arrived (issue 4 §4 "downloaded when first opened"): fetched from the hub at once,
 * checked against its name, stored in the vault, and marked done for the background sync.
 */
import { join } from 'node:path';
import type { Knex } from 'knex';
import { downloadBlob } from '../../sync/blobs';
import { BlobStore } from '../../vault/blobStore';
import { VAULT_DIR } from '../association/associationStore';
import type { DeviceSync } from './deviceSync';

/** Resolves true when the blob is now in the vault; false when this device does not sync. Throws the hub's errors. */
export async function fetchBlobNow(db: Knex, dir: string, device: DeviceSync | null, name: string, now: string): Promise<boolean> {
  if (!device) return false;
  await downloadBlob(device.client, new BlobStore(join(dir, VAULT_DIR)), name);
  await db('sync_blobs').insert({ name, state: 'done', tries: 0, last_error: null, updated_at: now }).onConflict('name').merge({ state: 'done', last_error: null, updated_at: now });
  return true;
}
