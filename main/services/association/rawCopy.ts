/**
 * `db raw-copy` (docs/access.md): a decrypted copy of association.db for audits and disaster recovery, written into
 * a plain SQLite database attached with an empty key (main/db/plainExport.ts, what SQLCipher's `sqlcipher_export`
 * did). Administrators only (`db.rawCopy`), audited.
 * The copy holds what SQLCipher protected; what visibility sealed (notes, tasks, papers narrower than everyone)
 * stays ciphertext in it.
 *
 * The copy is created empty, exclusively and with mode 0600 before SQLite attaches it (docs/threat-model.md,
 * "Another local OS user"): SQLite would otherwise create it with the umask's mode (0644 under the usual 022), and
 * follow a link planted at the path. SQLite gives its journal the mode of the database file, so that stays 0600 too.
 */
import { constants } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../shared/domain/errors';
import { exportPlain } from '../../db/plainExport';
import type { ServiceContext } from '../context';

/** Mode of the decrypted copy: read and write for its owner only. */
export const RAW_COPY_MODE = 0o600;

/**
 * Writes the decrypted copy to `out` (absolute, or relative to the working directory) and returns its absolute path.
 * @throws AppError FORBIDDEN without `db.rawCopy`; ALREADY_EXISTS if anything (a file, a link, even a dangling one)
 *   is at the path — nothing is overwritten; VALIDATION if the file cannot be created there.
 */
export async function rawCopy(ctx: ServiceContext, out: string): Promise<string> {
  ctx.access.require('db.rawCopy');
  const path = isAbsolute(out) ? out : resolve(out);
  await createPrivateEmptyFile(path);
  try {
    await ctx.audit({ action: 'db.rawCopy', details: { path } });
    await exportPlain(ctx.db, path);
  } catch (error) {
    // A half-written decrypted copy is worth nothing and must not stay on disk.
    await unlink(path).catch(() => undefined);
    throw error;
  }
  return path;
}

/** Creates `path` empty with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600 (an existing entry, link included, is refused). */
async function createPrivateEmptyFile(path: string): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  try {
    const handle = await open(path, flags, RAW_COPY_MODE);
    // The umask can only remove bits from 0600; chmod anyway so the mode never depends on it.
    await handle.chmod(RAW_COPY_MODE);
    await handle.close();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP') {
      throw new AppError('ALREADY_EXISTS', `Le fichier « ${path} » existe déjà : choisissez un autre nom (rien n'est écrasé).`);
    }
    throw new AppError('VALIDATION', `Impossible de créer la copie « ${path} » (${code ?? 'erreur inconnue'}) : vérifiez que le dossier existe et est accessible en écriture.`);
  }
}
