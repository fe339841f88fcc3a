/**
 * Restoring a backup into a NEW folder, and the drill that proves it (docs/backup.md "Restore"): the files match
 * the manifest, the database opens with a user's password or the recovery code (as unlock does), the audit chain is
 * intact, every paper's blob is present and hashes to its name. `verifyBackup` runs the same restore into a
 * temporary folder and removes it.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/domain/errors';
import { wipe } from '../../crypto/aead';
import { openRecovery, openSlot, readKeyring } from '../../crypto/keyring';
import { BlobStore } from '../../vault/blobStore';
import { verifyAudit } from '../audit/auditLog';
import { assertAssociationFolder, folderState, openDatabase, VAULT_DIR } from '../association/associationStore';
import { backupHooks, type BackupHooks } from './hooks';
import { blobsOf, readManifest, type Manifest } from './layout';
import { markRestored } from './reenroll';
import { sha256File } from './fileHash';

/**
 * How to open the backup: a user's name and password, or the association's recovery code (as unlock does), or the
 * database key of the unlocked session (the key never changes for an association; the restore wipes this copy).
 */
export type BackupCredentials = { userName: string; password: string } | { recoveryCode: string } | { dbKey: Uint8Array };

export interface RestoreReport {
  dir: string;
  associationId: string;
  ok: boolean;
  /** Papers (live documents) checked. */
  papers: number;
  /** French sentences, one per problem found; empty when `ok`. */
  problems: string[];
  /** The folder had joined a hub: it re-enrolls as a new device at the first administrator's sync. */
  mustReenroll: boolean;
}

/**
 * Restores `backupPath` into `into` (missing or empty; never over anything) and checks it.
 * @throws AppError ALREADY_EXISTS when `into` is not empty, VALIDATION when it cannot hold an association,
 *   NOT_FOUND / VALIDATION for a folder that is not a complete backup, WRONG_CREDENTIALS when neither the password
 *   nor the recovery code opens it. On a throw, what the restore wrote is removed. Problems found once the
 *   database opened (a missing blob, a broken chain) do not throw: they are in the report, the folder stays.
 */
export async function restoreBackup(backupPath: string, into: string, credentials: BackupCredentials, hooks: BackupHooks = backupHooks): Promise<RestoreReport> {
  const target = resolve(into);
  assertAssociationFolder(target);
  const state = await folderState(target);
  if (state === 'used') throw new AppError('ALREADY_EXISTS', `Restauration refusée : le dossier « ${target} » n’est pas vide. Une sauvegarde se restaure toujours dans un dossier nouveau ou vide.`);
  const manifest = await readManifest(backupPath);
  const problems = await checkFiles(backupPath, manifest);
  if (problems.length) throw new AppError('VALIDATION', `Sauvegarde endommagée : ${problems.join(' ')}`);
  const dbKey = await openKey(backupPath, credentials);
  try {
    await mkdir(join(target, VAULT_DIR), { recursive: true });
    for (const f of manifest.files) await copyFile(join(backupPath, f.name), join(target, f.name));
    problems.push(...(await copyBlobs(blobsOf(backupPath), join(target, VAULT_DIR), manifest)));
    const db = await openDatabase(target, dbKey);
    try {
      const meta = (await db('meta').where({ key: 'association_id' }).first('value')) as { value: string } | undefined;
      if (meta?.value !== manifest.associationId) problems.push('La base restaurée ne correspond pas à l’association du manifeste.');
      const audit = await verifyAudit(db);
      if (!audit.ok) problems.push(`Journal des opérations rompu à l’entrée n° ${audit.firstBadEntry ?? '?'}.`);
      const papers = await checkPapers(db, join(target, VAULT_DIR));
      problems.push(...papers.problems);
      const { mustReenroll } = await markRestored(db);
      for (const step of hooks.afterRestore) await step.run({ dir: target, db, associationId: manifest.associationId, destination: dirname(resolve(backupPath)) });
      return { dir: target, associationId: manifest.associationId, ok: problems.length === 0, papers: papers.count, problems, mustReenroll };
    } finally {
      await db.destroy();
    }
  } catch (e) {
    await removeRestored(target, state);
    throw e;
  } finally {
    await wipe(dbKey);
  }
}

/**
 * The drill without keeping anything: restores into a new temporary folder, reports, removes it.
 * @returns `{ ok, papers, problems }`; problems with the files themselves are reported, not thrown.
 * @throws AppError WRONG_CREDENTIALS, NOT_FOUND, VALIDATION (manifest unreadable) as `restoreBackup`.
 */
export async function verifyBackup(backupPath: string, credentials: BackupCredentials): Promise<{ ok: boolean; papers: number; problems: string[] }> {
  const manifest = await readManifest(backupPath);
  const fileProblems = await checkFiles(backupPath, manifest);
  if (fileProblems.length) return { ok: false, papers: 0, problems: fileProblems };
  const tmp = await mkdtemp(join(tmpdir(), 'solidariciel-verif-'));
  try {
    const r = await restoreBackup(backupPath, join(tmp, 'association'), credentials, { destinationFiles: [], afterRestore: [] });
    return { ok: r.ok, papers: r.papers, problems: r.problems };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Each file of the manifest is there with its size and SHA-256. */
async function checkFiles(backupPath: string, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  for (const f of manifest.files) {
    const actual = await sha256File(join(backupPath, f.name)).catch(() => null);
    if (!actual) problems.push(`Le fichier ${f.name} manque.`);
    else if (actual.sha256 !== f.sha256 || actual.bytes !== f.bytes) problems.push(`Le fichier ${f.name} a été modifié ou est incomplet.`);
  }
  return problems;
}

/** The database key from the backup's keyring.json, with a user's password or the recovery code. */
async function openKey(backupPath: string, credentials: BackupCredentials): Promise<Uint8Array> {
  if ('dbKey' in credentials) return credentials.dbKey;
  const keyring = await readKeyring(backupPath);
  if ('recoveryCode' in credentials) {
    const r = await openRecovery(keyring, credentials.recoveryCode);
    await wipe(r.secretKey);
    return r.dbKey;
  }
  const opened = await openSlot(keyring, credentials.userName, credentials.password);
  await wipe(opened.keys.boxSecretKey, opened.keys.signSecretKey);
  return opened.dbKey;
}

/** Copies the manifest's blobs from the destination's store into the restored vault, checking each one's hash. */
async function copyBlobs(from: string, to: string, manifest: Manifest): Promise<string[]> {
  const source = new BlobStore(from);
  const target = new BlobStore(to);
  const problems: string[] = [];
  for (const b of manifest.blobs) {
    try {
      await target.put(await source.get(b.name));
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'VAULT_CORRUPT')) throw e;
      problems.push(`Contenu ${b.name.slice(0, 12)}… ${(e.details as { reason?: string } | undefined)?.reason === 'missing' ? 'absent' : 'altéré'} dans le dossier des sauvegardes.`);
    }
  }
  return problems;
}

/** Every live paper's blob is in the restored vault and hashes to its name (its fingerprint). */
async function checkPapers(db: import('knex').Knex, vault: string): Promise<{ count: number; problems: string[] }> {
  const store = new BlobStore(vault);
  const rows = (await db('documents').whereNull('deleted_at').select('id', 'blob_name')) as { id: string; blob_name: string }[];
  const problems: string[] = [];
  for (const r of rows) {
    try {
      await store.get(r.blob_name);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push(`Pièce ${r.id} : contenu chiffré absent ou altéré.`);
    }
  }
  return { count: rows.length, problems };
}

/** Removes what a failed restore wrote: the whole folder if it created it, else its content (it was empty). */
async function removeRestored(target: string, state: 'missing' | 'empty' | 'used'): Promise<void> {
  if (state === 'missing') {
    await rm(target, { recursive: true, force: true }).catch(() => undefined);
    return;
  }
  for (const name of await readdir(target).catch(() => [] as string[])) await rm(join(target, name), { recursive: true, force: true }).catch(() => undefined);
}

