/**
 * The two extension points of backups (docs/backup.md "Hooks"), kept as a small typed registry so that other domains
 * (the erasure register of docs/erasure.md, wired at the composition root) plug in without this module knowing them:
 *
 * - `destinationFiles`: at each backup, files written next to the backups at the destination folder (atomically,
 *   replacing the previous copy), e.g. the register of erased ids. They must hold no personal data: a destination
 *   is a USB stick or a share.
 * - `afterRestore`: steps run by `restoreBackup` once the database is restored and opened, before the folder is
 *   handed back (e.g. re-applying the erasures made since the backup was taken). A step that throws fails the restore.
 */
import type { Knex } from 'knex';

/** A file to keep next to the backups: `name` is a plain file name (no folder), `bytes` its whole content. */
export interface DestinationFile {
  name: string;
  bytes: Uint8Array;
}

/** What a `destinationFiles` provider sees: the live association folder, its open database, and the destination. */
export interface BackupSource {
  dir: string;
  db: Knex;
  associationId: string;
  /** The destination folder (a provider may read its previous copy there, to merge rather than replace). */
  destination: string;
  now: Date;
}

/** What an `afterRestore` step sees: the restored folder, its open database, and the destination it came from. */
export interface RestoredFolder {
  dir: string;
  db: Knex;
  associationId: string;
  /** The destination folder holding the backup (where `destinationFiles` wrote their files). */
  destination: string;
}

export interface BackupHooks {
  destinationFiles: { name: string; files(source: BackupSource): Promise<DestinationFile[]> }[];
  afterRestore: { name: string; run(folder: RestoredFolder): Promise<void> }[];
}

/** A fresh, empty registry (tests make their own). */
export function emptyBackupHooks(): BackupHooks {
  return { destinationFiles: [], afterRestore: [] };
}

/** The process-wide registry the app, the CLI and the host use. */
export const backupHooks: BackupHooks = emptyBackupHooks();

/** A file name a provider may write: letters, digits, dot, dash, underscore; not a backup's or the blob store's name. */
export function isDestinationFileName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) && !name.startsWith('sauvegarde-') && name !== 'blobs';
}
