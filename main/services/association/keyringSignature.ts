/**
 * Keeping the root key's signature of keyring.json up to date (docs/access.md "Keyring signature"). Only a root holder
 * (an administrator who opened the root secret key) signs, and only values they can check without trusting the file:
 * - the audit public key: the one of the audit secret key inside the database;
 * - the recovery slot: one this administrator just made (creation, renewal), one already signed, or one the root key
 *   signed in the synced `key_slots` table; anything else is signed as "no verified recovery" (null), never trusted
 *   on first use — the administrator is asked to make a new code;
 * - the Argon2id floor: the one already signed, or the MODERATE class (`kdfFloor`).
 * Files written before the signature are signed this way at the first administrator unlock (the migration).
 */
import type { Knex } from 'knex';
import { boxPublicKeyOf, fromB64, toB64 } from '../../crypto/identity';
import { kdfFloor, type KdfCost } from '../../crypto/kdf';
import { readKeyring, updateKeyring, type Keyring, type RecoverySlot } from '../../crypto/keyring';
import { checkKeyring, keyringWarnings, recoveryDigest, signAttestation, type AttestedValues, type KeyringProblem } from '../../crypto/keyringTrust';
import { syncedRecovery } from '../sync/keySlots';
import type { OpenAssociation } from './associationStore';

/** The root key of the session: the pinned public key, and the secret key when the user holds it. */
export interface RootSigner {
  publicKey: Uint8Array | undefined;
  sign: Uint8Array | null;
}

/** The audit public key of the audit secret key stored in the database (meta `audit_secret_key`); null when none. */
export async function auditPublicKeyOf(db: Knex | Knex.Transaction): Promise<string | null> {
  const row = (await db('meta').where({ key: 'audit_secret_key' }).first('value')) as { value: string } | undefined;
  if (!row) return null;
  const secret = await fromB64(row.value).catch(() => null);
  return secret && secret.length === 32 ? toB64(await boxPublicKeyOf(secret)) : null;
}

/** The values a root holder signs for `keyring` (see the file's comment); `renewed` is a recovery slot they just made. */
async function valuesFor(keyring: Keyring, db: Knex, root: Uint8Array, now: Date, cost: KdfCost | undefined, renewed: RecoverySlot | undefined): Promise<AttestedValues> {
  const previous = (await checkKeyring(keyring, root)).signed;
  let recovery = previous?.recovery ?? null;
  if (renewed) recovery = await recoveryDigest(renewed);
  else if (recovery === null && keyring.recovery) {
    const synced = await syncedRecovery(db, keyring, root);
    if (synced && (await recoveryDigest(synced)) === (await recoveryDigest(keyring.recovery))) recovery = await recoveryDigest(keyring.recovery);
  }
  return {
    recovery,
    auditPublicKey: (await auditPublicKeyOf(db)) ?? previous?.auditPublicKey ?? null,
    kdfFloor: previous?.kdfFloor ?? (await kdfFloor(cost)),
    signedAt: now.toISOString(),
  };
}

const same = (a: AttestedValues | undefined, b: AttestedValues) =>
  a !== undefined && a.recovery === b.recovery && a.auditPublicKey === b.auditPublicKey && a.kdfFloor.opslimit === b.kdfFloor.opslimit && a.kdfFloor.memlimit === b.kdfFloor.memlimit;

/**
 * Signs keyring.json when its signature is missing, refused, or behind what the database holds (a root holder only;
 * returns null for anyone else or when nothing changed). With `renewed`, writes that recovery slot and signs it.
 * Writes the database's audit public key into the file when the file's differs. Returns the values signed.
 */
export async function attestKeyring(association: OpenAssociation, root: RootSigner, now: Date, options: { cost?: KdfCost | undefined; renewed?: RecoverySlot } = {}): Promise<AttestedValues | null> {
  const { sign, publicKey } = root;
  if (!sign || !publicKey) return null;
  const current = await readKeyring(association.dir);
  const planned = await valuesFor(current, association.db, publicKey, now, options.cost, options.renewed);
  const before = (await checkKeyring(current, publicKey)).signed;
  if (!options.renewed && same(before, planned) && current.auditPublicKey === planned.auditPublicKey) return null;
  let written: AttestedValues | null = null;
  association.keyring = await updateKeyring(association.dir, async (k) => {
    const values = await valuesFor(options.renewed ? { ...k, recovery: options.renewed } : k, association.db, publicKey, now, options.cost, options.renewed);
    written = values;
    return {
      ...k,
      ...(options.renewed ? { recovery: options.renewed } : {}),
      ...(values.auditPublicKey ? { auditPublicKey: values.auditPublicKey } : {}),
      attestation: await signAttestation(k.associationId, sign, values),
    };
  });
  return written;
}

/** Problems that mean someone changed keyring.json outside the app (audited as `keyring.refused`). */
export const TAMPERING: readonly KeyringProblem[] = ['signature', 'recovery', 'auditPublicKey'];

/** The French warnings for keyring.json as it is now, checked against `rootPublicKey`; also stored on the association. */
export async function refreshWarnings(association: OpenAssociation, rootPublicKey: Uint8Array | undefined, refusedAtUnlock: readonly KeyringProblem[] = []): Promise<string[]> {
  const now = await checkKeyring(await readKeyring(association.dir), rootPublicKey);
  const problems = [...new Set([...refusedAtUnlock, ...now.problems])];
  association.warnings = keyringWarnings(problems);
  return association.warnings;
}
