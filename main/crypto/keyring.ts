/**
 * `keyring.json`: the public, versioned file next to association.db (DESIGN.md "Keys").
 *
 * - One **slot** per user: Argon2id parameters, the database key and the user's secret keys (X25519 ‖ Ed25519 ‖ the
 *   pinned association root public key, docs/access.md "Keys") each
 *   sealed (XChaCha20-Poly1305) under the key derived from their password, their public keys, and an **escrow** of
 *   their secret keys sealed to the recovery public key. A slot approved by an administrator first carries the
 *   database key sealed to the user's public key (`dbKeyForKeys`); the first unlock re-seals it under the password.
 * - **Requests**: accounts asked for on the office PC, not approved yet (no database key at all).
 * - The **recovery** slot: the database key and the recovery secret key sealed under the recovery code.
 * - `auditPublicKey`: failed unlocks are sealed to it before the database can be opened (see pendingAudit.ts).
 * - `attestation`: the association root key's signature of the recovery slot, the audit public key and the Argon2id
 *   floor (keyringTrust.ts). The file is untrusted storage: escrows go only to a recovery key that signature vouches for.
 *
 * Version 1 files (no key pairs, no recovery) are read and upgraded slot by slot at each user's next unlock.
 * Changing a password re-seals one slot; nothing else is re-encrypted.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/domain/errors';
import { writeFileAtomic } from '../fs/atomic';
import { KeyedQueue } from '../fs/keyedQueue';
import { open, seal, sealedBox, wipe } from './aead';
import { fromB64, newUserKeys, openSealed, packSecretKeys, sealTo, toB64, unpackSecretKeys, type UserKeys } from './identity';
import { belowFloor, deriveKek, kdfParams, newKdfParams, type KdfCost } from './kdf';
import { attestationSchema, type KeyringTrust } from './keyringTrust';
import { recoverySchema } from './recoverySlot';

export const KEYRING_FILE = 'keyring.json';

const b64 = z.string().min(1).max(4096);

const slot = z
  .object({
  userId: z.string().uuid(),
  userName: z.string().min(1),
  kdf: kdfParams,
  /** The database key sealed under the password-derived key (absent until the first unlock of an approved account). */
  dbKey: sealedBox.optional(),
  /** The database key sealed to `publicKey` by the approving administrator, replaced by `dbKey` at first unlock. */
  dbKeyForKeys: b64.optional(),
  publicKey: b64.optional(),
  signPublicKey: b64.optional(),
  /**
   * box secret key ‖ signing secret key ‖ pinned root public key ‖ adoption flag (96 bytes without the pin, 128
   * without the flag), sealed under the password-derived key.
   */
  secretKeys: sealedBox.optional(),
  /** The same secret keys sealed to the recovery public key: a recovery-code reset keeps the user's keys. */
  escrow: b64.optional(),
  /** The recovery public key the escrow is sealed to (a renewed, signed recovery code re-escrows at the next unlock). */
  escrowTo: b64.optional(),
  updatedAt: z.string(),
}).refine((s) => s.dbKey !== undefined || (s.dbKeyForKeys !== undefined && s.secretKeys !== undefined), { message: 'slot without a sealed database key', path: ['dbKey'] });
export const keySlotSchema = slot;
export type KeySlot = z.infer<typeof slot>;

const request = z.object({
  /** Becomes the user's id once approved. */
  id: z.string().uuid(),
  userName: z.string().min(1),
  displayName: z.string(),
  kdf: kdfParams,
  publicKey: b64,
  signPublicKey: b64,
  secretKeys: sealedBox,
  escrow: b64.optional(),
  escrowTo: b64.optional(),
  requestedAt: z.string(),
});
export type AccountRequestRecord = z.infer<typeof request>;

export { formatRecoveryCode, keysFromEscrow, makeRecovery, normalizeRecoveryCode, openRecovery, type RecoverySlot } from './recoverySlot';

const v2 = z.object({
  format: z.literal('solidariciel-keyring'),
  version: z.literal(2),
  associationId: z.string().uuid(),
  createdAt: z.string(),
  slots: z.array(slot),
  requests: z.array(request).default([]),
  recovery: recoverySchema.optional(),
  auditPublicKey: b64.optional(),
  /** The association's root signing public key (informational: each user trusts the copy pinned in their own bundle). */
  rootPublicKey: b64.optional(),
  /** The root key's signature of what decides where key material goes (keyringTrust.ts; absent in files from before it). */
  attestation: attestationSchema.optional(),
});
const v1 = z.object({
  format: z.literal('solidariciel-keyring'),
  version: z.literal(1),
  associationId: z.string().uuid(),
  createdAt: z.string(),
  slots: z.array(slot),
});
export const keyringSchema = z.union([v2, v1.transform((k) => ({ ...k, version: 2 as const, requests: [] }))]);
export type Keyring = z.infer<typeof v2>;

const slotAd = (associationId: string, userId: string) => `solidariciel/v1/slot/${associationId}/${userId}`;
const keysAd = (associationId: string, userId: string) => `solidariciel/v1/keys/${associationId}/${userId}`;

/** Name comparison for logins: case-insensitive, Unicode-normalised. */
export function sameUserName(a: string, b: string): boolean {
  return a.normalize('NFC').toLocaleLowerCase('fr') === b.normalize('NFC').toLocaleLowerCase('fr');
}

/** Reads and validates the keyring of `dir` (version 1 files come back in the version 2 shape). Throws NOT_AN_ASSOCIATION naming the problem. */
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

/** The keyring.json changes in progress, by folder: each starts when the previous one has been written. */
const updates = new KeyedQueue();

/**
 * Reads keyring.json, applies `change` and writes the result, one change at a time per folder in this process, so that
 * two changes made together (a password change and an approval, a request and an unlock…) never write over each other.
 * Do the slow work (Argon2id) before: `change` should only merge. Returns the keyring written.
 */
export async function updateKeyring(dir: string, change: (current: Keyring) => Keyring | Promise<Keyring>): Promise<Keyring> {
  return updates.run(resolve(dir), async () => {
    const next = await change(await readKeyring(dir));
    await writeKeyring(dir, next);
    return next;
  });
}

/** The public parts of a user identity and its secret keys sealed under `kek`, escrowed to `escrowTo` when given (a verified recovery key). */
async function sealIdentity(associationId: string, userId: string, keys: UserKeys, kek: Uint8Array, escrowTo: string | undefined) {
  const secret = packSecretKeys(keys);
  try {
    return {
      publicKey: await toB64(keys.boxPublicKey),
      signPublicKey: await toB64(keys.signPublicKey),
      secretKeys: await seal(kek, secret, keysAd(associationId, userId)),
      ...(escrowTo ? { escrow: await toB64(await sealTo(await fromB64(escrowTo), secret)), escrowTo } : {}),
    };
  } finally {
    await wipe(secret);
  }
}

/**
 * Builds a slot that seals `dbKey` and the user's keys (fresh ones unless given) under `password`, escrowed to
 * `recoveryPublicKey` — which must come from `KeyringTrust` (signed by the root key), never straight from the file.
 * Without it, `keepEscrowOf` (a slot holding the same keys) keeps its escrow; otherwise the slot has none until an
 * unlock with a verified recovery key.
 */
export async function makeSlot(
  associationId: string,
  user: { id: string; name: string },
  password: string,
  dbKey: Uint8Array,
  cost: KdfCost,
  identity: { keys?: UserKeys; recoveryPublicKey?: string | undefined; keepEscrowOf?: KeySlot | undefined } = {},
): Promise<KeySlot> {
  const kdf = await newKdfParams(cost);
  const kek = await deriveKek(password, kdf);
  try {
    const keys = identity.keys ?? (await newUserKeys());
    return {
      userId: user.id,
      userName: user.name,
      kdf,
      dbKey: await seal(kek, dbKey, slotAd(associationId, user.id)),
      ...(identity.keys && !identity.recoveryPublicKey ? escrowOf(identity.keepEscrowOf) : {}),
      ...(await sealIdentity(associationId, user.id, keys, kek, identity.recoveryPublicKey)),
      updatedAt: new Date().toISOString(),
    };
  } finally {
    await wipe(kek);
  }
}

/** The escrow fields of `slot` (to keep them when re-sealing the same keys). */
const escrowOf = (slot: KeySlot | undefined) => (slot?.escrow && slot.escrowTo ? { escrow: slot.escrow, escrowTo: slot.escrowTo } : {});

export interface OpenedSlot {
  dbKey: Uint8Array;
  slot: KeySlot;
  keys: UserKeys;
  /** The slot rewritten at this unlock (keys added to a version 1 slot, the approved database key re-sealed, escrow moved, weak Argon2id raised); write it back. */
  upgraded: KeySlot | null;
  /** The escrow moved at this unlock (to a recovery key the root key signed): audit it. */
  reescrowed: { from: string | null; to: string } | null;
  /** The Argon2id cost raised at this unlock (the slot was below the signed floor): audit it. */
  resealed: { from: KdfCost; to: KdfCost } | null;
  /** keyring.json as checked against the root pinned in this user's bundle (null when `trustWith` was not given). */
  trust: KeyringTrust | null;
  /**
   * `slot` with the adoption flag set in its bundle (and escrow), sealed now while the password-derived key is at hand;
   * null when the bundle has it already or pins no root. Written back once the session has seen signed access
   * decisions (docs/access.md "Signed access decisions").
   */
  adoptedSlot: KeySlot | null;
}

/**
 * Opens the slot of `userName` with `password`: the 32-byte database key and the user's keys.
 * Throws WRONG_CREDENTIALS for an unknown user or a wrong password (one message for both), PENDING_APPROVAL for an
 * account requested and not approved yet (only once the password is proven right).
 */
export async function openSlot(
  keyring: Keyring,
  userName: string,
  password: string,
  /**
   * Called with the database key when the bundle has no pinned root public key yet: returns the root to pin (trust on
   * first use, from the database) or null. The slot is then re-sealed with the pin (`upgraded`).
   */
  pin?: (dbKey: Uint8Array) => Promise<Uint8Array | null>,
  /** Checks keyring.json against the root the user trusts: only the recovery key and floor it vouches for are used. */
  trustWith?: (rootPublicKey: Uint8Array | undefined) => Promise<KeyringTrust>,
): Promise<OpenedSlot> {
  const found = keyring.slots.find((s) => sameUserName(s.userName, userName));
  const wrong = new AppError('WRONG_CREDENTIALS', "Nom d'utilisateur ou mot de passe incorrect.");
  if (!found) {
    const pending = keyring.requests.find((r) => sameUserName(r.userName, userName));
    if (pending) await openRequest(keyring, pending, password);
    throw wrong;
  }
  const kek = await deriveKek(password, found.kdf);
  try {
    let keys: UserKeys | null = null;
    if (found.secretKeys) {
      const secret = await open(kek, found.secretKeys, keysAd(keyring.associationId, found.userId));
      keys = secret ? await unpackSecretKeys(secret) : null;
      if (!keys) throw wrong;
    }
    let dbKey: Uint8Array | null = null;
    if (found.dbKey) dbKey = await open(kek, found.dbKey, slotAd(keyring.associationId, found.userId));
    else if (found.dbKeyForKeys && keys) dbKey = await openSealed({ publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey }, await fromB64(found.dbKeyForKeys));
    if (!dbKey || dbKey.length !== 32) throw wrong;
    let upgraded: KeySlot | null = null;
    const hadKeys = keys !== null;
    let pinned = false;
    if (pin && !keys?.rootPublicKey) {
      const root = await pin(dbKey);
      if (root) {
        keys ??= await newUserKeys();
        keys.rootPublicKey = root;
        pinned = true;
      }
    }
    const trust = trustWith ? await trustWith(keys?.rootPublicKey) : null;
    // Escrows go only to a recovery key the root key signed (never to whatever the file says: docs/access.md).
    const target = trust?.recoveryPublicKey;
    const staleEscrow = target !== undefined && (found.escrowTo !== target || !hadKeys);
    // A slot cheaper than the signed Argon2id floor (e.g. approved from a forged request) is re-sealed under the floor.
    const raiseTo = trust?.floor && belowFloor(found.kdf, trust.floor) ? trust.floor : null;
    let resealed: OpenedSlot['resealed'] = null;
    if (!keys || !found.dbKey || staleEscrow || pinned || raiseTo) {
      keys ??= await newUserKeys();
      const { dbKeyForKeys: _approved, escrow: _escrow, escrowTo: _escrowTo, ...rest } = found;
      const kdf = raiseTo ? await newKdfParams(raiseTo) : found.kdf;
      const sealKek = raiseTo ? await deriveKek(password, kdf) : kek;
      if (raiseTo) resealed = { from: { opslimit: found.kdf.opslimit, memlimit: found.kdf.memlimit }, to: { opslimit: kdf.opslimit, memlimit: kdf.memlimit } };
      try {
        upgraded = {
          ...rest,
          kdf,
          dbKey: await seal(sealKek, dbKey, slotAd(keyring.associationId, found.userId)),
          ...(hadKeys && !target ? escrowOf(found) : {}),
          ...(await sealIdentity(keyring.associationId, found.userId, keys, sealKek, target)),
          updatedAt: new Date().toISOString(),
        };
      } finally {
        if (sealKek !== kek) await wipe(sealKek);
      }
    }
    const reescrowed = staleEscrow && target ? { from: hadKeys ? (found.escrowTo ?? null) : null, to: target } : null;
    const slot = upgraded ?? found;
    const adoptedSlot = keys.rootPublicKey && !keys.accessAdopted ? await flaggedSlot(keyring.associationId, slot, keys, password, kek, raiseTo !== null) : null;
    return { dbKey, slot, keys, upgraded, reescrowed, resealed, trust, adoptedSlot };
  } finally {
    await wipe(kek);
  }
}

/**
 * `slot` with its bundle (and escrow, sealed to the same recovery key) re-sealed with the adoption flag. `kek` is the
 * key of `slot` unless the unlock just raised its Argon2id cost (`rederive`): then it is derived again from `password`.
 */
async function flaggedSlot(associationId: string, slot: KeySlot, keys: UserKeys, password: string, kek: Uint8Array, rederive: boolean): Promise<KeySlot> {
  const sealKek = rederive ? await deriveKek(password, slot.kdf) : kek;
  const secret = packSecretKeys({ ...keys, accessAdopted: true });
  try {
    return {
      ...slot,
      secretKeys: await seal(sealKek, secret, keysAd(associationId, slot.userId)),
      ...(slot.escrow && slot.escrowTo ? { escrow: await toB64(await sealTo(await fromB64(slot.escrowTo), secret)) } : {}),
    };
  } finally {
    await wipe(secret);
    if (sealKek !== kek) await wipe(sealKek);
  }
}

/** Returns a copy of the keyring with `slot` added or replacing the slot of the same user. */
export function withSlot(keyring: Keyring, s: KeySlot): Keyring {
  return { ...keyring, slots: [...keyring.slots.filter((x) => x.userId !== s.userId), s] };
}

/**
 * A request for an account, written on the office PC before anyone unlocks: the newcomer's keys sealed under their
 * password. Holds no database key (only an administrator's approval gives one) and no escrow: while locked nothing
 * can check that the recovery key in the file is the association's, so the escrow is made at the first unlock.
 */
export async function makeRequest(keyring: Keyring, input: { id: string; userName: string; displayName: string; password: string }, cost: KdfCost): Promise<AccountRequestRecord> {
  const kdf = await newKdfParams(cost);
  const kek = await deriveKek(input.password, kdf);
  try {
    const keys = await newUserKeys();
    const sealed = await sealIdentity(keyring.associationId, input.id, keys, kek, undefined);
    return { id: input.id, userName: input.userName, displayName: input.displayName, kdf, ...sealed, requestedAt: new Date().toISOString() } as AccountRequestRecord;
  } finally {
    await wipe(kek);
  }
}

/** Proves `password` against a pending request; throws PENDING_APPROVAL when right, WRONG_CREDENTIALS otherwise. */
async function openRequest(keyring: Keyring, r: AccountRequestRecord, password: string): Promise<never> {
  const kek = await deriveKek(password, r.kdf);
  try {
    const secret = await open(kek, r.secretKeys, keysAd(keyring.associationId, r.id));
    if (secret) {
      await wipe(secret);
      throw new AppError('PENDING_APPROVAL', "Votre demande de compte attend l'accord d'un administrateur : vous pourrez ouvrir l'association ensuite.");
    }
    throw new AppError('WRONG_CREDENTIALS', "Nom d'utilisateur ou mot de passe incorrect.");
  } finally {
    await wipe(kek);
  }
}

/**
 * The slot of an approved request: its keys as the newcomer sealed them, the database key sealed to their public key.
 * An escrow the request carries (written by older versions, to a recovery key nobody could check) is dropped.
 */
export async function slotFromRequest(r: AccountRequestRecord, dbKey: Uint8Array): Promise<KeySlot> {
  return {
    userId: r.id,
    userName: r.userName,
    kdf: r.kdf,
    dbKeyForKeys: await toB64(await sealTo(await fromB64(r.publicKey), dbKey)),
    publicKey: r.publicKey,
    signPublicKey: r.signPublicKey,
    secretKeys: r.secretKeys,
    updatedAt: new Date().toISOString(),
  };
}

