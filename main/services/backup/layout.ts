/**
 * A backup destination on disk (docs/backup.md "Layout"):
 *
 * ```
 * FOLDER/blobs/ab/abcdef…              one blob store shared by every backup of the folder (vault blobs, by SHA-256)
 * FOLDER/sauvegarde-<stamp>-<rand>/    one complete backup: association.db (SQLCipher, same key), keyring.json,
 *                                      pending-audit.json when present, manifest.json (written last)
 * FOLDER/.tmp-…                        a backup being written (renamed into place only when complete and fsynced)
 * FOLDER/<hook files>                  what `destinationFiles` hooks keep next to the backups
 * ```
 * The manifest names every file with its size and SHA-256 and every blob the backup needs; it holds no personal data.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors';

export const BLOBS_DIR = 'blobs';
export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_PREFIX = 'sauvegarde-';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const manifestSchema = z.object({
  format: z.literal('solidariciel-backup'),
  version: z.literal(1),
  associationId: z.string().min(1),
  createdAt: z.string(),
  /** The device id of the folder the backup was taken from (a restore gives the copy a new one). */
  sourceDeviceId: z.string(),
  /** Whether the folder had joined a hub: its restore must re-enroll as a new device. */
  synced: z.boolean(),
  files: z.array(z.object({ name: z.string().regex(/^[a-z.-]+$/), bytes: z.number().int().nonnegative(), sha256 })),
  blobs: z.array(z.object({ name: sha256, bytes: z.number().int().nonnegative() })),
  /** Bytes of the files plus the blobs this backup names (shared blobs counted in every backup naming them). */
  bytes: z.number().int().nonnegative(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** A backup as listed: its folder, its date and size. */
export interface BackupEntry {
  path: string;
  createdAt: string;
  bytes: number;
  associationId: string;
}

/** `sauvegarde-2026-12-06T03-53-20-123Z-1a2b` for `at` and 4 random hex digits (sorts by date). */
export function backupName(at: Date, random: string): string {
  return `${BACKUP_PREFIX}${at.toISOString().replace(/:/g, '-').replace('.', '-')}-${random}`;
}

/** The blob store of the destination holding `backupPath`. */
export function blobsOf(backupPath: string): string {
  return join(dirname(backupPath), BLOBS_DIR);
}

/**
 * Reads and checks a backup's manifest.
 * @throws AppError NOT_FOUND when `backupPath` holds no manifest (not a backup, or one never completed),
 *   VALIDATION when the manifest is unreadable or of an unknown format.
 */
export async function readManifest(backupPath: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(join(backupPath, MANIFEST_FILE), 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `« ${backupPath} » n’est pas une sauvegarde complète de Solidariciel (pas de ${MANIFEST_FILE}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const m = manifestSchema.safeParse(parsed);
  if (!m.success) throw new AppError('VALIDATION', `Le fichier ${MANIFEST_FILE} de « ${basename(backupPath)} » est illisible ou d’un format inconnu : mettez Solidariciel à jour.`);
  return m.data;
}

/**
 * The complete backups in `destination`, newest first; only those of `associationId` when given. Folders being
 * written (temporary names) and folders without a valid manifest are skipped. A missing destination lists nothing.
 */
export async function listBackups(destination: string, associationId?: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await readdir(destination);
  } catch {
    return [];
  }
  const out: BackupEntry[] = [];
  for (const name of names.filter((n) => n.startsWith(BACKUP_PREFIX))) {
    const path = join(destination, name);
    if (!(await stat(path).catch(() => null))?.isDirectory()) continue;
    const m = await readManifest(path).catch(() => null);
    if (!m || (associationId && m.associationId !== associationId)) continue;
    out.push({ path, createdAt: m.createdAt, bytes: m.bytes, associationId: m.associationId });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
