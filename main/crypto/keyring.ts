/**
 * `keyring.json`: the public, versioned file next to association.db that holds one key slot per user. A slot is the
 * database key sealed (XChaCha20-Poly1305) under a key derived from the user's password with Argon2id; the slot's
 * parameters travel with it. Changing a password re-seals one slot; nothing else is re-encrypted (DESIGN.md "Keys").
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/domain/errors';
import { writeFileAtomic } from '../fs/atomic';
import { open, seal, sealedBox, wipe } from './aead';
import { deriveKek, kdfParams, newKdfParams, type KdfCost } from './kdf';

export const KEYRING_FILE = 'keyring.json';

const slot = z.object({
  userId: z.string().uuid(),
  userName: z.string().min(1),
  kdf: kdfParams,
  dbKey: sealedBox,
  updatedAt: z.string(),
});
export type KeySlot = z.infer<typeof slot>;

export const keyringSchema = z.object({
  format: z.literal('solidariciel-keyring'),
  version: z.literal(1),
  associationId: z.string().uuid(),
  createdAt: z.string(),
  slots: z.array(slot),
});
export type Keyring = z.infer<typeof keyringSchema>;

const slotAd = (associationId: string, userId: string) => `solidariciel/v1/slot/${associationId}/${userId}`;

/** Name comparison for logins: case-insensitive, Unicode-normalised. */
export function sameUserName(a: string, b: string): boolean {
  return a.normalize('NFC').toLocaleLowerCase('fr') === b.normalize('NFC').toLocaleLowerCase('fr');
}

/** Reads and validates the keyring of `dir`. Throws NOT_AN_ASSOCIATION naming the problem. */
export async function readKeyring(dir: string): Promise<Keyring> {
  let text: string;
  try {
    text = await readFile(join(dir, KEYRING_FILE), 'utf8');
  } catch {
    throw new AppError('NOT_AN_ASSOCIATION', `Aucune association dans « ${dir} » (fichier ${KEYRING_FILE} introuvable).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('NOT_AN_ASSOCIATION', `Le fichier ${KEYRING_FILE} de « ${dir} » est endommagé (JSON illisible).`);
  }
  const parsed = keyringSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new AppError('NOT_AN_ASSOCIATION', `Le fichier ${KEYRING_FILE} de « ${dir} » est endommagé ou d'une version inconnue (${where}).`);
  }
  return parsed.data;
}

/** Writes the keyring atomically (temp file, fsync, rename). */
export async function writeKeyring(dir: string, keyring: Keyring): Promise<void> {
  await writeFileAtomic(join(dir, KEYRING_FILE), new TextEncoder().encode(JSON.stringify(keyring, null, 2)));
}

/** Builds a slot that seals `dbKey` for one user. */
export async function makeSlot(associationId: string, user: { id: string; name: string }, password: string, dbKey: Uint8Array, cost: KdfCost): Promise<KeySlot> {
  const kdf = await newKdfParams(cost);
  const kek = await deriveKek(password, kdf);
  try {
    const box = await seal(kek, dbKey, slotAd(associationId, user.id));
    return { userId: user.id, userName: user.name, kdf, dbKey: box, updatedAt: new Date().toISOString() };
  } finally {
    await wipe(kek);
  }
}

/**
 * Opens the slot of `userName` with `password` and returns the 32-byte database key and the slot.
 * Throws WRONG_CREDENTIALS for an unknown user or a wrong password (one message for both).
 */
export async function openSlot(keyring: Keyring, userName: string, password: string): Promise<{ dbKey: Uint8Array; slot: KeySlot }> {
  const found = keyring.slots.find((s) => sameUserName(s.userName, userName));
  const wrong = new AppError('WRONG_CREDENTIALS', "Nom d'utilisateur ou mot de passe incorrect.");
  if (!found) throw wrong;
  const kek = await deriveKek(password, found.kdf);
  try {
    const dbKey = await open(kek, found.dbKey, slotAd(keyring.associationId, found.userId));
    if (!dbKey || dbKey.length !== 32) throw wrong;
    return { dbKey, slot: found };
  } finally {
    await wipe(kek);
  }
}

/** Returns a copy of the keyring with `slot` added or replacing the slot of the same user. */
export function withSlot(keyring: Keyring, s: KeySlot): Keyring {
  return { ...keyring, slots: [...keyring.slots.filter((x) => x.userId !== s.userId), s] };
}
