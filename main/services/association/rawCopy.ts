/**
 * `db raw-copy` (docs/access.md): a decrypted copy of association.db for audits and disaster recovery, written into
 * a plain SQLite database attached with an empty key (main/db/plainExport.ts, what SQLCipher's `sqlcipher_export`
 * did). Administrators only (`db.rawCopy`), audited.
 * The copy holds what SQLCipher protected; what visibility sealed (notes, tasks, papers narrower than everyone)
 * stays ciphertext in it.
 */
import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../shared/domain/errors';
import { exportPlain } from '../../db/plainExport';
import type { ServiceContext } from '../context';

export async function rawCopy(ctx: ServiceContext, out: string): Promise<string> {
  ctx.access.require('db.rawCopy');
  const path = isAbsolute(out) ? out : resolve(out);
  const exists = await access(path).then(
    () => true,
    () => false,
  );
  if (exists) throw new AppError('ALREADY_EXISTS', `Le fichier « ${path} » existe déjà : choisissez un autre nom (rien n'est écrasé).`);
  await ctx.audit({ action: 'db.rawCopy', details: { path } });
  await exportPlain(ctx.db, path);
  return path;
}
