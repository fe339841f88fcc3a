/**
 * What can be done on the office PC without unlocking: ask for an account (issue 3 §2) and reset a password with the
 * recovery code (§8). Neither gives access by itself: a request waits for an administrator's approval; a reset needs
 * the code printed at creation and kept in the office safe, and is audited.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { wipe } from '../../crypto/aead';
import type { Knex } from 'knex';
import { fromB64, newUserKeys, toB64, userCertMessage, verify, type UserKeys } from '../../crypto/identity';
import { calibratedCost, type KdfCost } from '../../crypto/kdf';
import { keysFromEscrow, makeRequest, makeSlot, openRecovery, readKeyring, sameUserName, updateKeyring, withSlot } from '../../crypto/keyring';
import type { Clock } from '../../core/ports';
import { appendAudit } from '../audit/auditLog';
import { openDatabase } from './associationStore';
import { recordPending } from './pendingAudit';

/**
 * Writes a request for an account into keyring.json: the newcomer's keys sealed under their password, no database key.
 * Throws ALREADY_EXISTS when the name is taken by a user or another request (any case).
 */
export async function requestAccount(dir: string, input: { name: string; displayName?: string | undefined; password: string }, clock: Clock, cost?: KdfCost): Promise<void> {
  const keyring = await readKeyring(dir);
  if (keyring.slots.some((s) => sameUserName(s.userName, input.name)) || keyring.requests.some((r) => sameUserName(r.userName, input.name))) {
    throw new AppError('ALREADY_EXISTS', `Le nom « ${input.name} » est déjà pris : choisissez-en un autre.`);
  }
  const id = uuidv7();
  const request = await makeRequest(keyring, { id, userName: input.name, displayName: input.displayName || input.name, password: input.password }, cost ?? (await calibratedCost()));
  const latest = await updateKeyring(dir, (k) => ({ ...k, requests: [...k.requests.filter((r) => !sameUserName(r.userName, input.name)), request] }));
  await recordPending(dir, latest, { action: 'user.request', actorName: input.name, targetType: 'user', targetId: id, details: {} }, false, clock.now());
}

/**
 * Resets `userName`'s password with the association's recovery code: a new slot under the new password holding the
 * same keys (taken from the slot's escrow), so the user keeps what only they could read. Audited as `recovery.used`.
 * Escrowed keys are kept only if the root pinned in the recovery slot certified them for this user (`users.key_cert`):
 * an escrow someone else wrote into the slot (their own keys, sealed to the public recovery key) is refused, and the
 * user gets fresh keys (docs/access.md "Recovery code"). Throws WRONG_CREDENTIALS (wrong code or unknown user).
 */
export async function resetPassword(dir: string, userName: string, code: string, newPassword: string, clock: Clock, cost?: KdfCost): Promise<void> {
  const keyring = await readKeyring(dir);
  const recovered = await openRecovery(keyring, code);
  let db: Knex | null = null;
  try {
    const slot = keyring.slots.find((s) => sameUserName(s.userName, userName));
    if (!slot) throw new AppError('WRONG_CREDENTIALS', "Code de secours ou nom d'utilisateur incorrect.");
    db = await openDatabase(dir, recovered.dbKey);
    let escrowed = await keysFromEscrow(slot, recovered);
    const escrowRefused = escrowed !== null && recovered.rootPublicKey !== undefined && !(await certified(db, keyring.associationId, slot.userId, escrowed, recovered.rootPublicKey));
    if (escrowRefused && escrowed) {
      await wipe(escrowed.boxSecretKey, escrowed.signSecretKey);
      escrowed = null;
    }
    const keys = escrowed ?? (await newUserKeys());
    // The root the code was made with is the one to trust (the folder's copies may have been replaced).
    if (recovered.rootPublicKey) keys.rootPublicKey = recovered.rootPublicKey;
    // Keys kept: so is their escrow, which this very recovery key just opened. New keys get an escrow at the first
    // unlock, to a recovery key the root key signed (nothing here can check the file's: docs/access.md).
    const fresh = await makeSlot(keyring.associationId, { id: slot.userId, name: slot.userName }, newPassword, recovered.dbKey, cost ?? (await calibratedCost()), {
      keys,
      keepEscrowOf: escrowed ? { ...slot, escrowTo: await toB64(recovered.publicKey) } : undefined,
    });
    await db.transaction(async (trx) => {
      if (!escrowed) await trx('users').where({ id: slot.userId }).update({ public_key: await toB64(keys.boxPublicKey), sign_public_key: await toB64(keys.signPublicKey) });
      const details = { userName: slot.userName, keysKept: escrowed !== null, ...(escrowRefused ? { escrowRefused: true } : {}) };
      await appendAudit(trx, { id: null, name: 'code de secours' }, [{ action: 'recovery.used', targetType: 'user', targetId: slot.userId, details }], () => clock.now());
    });
    await updateKeyring(dir, (k) => withSlot(k, fresh));
    await wipe(keys.boxSecretKey, keys.signSecretKey);
  } finally {
    if (db) await db.destroy();
    await wipe(recovered.dbKey, recovered.secretKey);
  }
}

/** True when `keys` are the public keys of `userId` in the database and `root` certified them (users.key_cert). */
async function certified(db: Knex, associationId: string, userId: string, keys: UserKeys, root: Uint8Array): Promise<boolean> {
  const row = (await db('users').where({ id: userId }).first('public_key', 'sign_public_key', 'key_cert')) as { public_key: string | null; sign_public_key: string | null; key_cert: string | null } | undefined;
  const publicKey = await toB64(keys.boxPublicKey);
  const signPublicKey = await toB64(keys.signPublicKey);
  if (!row?.key_cert || row.public_key !== publicKey || row.sign_public_key !== signPublicKey) return false;
  const cert = await fromB64(row.key_cert).catch(() => null);
  return cert !== null && verify(root, userCertMessage(associationId, userId, publicKey, signPublicKey), cert);
}
