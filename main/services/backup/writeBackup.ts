/**
 * Taking a backup (docs/backup.md): snapshot of the database, keyring.json and pending-audit.json, and the vault
 * blobs the destination does not hold yet, written under a temporary name, fsynced, then renamed into place. A
 * backup cut at any point (USB stick unplugged, kill -9) leaves the previous backups untouched; its temporary folder
 * is removed by the next run, and the blobs it had already stored are reused (they are named by their content).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import { TEMP_PREFIX, writeFileAtomic } from '../../fs/atomic';
import { KEYRING_FILE } from '../../crypto/keyring';
import { BlobStore } from '../../vault/blobStore';
import { DB_FILE, VAULT_DIR } from '../association/associationStore';
import { PENDING_AUDIT_FILE } from '../association/pendingAudit';
import { backupHooks, isDestinationFileName, type BackupHooks } from './hooks';
import { BLOBS_DIR, backupName, MANIFEST_FILE, type Manifest } from './layout';
import { snapshotDatabase } from './snapshot';
import { sha256File } from './fileHash';

/** The open association a backup is taken from. */
export interface BackupSourceFolder {
  dir: string;
  db: Knex;
  dbKey: Uint8Array;
  associationId: string;
}

export interface BackupResult {
  path: string;
  createdAt: string;
  /** Bytes of the backup: its files plus every blob it names. */
  bytes: number;
  /** Blobs copied by this run (0 when the destination already held them all). */
  blobsCopied: number;
}

/**
 * Writes one complete backup of `source` into `destination` (created if missing).
 * @param now the backup's date (its name and `createdAt`).
 * @throws AppError VALIDATION (French, naming the folder) when the destination cannot be written; the file system
 *   error otherwise. On any failure nothing is left under a backup's name.
 */
export async function backupNow(source: BackupSourceFolder, destination: string, now: Date, hooks: BackupHooks = backupHooks): Promise<BackupResult> {
  await mkdir(join(destination, BLOBS_DIR), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new AppError('VALIDATION', `Impossible d’écrire dans le dossier de sauvegarde « ${destination} » (${e.code ?? 'erreur inconnue'}) : branchez le support ou choisissez un autre dossier.`);
  });
  await removeUnfinished(destination);
  const tmp = join(destination, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  await mkdir(tmp, { mode: 0o700 });
  try {
    const files: Manifest['files'] = [];
    await snapshotDatabase(join(source.dir, DB_FILE), source.dbKey, join(tmp, DB_FILE));
    files.push(await describe(tmp, DB_FILE));
    for (const name of [KEYRING_FILE, PENDING_AUDIT_FILE]) {
      const bytes = await readFile(join(source.dir, name)).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT' && name === PENDING_AUDIT_FILE) return null;
        throw e;
      });
      if (!bytes) continue;
      await writeFileAtomic(join(tmp, name), bytes);
      files.push(await describe(tmp, name));
    }
    const { blobs, copied } = await copyBlobs(join(source.dir, VAULT_DIR), join(destination, BLOBS_DIR));
    const synced = Boolean(await source.db('sync_state').where({ key: 'device_cert' }).first('value'));
    const device = (await source.db('meta').where({ key: 'device_id' }).first('value')) as { value: string } | undefined;
    const createdAt = now.toISOString();
    const bytes = files.reduce((n, f) => n + f.bytes, 0) + blobs.reduce((n, b) => n + b.bytes, 0);
    const manifest: Manifest = { format: 'solidariciel-backup', version: 1, associationId: source.associationId, createdAt, sourceDeviceId: device?.value ?? '', synced, files, blobs, bytes };
    await fsyncFile(join(tmp, DB_FILE));
    await writeFileAtomic(join(tmp, MANIFEST_FILE), Buffer.from(JSON.stringify(manifest, null, 1)));
    const path = join(destination, backupName(now, randomBytes(2).toString('hex')));
    await rename(tmp, path);
    await fsyncDir(destination);
    await writeDestinationFiles(source, destination, now, hooks);
    return { path, createdAt, bytes, blobsCopied: copied };
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

/** Size and SHA-256 of `dir/name`. */
async function describe(dir: string, name: string): Promise<Manifest['files'][number]> {
  return { name, ...(await sha256File(join(dir, name))) };
}

/**
 * Copies into `to` every blob of `from` it does not hold yet (content addressing: same name, same bytes). A blob
 * whose bytes do not hash to its name is not copied (the verification of the backup then names the paper).
 * A blob removed from the vault while the copy runs (erasure, orphan collection) is skipped.
 */
async function copyBlobs(from: string, to: string): Promise<{ blobs: Manifest['blobs']; copied: number }> {
  const source = new BlobStore(from);
  const target = new BlobStore(to);
  const blobs: Manifest['blobs'] = [];
  let copied = 0;
  for (const name of await source.list()) {
    const at = join(from, name.slice(0, 2), name);
    const size = (await stat(at).catch(() => null))?.size;
    if (size === undefined) continue;
    if (!(await target.has(name))) {
      const writer = await target.begin();
      try {
        for await (const chunk of createReadStream(at)) writer.push(new Uint8Array(chunk as Buffer));
      } catch (e) {
        await writer.abort();
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const stored = await writer.commit().catch(async (e: unknown) => {
        if (e instanceof AppError && e.code === 'VAULT_CORRUPT') return null;
        throw e;
      });
      if (!stored || stored.name !== name) continue;
      copied++;
    }
    blobs.push({ name, bytes: size });
  }
  return { blobs, copied };
}

/** Removes the temporary folders of backups that never completed (a crash, a stick pulled out). */
async function removeUnfinished(destination: string): Promise<void> {
  for (const dir of [destination, join(destination, BLOBS_DIR)]) {
    for (const name of await readdir(dir)) {
      if (name.startsWith(TEMP_PREFIX)) await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

async function writeDestinationFiles(source: BackupSourceFolder, destination: string, now: Date, hooks: BackupHooks): Promise<void> {
  for (const provider of hooks.destinationFiles) {
    for (const file of await provider.files({ dir: source.dir, db: source.db, associationId: source.associationId, destination, now })) {
      if (!isDestinationFileName(file.name)) throw new AppError('INTERNAL', `nom de fichier refusé pour « ${provider.name} » : ${file.name}`);
      await writeFileAtomic(join(destination, file.name), file.bytes);
    }
  }
}

async function fsyncFile(path: string): Promise<void> {
  const h = await open(path, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const h = await open(dir, 'r');
  try {
    await h.sync().catch(() => undefined);
  } finally {
    await h.close();
  }
}
