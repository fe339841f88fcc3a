/**
 * What can be done on the office PC without unlocking: ask for an account (issue 3 §2) and reset a password with the
 * recovery code (§8). Neither gives access by itself: a request waits for an administrator's approval; a reset needs
 * the code printed at creation and kept in the office safe, and is audited.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { wipe } from '../../crypto/aead';
import { newUserKeys, toB64 } from '../../crypto/identity';
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
 * Throws WRONG_CREDENTIALS (wrong code or unknown user: one message).
 */
export async function resetPassword(dir: string, userName: string, code: string, newPassword: string, clock: Clock, cost?: KdfCost): Promise<void> {
  const keyring = await readKeyring(dir);
  const recovered = await openRecovery(keyring, code);
  try {
    const slot = keyring.slots.find((s) => sameUserName(s.userName, userName));
    if (!slot) throw new AppError('WRONG_CREDENTIALS', "Code de secours ou nom d'utilisateur incorrect.");
    const escrowed = await keysFromEscrow(slot, recovered);
    const keys = escrowed ?? (await newUserKeys());
    // Keys kept: so is their escrow, which this very recovery key just opened. New keys get an escrow at the first
    // unlock, to a recovery key the root key signed (nothing here can check the file's: docs/access.md).
    const fresh = await makeSlot(keyring.associationId, { id: slot.userId, name: slot.userName }, newPassword, recovered.dbKey, cost ?? (await calibratedCost()), {
      keys,
      keepEscrowOf: escrowed ? { ...slot, escrowTo: await toB64(recovered.publicKey) } : undefined,
    });
    const db = await openDatabase(dir, recovered.dbKey);
    try {
      await db.transaction(async (trx) => {
        if (!escrowed) await trx('users').where({ id: slot.userId }).update({ public_key: await toB64(keys.boxPublicKey), sign_public_key: await toB64(keys.signPublicKey) });
        await appendAudit(trx, { id: null, name: 'code de secours' }, [{ action: 'recovery.used', targetType: 'user', targetId: slot.userId, details: { userName: slot.userName, keysKept: escrowed !== null } }], () => clock.now());
      });
    } finally {
      await db.destroy();
    }
    await updateKeyring(dir, (k) => withSlot(k, fresh));
    await wipe(keys.boxSecretKey, keys.signSecretKey);
  } finally {
    await wipe(recovered.dbKey, recovered.secretKey);
  }
}
