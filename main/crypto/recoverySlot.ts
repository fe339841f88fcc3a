/**
 * The recovery slot of keyring.json (docs/access.md "Recovery code"): the database key and the recovery secret key
 * sealed under the Argon2id key of the recovery code, and the escrows of users' keys sealed to the recovery public key.
 * Which recovery slot counts is decided by the root key's signature of keyring.json (keyringTrust.ts), not here.
 */
import { z } from 'zod';
import { AppError } from '../../shared/domain/errors';
import { open, seal, sealedBox, wipe } from './aead';
import { boxPublicKeyOf, fromB64, openSealed, toB64, unpackSecretKeys, type UserKeys } from './identity';
import { deriveKek, kdfParams, newKdfParams, type KdfCost } from './kdf';

export const recoverySchema = z.object({ kdf: kdfParams, dbKey: sealedBox, secretKey: sealedBox, publicKey: z.string().min(1).max(4096), createdAt: z.string() });
export type RecoverySlot = z.infer<typeof recoverySchema>;

const recoveryAd = (associationId: string, what: 'db' | 'key') => `solidariciel/v1/recovery/${associationId}/${what}`;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new recovery code: 25 Crockford base32 characters (125 random bits) shown as 5 groups of 5. */
export function formatRecoveryCode(random: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 25) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (out.length < 25) throw new Error('recovery code needs 16 random bytes');
  return out.match(/.{5}/g)!.join('-');
}

/** `code` without dashes or spaces, upper case (as shared/domain/user.ts `recoveryCode` parses it). */
export const normalizeRecoveryCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/**
 * The recovery slot: the database key and the recovery secret key sealed under the recovery code. With
 * `rootPublicKey`, the association root public key is sealed after the recovery secret key (64 bytes): a reset with
 * the code then checks escrowed keys against the root's certificates without trusting the folder (accounts.ts).
 */
export async function makeRecovery(
  associationId: string,
  code: string,
  dbKey: Uint8Array,
  recoverySecretKey: Uint8Array,
  recoveryPublicKey: Uint8Array,
  cost: KdfCost,
  rootPublicKey?: Uint8Array,
): Promise<RecoverySlot> {
  const kdf = await newKdfParams(cost);
  const kek = await deriveKek(normalizeRecoveryCode(code), kdf);
  const sealedSecret = rootPublicKey ? new Uint8Array([...recoverySecretKey, ...rootPublicKey]) : recoverySecretKey;
  try {
    return {
      kdf,
      dbKey: await seal(kek, dbKey, recoveryAd(associationId, 'db')),
      secretKey: await seal(kek, sealedSecret, recoveryAd(associationId, 'key')),
      publicKey: await toB64(recoveryPublicKey),
      createdAt: new Date().toISOString(),
    };
  } finally {
    await wipe(kek);
    if (sealedSecret !== recoverySecretKey) await wipe(sealedSecret);
  }
}

/** Opens the recovery slot (`rootPublicKey`: the root pinned in it, absent in slots made before the pin). Throws WRONG_CREDENTIALS (one message for a wrong code and an association without one). */
export async function openRecovery(keyring: { associationId: string; recovery?: RecoverySlot | undefined }, code: string): Promise<{ dbKey: Uint8Array; secretKey: Uint8Array; publicKey: Uint8Array; rootPublicKey?: Uint8Array }> {
  const wrong = new AppError('WRONG_CREDENTIALS', "Code de secours ou nom d'utilisateur incorrect.");
  if (!keyring.recovery) throw wrong;
  const kek = await deriveKek(normalizeRecoveryCode(code), keyring.recovery.kdf);
  try {
    const dbKey = await open(kek, keyring.recovery.dbKey, recoveryAd(keyring.associationId, 'db'));
    const sealed = await open(kek, keyring.recovery.secretKey, recoveryAd(keyring.associationId, 'key'));
    if (!dbKey || !sealed || (sealed.length !== 32 && sealed.length !== 64)) throw wrong;
    const secretKey = sealed.slice(0, 32);
    // The public key of the opened secret, not the file's copy (which anyone could have replaced).
    const publicKey = await boxPublicKeyOf(secretKey);
    const rootPublicKey = sealed.length === 64 ? sealed.slice(32) : undefined;
    await wipe(sealed);
    return { dbKey, secretKey, publicKey, ...(rootPublicKey ? { rootPublicKey } : {}) };
  } finally {
    await wipe(kek);
  }
}

/** A user's keys from their slot's escrow with the opened recovery key; null when the slot has no (valid) escrow. */
export async function keysFromEscrow(slot: { escrow?: string | undefined }, recoveryKey: { publicKey: Uint8Array; secretKey: Uint8Array }): Promise<UserKeys | null> {
  if (!slot.escrow) return null;
  const secret = await openSealed(recoveryKey, await fromB64(slot.escrow));
  return secret ? unpackSecretKeys(secret) : null;
}
