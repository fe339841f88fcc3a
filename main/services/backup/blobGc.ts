/**
 * Garbage collection of a destination's blob store (docs/backup.md "Destination, schedule, rotation, status"): after
 * rotation, the blobs that no remaining backup's manifest names are deleted — as restic's `prune` deletes the
 * packs no snapshot references, and only once every snapshot's index is read.
 *
 * Safety rules, so that a crash or a second writer never leaves a backup without one of its blobs:
 * - the names to keep are read from EVERY backup folder of the destination (all associations sharing it); a backup
 *   folder whose manifest cannot be read stops the collection (nothing deleted: we cannot know what it names);
 * - a backup being written (a `.tmp-` folder, perhaps by another PC on a shared stick) stops it too: that backup may
 *   reuse a blob already in the store that no manifest names yet; checked again just before deleting;
 * - only blobs are deleted, one at a time, after every manifest was read: a crash in the middle leaves a store that
 *   still holds every blob any remaining backup names.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TEMP_PREFIX } from '../../fs/atomic';
import { BlobStore } from '../../vault/blobStore';
import { BACKUP_PREFIX, BLOBS_DIR, readManifest } from './layout';

export interface BlobCollection {
  /** Blobs deleted. */
  removed: number;
  /** Blobs some backup still names. */
  kept: number;
  /** Why nothing was deleted, when so: a backup being written, or a manifest that cannot be read (French). */
  skipped?: string;
}

/**
 * Deletes from `destination`'s blob store the blobs no complete backup there names. A missing destination or store
 * collects nothing. Never throws for an unreadable manifest or a backup in progress (see `skipped`); throws the file
 * system's error when a blob cannot be deleted (those before it are gone, the others stay: every backup stays whole).
 */
export async function collectBlobs(destination: string): Promise<BlobCollection> {
  const names = await readdir(destination).catch(() => [] as string[]);
  if (writing(names)) return { removed: 0, kept: 0, skipped: 'Une sauvegarde est en cours d’écriture dans ce dossier : le ménage des pièces attendra la prochaine.' };
  const named = new Set<string>();
  for (const name of names.filter((n) => n.startsWith(BACKUP_PREFIX))) {
    const path = join(destination, name);
    if (!(await stat(path).catch(() => null))?.isDirectory()) continue;
    const manifest = await readManifest(path).catch(() => null);
    if (!manifest) return { removed: 0, kept: 0, skipped: `Le manifeste de « ${name} » est illisible : aucune pièce n’est supprimée du dossier de sauvegarde.` };
    for (const blob of manifest.blobs) named.add(blob.name);
  }
  const store = new BlobStore(join(destination, BLOBS_DIR));
  const orphans = (await store.list()).filter((n) => !named.has(n));
  if (orphans.length > 0 && writing(await readdir(destination).catch(() => [] as string[]))) {
    return { removed: 0, kept: named.size, skipped: 'Une sauvegarde est en cours d’écriture dans ce dossier : le ménage des pièces attendra la prochaine.' };
  }
  for (const name of orphans) await store.remove(name);
  return { removed: orphans.length, kept: named.size };
}

/**
 * Deletes one backup folder the rotation dropped: renamed first to a `.tmp-` name (one atomic step: it leaves the
 * listing whole, never half-deleted), then removed. A crash in between leaves a `.tmp-` folder that the next backup
 * removes (writeBackup.ts `removeUnfinished`). A folder already gone is not an error.
 */
export async function removeBackup(path: string): Promise<void> {
  const doomed = join(dirname(path), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    await rename(path, doomed);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await rm(doomed, { recursive: true, force: true });
}

/** True when a backup is being written (or was cut) in the destination. */
function writing(names: readonly string[]): boolean {
  return names.some((n) => n.startsWith(TEMP_PREFIX));
}
