/**
 * The erasure register as a file in a backup destination folder (`erasures.json`, docs/erasure.md): the backup
 * feature writes it beside every backup, and a restore reads it back to re-apply the erasures made since the backup
 * (`reapplyErasures`, main/db/erasure.ts). Ids, kinds and dates only: it needs no encryption. Written atomically;
 * the entries already in the file are kept (a union), so a destination shared by two PCs loses none.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import { erasureRegisterFile, type ErasureEntryShape } from '../../../shared/domain/erasure';
import { writeFileAtomic } from '../../fs/atomic';
import { readErasureRegister } from '../../db/erasure';

export const REGISTER_FILE = 'erasures.json';

/**
 * The entries of `folder/erasures.json` for `associationId`; [] when there is no file.
 * @throws AppError VALIDATION when the file is not a register (names the file), or belongs to another association.
 */
export async function readErasureRegisterFile(folder: string, associationId: string): Promise<ErasureEntryShape[]> {
  const path = join(folder, REGISTER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError('VALIDATION', `Registre des effacements illisible : ${path} (${(e as NodeJS.ErrnoException).code ?? 'erreur'}).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION', `Registre des effacements malformé (JSON invalide) : ${path}.`);
  }
  const r = erasureRegisterFile.safeParse(parsed);
  if (!r.success) throw new AppError('VALIDATION', `Registre des effacements malformé : ${path} (${r.error.issues[0]?.path.join('.') || 'racine'} : ${r.error.issues[0]?.message}).`);
  if (r.data.associationId !== associationId) throw new AppError('VALIDATION', `Le registre des effacements ${path} appartient à une autre association.`);
  return r.data.entries;
}

/**
 * The bytes of `folder/erasures.json` as it should now be: the database's register merged with the file's (a union,
 * sorted by date then id). Same errors as `readErasureRegisterFile`.
 */
export async function erasureRegisterBytes(db: Knex, folder: string, associationId: string, now: Date): Promise<{ bytes: Uint8Array; entries: number }> {
  const merged = new Map<string, ErasureEntryShape>();
  for (const e of await readErasureRegisterFile(folder, associationId)) merged.set(e.id, e);
  for (const e of await readErasureRegister(db)) merged.set(e.id, e);
  const entries = [...merged.values()].sort((a, b) => (a.erasedAt === b.erasedAt ? a.id.localeCompare(b.id) : a.erasedAt.localeCompare(b.erasedAt)));
  const file = erasureRegisterFile.parse({ format: 'solidariciel-erasures', version: 1, associationId, writtenAt: now.toISOString(), entries });
  return { bytes: new TextEncoder().encode(`${JSON.stringify(file, null, 1)}\n`), entries: entries.length };
}

/** Writes the database's register, merged with the file's, to `folder/erasures.json`. Returns the number of entries. */
export async function writeErasureRegisterFile(db: Knex, folder: string, associationId: string, now: Date): Promise<number> {
  const { bytes, entries } = await erasureRegisterBytes(db, folder, associationId, now);
  await writeFileAtomic(join(folder, REGISTER_FILE), bytes);
  return entries;
}
