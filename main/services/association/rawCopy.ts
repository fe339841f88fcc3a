/**
 * `db raw-copy` (issue 3 §10): a decrypted copy of association.db for audits and disaster recovery, made with
 * SQLCipher's `sqlcipher_export` into a plaintext database attached with an empty key
 * (https://www.zetetic.net/sqlcipher/sqlcipher-api/#sqlcipher_export). Administrators only (`db.rawCopy`), audited.
 * The copy holds what SQLCipher protected; what visibility sealed (notes, tasks, papers narrower than everyone)
 * stays ciphertext in it.
 */
import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../../shared/domain/errors';
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
  await ctx.db.raw('ATTACH DATABASE ? AS plaintext KEY ?', [path, '']);
  try {
    await ctx.db.raw("SELECT sqlcipher_export('plaintext')");
  } finally {
    await ctx.db.raw('DETACH DATABASE plaintext');
  }
  return path;
}
