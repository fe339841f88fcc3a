/**
 * An association on disk (DESIGN.md "An association on disk"): a folder with `association.db` (SQLCipher, random
 * 256-bit raw key), `keyring.json` (one Argon2id key slot per user) and `vault/` (encrypted papers).
 */
import { mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { openSqlCipher } from '../../db/sqlcipherClient';
import { migrate } from '../../db/migrations';
import { getSodium } from '../../crypto/sodium';
import { wipe } from '../../crypto/aead';
import { calibratedCost, kdfFloor, type KdfCost } from '../../crypto/kdf';
import { checkKeyring, recoveryDigest, signAttestation, type KeyringTrust } from '../../crypto/keyringTrust';
import { formatRecoveryCode, KEYRING_FILE, makeRecovery, makeSlot, openSlot, readKeyring, updateKeyring, withSlot, writeKeyring, type Keyring, type OpenedSlot } from '../../crypto/keyring';
import { fromB64, newBoxKeyPair, newSignKeyPair, newUserKeys, sealTo, sign, toB64, userCertMessage, type UserKeys } from '../../crypto/identity';
import type { Clock } from '../../core/ports';
import { appendAudit } from '../audit/auditLog';
import { KeyedQueue } from '../../fs/keyedQueue';
import { associationFolderProblem } from '../../fs/folderName';
import { checkUnlockDelay, PENDING_AUDIT_FILE, recordPending } from './pendingAudit';

export const DB_FILE = 'association.db';
export const VAULT_DIR = 'vault';

export interface OpenAssociation {
  dir: string;
  db: Knex;
  /** The raw database key; kept in memory while unlocked (adding a user seals it into a new slot). */
  dbKey: Uint8Array;
  keyring: Keyring;
  associationId: string;
  userId: string;
  /** The user's secret keys (X25519 ‖ Ed25519), opened from their slot; wiped at lock. */
  keys: UserKeys;
  /** Set only right after creation: the recovery code to show once. */
  recoveryCode?: string;
  /** keyring.json as checked at unlock against the root pinned in the user's bundle (null right after creation). */
  trust?: KeyringTrust | null;
  /** What the unlock changed in the user's slot, to audit: escrow moved to a signed recovery key, Argon2id raised. */
  slotChanges?: Pick<OpenedSlot, 'reescrowed' | 'resealed'>;
  /** The user's slot with the adoption flag in its bundle, to write once signed access decisions are seen (sessionStart). */
  adoptedSlot?: OpenedSlot['adoptedSlot'];
  /** French sentences for the window: what was refused in keyring.json (docs/access.md "Keyring signature"). */
  warnings?: string[];
}

export interface CreateAssociationInput {
  dir: string;
  name: string;
  adminName: string;
  password: string;
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** 'missing', 'empty' or 'used'. Anything but a missing folder that cannot be read counts as used: never guess empty. */
export async function folderState(dir: string): Promise<'missing' | 'empty' | 'used'> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) return 'used';
    return (await readdir(dir)).length === 0 ? 'empty' : 'used';
  } catch (e) {
    // ENOTDIR: a parent is a file; creating the folder will then fail with a clear message, before any write.
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'used';
  }
}

/**
 * Throws VALIDATION (field `dir`, French message naming the part at fault) when `dir` cannot hold an association on
 * this platform: reserved Windows names, trailing dot or space, forbidden characters, too long (main/fs/folderName.ts).
 */
export function assertAssociationFolder(dir: string): void {
  const problem = associationFolderProblem(dir);
  if (problem) throw new AppError('VALIDATION', problem, { field: 'dir' });
}

/** The files an association creation writes, removed if it fails (never the folder's other content). */
const CREATED = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, KEYRING_FILE, PENDING_AUDIT_FILE];

/** Opens the database with the key and brings its schema up to date (refusing a newer one). */
export async function openDatabase(dir: string, dbKey: Uint8Array): Promise<Knex> {
  const db = openSqlCipher(join(dir, DB_FILE), toHex(dbKey));
  try {
    await migrate(db);
    return db;
  } catch (e) {
    await db.destroy();
    throw e;
  }
}

/**
 * Creates an association in `dir` (missing or empty) with its first administrator, and returns it unlocked.
 * Throws VALIDATION if `dir` cannot hold an association here (assertAssociationFolder), ALREADY_EXISTS if it holds
 * anything. On failure, removes what it created.
 * `cost` overrides the calibrated Argon2id cost (tests only).
 */
export async function createAssociation(input: CreateAssociationInput, clock: Clock, cost?: KdfCost): Promise<OpenAssociation> {
  assertAssociationFolder(input.dir);
  const state = await folderState(input.dir);
  if (state === 'used') {
    throw new AppError('ALREADY_EXISTS', `Le dossier « ${input.dir} » n'est pas vide ou pas lisible : choisissez un dossier vide ou nouveau.`);
  }
  const sodium = await getSodium();
  const dbKey = sodium.randombytes_buf(32);
  const associationId = uuidv7();
  const adminId = uuidv7();
  const now = clock.now().toISOString();
  await mkdir(join(input.dir, VAULT_DIR), { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new AppError('VALIDATION', `Impossible de créer le dossier « ${input.dir} » (${e.code ?? 'erreur inconnue'}) : choisissez un dossier accessible en écriture.`);
  });
  let db: Knex | null = null;
  const keys = await newUserKeys();
  const recoveryKey = await newBoxKeyPair();
  const auditKey = await newBoxKeyPair();
  // The association root signing key: pinned in the first administrator's bundle, its secret sealed to them.
  const root = await newSignKeyPair();
  keys.rootPublicKey = root.publicKey;
  try {
    db = await openDatabase(input.dir, dbKey);
    const kdfCost = cost ?? (await calibratedCost());
    const recoveryCode = formatRecoveryCode(sodium.randombytes_buf(16));
    const recovery = await makeRecovery(associationId, recoveryCode, dbKey, recoveryKey.secretKey, recoveryKey.publicKey, kdfCost, root.publicKey);
    await db.transaction(async (trx) => {
      await trx('meta').insert([
        { key: 'association_id', value: associationId },
        { key: 'association_name', value: input.name },
        { key: 'created_at', value: now },
        { key: 'device_id', value: uuidv7() },
        { key: 'auto_lock_minutes', value: '10' },
        { key: 'audit_secret_key', value: await toB64(auditKey.secretKey) },
        { key: 'root_public_key', value: await toB64(root.publicKey) },
      ]);
      await trx('scope_keys').insert({ scope_id: 'association', epoch: 1, key: sodium.to_base64(sodium.randombytes_buf(32)), created_at: now });
      const publicKey = await toB64(keys.boxPublicKey);
      const signPublicKey = await toB64(keys.signPublicKey);
      await trx('users').insert({
        id: adminId,
        name: input.adminName,
        display_name: input.adminName,
        is_admin: 1,
        role_id: 'admin',
        public_key: publicKey,
        sign_public_key: signPublicKey,
        key_cert: await toB64(await sign(root.secretKey, userCertMessage(associationId, adminId, publicKey, signPublicKey))),
        disabled: 0,
        created_at: now,
        updated_at: now,
        scope_id: 'association',
      });
      await trx('root_key_grants').insert({ id: uuidv7(), user_id: adminId, sealed: await toB64(await sealTo(await fromB64(publicKey), root.secretKey)), created_at: now, updated_at: now, scope_id: 'association' });
      await appendAudit(trx, { id: adminId, name: input.adminName }, [{ action: 'association.create', targetType: 'association', targetId: associationId, details: { name: input.name } }], () => clock.now());
    });
    const slot = await makeSlot(associationId, { id: adminId, name: input.adminName }, input.password, dbKey, kdfCost, { keys, recoveryPublicKey: recovery.publicKey });
    // The same slot with the adoption flag: written by the creation's session once it has signed the seeded rows.
    const adoptedSlot = await makeSlot(associationId, { id: adminId, name: input.adminName }, input.password, dbKey, kdfCost, { keys: { ...keys, accessAdopted: true }, recoveryPublicKey: recovery.publicKey });
    const keyring: Keyring = {
      format: 'solidariciel-keyring',
      version: 2,
      associationId,
      createdAt: now,
      slots: [slot],
      requests: [],
      recovery,
      auditPublicKey: await toB64(auditKey.publicKey),
      rootPublicKey: await toB64(root.publicKey),
    };
    // The root key vouches at once for the recovery slot, the audit key and the Argon2id floor (docs/access.md).
    keyring.attestation = await signAttestation(associationId, root.secretKey, {
      recovery: await recoveryDigest(recovery),
      auditPublicKey: keyring.auditPublicKey ?? null,
      kdfFloor: await kdfFloor(cost),
      signedAt: now,
    });
    await writeKeyring(input.dir, keyring);
    await wipe(recoveryKey.secretKey, auditKey.secretKey, root.secretKey);
    return { dir: input.dir, db, dbKey, keyring, associationId, userId: adminId, keys, recoveryCode, adoptedSlot };
  } catch (e) {
    if (db) await db.destroy();
    await wipe(dbKey, keys.boxSecretKey, keys.signSecretKey, recoveryKey.secretKey, auditKey.secretKey, root.secretKey);
    // Remove only what this creation wrote; the folder itself only if it created it (and it is empty again).
    for (const f of CREATED) await rm(join(input.dir, f), { force: true }).catch(() => undefined);
    await rm(join(input.dir, VAULT_DIR), { recursive: true, force: true }).catch(() => undefined);
    if (state === 'missing') await rmdir(input.dir).catch(() => undefined);
    throw e;
  }
}

/** Unlock attempts in progress, by folder (see `openAssociation`). */
const attempts = new KeyedQueue();
const oneAttemptAtATime = <T>(dir: string, work: () => Promise<T>): Promise<T> => attempts.run(resolve(dir), work);

/**
 * Unlocks the association in `dir` as `userName`. Throws NOT_AN_ASSOCIATION (no or damaged keyring),
 * WRONG_CREDENTIALS (unknown user or wrong password: counted and audited, nothing else happens), TOO_MANY_ATTEMPTS
 * (the growing delay after failures runs), PENDING_APPROVAL, DB_NEWER_VERSION, SQLCIPHER_MISSING, FORBIDDEN (disabled).
 * A version 1 slot gets its key pairs here (and keyring.json is rewritten).
 */
export async function openAssociation(dir: string, userName: string, password: string, clock: Clock = { now: () => new Date() }): Promise<OpenAssociation> {
  const keyring = await readKeyring(dir);
  // One attempt at a time per folder: attempts sent together would all pass the delay check before any failure is
  // counted (and their counts would overwrite each other in pending-audit.json).
  // A bundle without the pinned root key pins the database's (trust on first use); the database opened for that is kept.
  let early: Knex | null = null;
  const pin = async (dbKey: Uint8Array) => {
    early ??= await openDatabase(dir, dbKey);
    const row = (await early('meta').where({ key: 'root_public_key' }).first('value')) as { value: string } | undefined;
    return row ? fromB64(row.value).catch(() => null) : null;
  };
  const opened = await oneAttemptAtATime(dir, async () => {
    await checkUnlockDelay(dir, clock.now());
    try {
      return await openSlot(keyring, userName, password, pin, (root) => checkKeyring(keyring, root));
    } catch (e) {
      if (e instanceof AppError && (e.code === 'WRONG_CREDENTIALS' || e.code === 'PENDING_APPROVAL')) {
        const pending = e.code === 'PENDING_APPROVAL';
        // A right password on an account not approved yet is recorded, not counted towards the delay.
        await recordPending(dir, keyring, { action: 'session.unlockFailed', actorName: userName.slice(0, 64), details: pending ? { reason: 'pendingApproval' } : {} }, !pending, clock.now());
      }
      throw e;
    }
  }).catch(async (e: unknown) => {
    if (early) await (early as Knex).destroy();
    throw e;
  });
  const { dbKey, slot, keys, upgraded, reescrowed, resealed, trust, adoptedSlot } = opened;
  let db: Knex | null = early;
  try {
    db ??= await openDatabase(dir, dbKey);
    const meta = (await db('meta').where({ key: 'association_id' }).first()) as { value: string } | undefined;
    if (meta?.value !== keyring.associationId) {
      throw new AppError('NOT_AN_ASSOCIATION', `La base de données de « ${dir} » ne correspond pas à son fichier keyring.json.`);
    }
    const user = (await db('users').where({ id: slot.userId }).whereNull('deleted_at').first()) as { disabled: number } | undefined;
    if (!user || user.disabled) throw new AppError('FORBIDDEN', 'Ce compte est désactivé. Adressez-vous à un administrateur.');
    let current = keyring;
    if (upgraded) {
      current = await updateKeyring(dir, (k) => withSlot(k, upgraded));
    }
    return { dir, db, dbKey, keyring: current, associationId: keyring.associationId, userId: slot.userId, keys, trust, slotChanges: { reescrowed, resealed }, adoptedSlot };
  } catch (e) {
    if (db) await db.destroy();
    await wipe(dbKey, keys.boxSecretKey, keys.signSecretKey);
    throw e;
  }
}
