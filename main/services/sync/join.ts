/**
 * A new device joins an association (issue 4 §5, `devices join` and « Rejoindre une association »): redeems the
 * pairing code at the hub, opens the sealed payload with the code, writes the association folder (keyring.json,
 * a new encrypted database with the same key, this device's identity), then pulls everything before anyone unlocks.
 * After that, the association's users unlock here with their own passwords.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/domain/errors';
import { keyringSchema, writeKeyring, KEYRING_FILE } from '../../crypto/keyring';
import { HubClient } from '../../sync/hubClient';
import { fromB64u } from '../../sync/ed25519';
import { HybridLogicalClock } from '../../sync/hlc';
import { openPayload, pairingKeys } from '../../sync/pairing';
import { setState, STATE } from '../../sync/state';
import type { SyncProgress } from '../../sync/engine';
import { assertAssociationFolder, DB_FILE, folderState, openDatabase, VAULT_DIR } from '../association/associationStore';
import type { Clock } from '../../core/ports';
import { deviceAudience, loadDeviceSync } from './deviceSync';
import { importSlots } from './keySlots';

export interface JoinResult {
  deviceId: string;
  associationId: string;
  associationName: string;
  dir: string;
  /** The first pull: changes received (0 if the hub could not be reached after the folder was made). */
  pulled: number;
}

/**
 * Throws VALIDATION (a folder Windows cannot hold, main/fs/folderName.ts), ALREADY_EXISTS (folder not empty), INVITE_INVALID (wrong, expired, used or burnt code: the hub's French
 * message), HUB_UNREACHABLE. If the first pull fails after the folder was written, the folder stays: the pull
 * resumes at the first unlock.
 */
export async function joinAssociation(dir: string, hubUrl: string, code: string, clock: Clock, onProgress?: (p: SyncProgress) => void): Promise<JoinResult> {
  assertAssociationFolder(dir);
  if ((await folderState(dir)) === 'used') throw new AppError('ALREADY_EXISTS', `Le dossier « ${dir} » n'est pas vide : choisissez un dossier vide ou nouveau pour cette association.`);
  const keys = await pairingKeys(code);
  const redeemed = await HubClient.redeemInvite(hubUrl, { inviteId: keys.inviteId, authKey: Buffer.from(keys.authKey).toString('base64url') });
  const payload = await openPayload(keys, redeemed.payload);
  if (payload.associationId !== redeemed.associationId || payload.deviceId !== redeemed.deviceId) {
    throw new AppError('INVITE_INVALID', "L'invitation ne correspond pas à ce que le hub annonce : demandez un nouveau code.");
  }
  const keyring = keyringSchema.safeParse(payload.keyring);
  if (!keyring.success) throw new AppError('INVITE_INVALID', "Le trousseau reçu est illisible : mettez Solidariciel à jour sur ce poste.");
  await mkdir(join(dir, VAULT_DIR), { recursive: true });
  const db = await openDatabase(dir, fromB64u(payload.dbKey)).catch(async (e: unknown) => {
    await removeCreated(dir);
    throw e;
  });
  try {
    await db.transaction(async (trx) => {
      await trx('meta').insert([...Object.entries(payload.meta).map(([key, value]) => ({ key, value })), { key: 'device_id', value: payload.deviceId }]);
      await trx('scope_keys').insert(payload.scopeKeys);
      await setState(trx, {
        [STATE.hubUrl]: payload.hubUrl,
        [STATE.deviceId]: payload.deviceId,
        [STATE.deviceName]: payload.deviceName,
        [STATE.signSecretKey]: payload.signSecretKey,
        [STATE.signPublicKey]: payload.signPublicKey,
        [STATE.deviceCert]: payload.deviceCert,
        [STATE.rootPublicKey]: payload.rootPublicKey,
      });
    });
    await writeKeyring(dir, keyring.data);
    const hlc = new HybridLogicalClock(payload.deviceId, () => clock.now().getTime());
    const slots = keyring.data.slots.map((s) => s.userId);
    const device = await loadDeviceSync({ db, dir, hlc, audience: () => deviceAudience(db, slots), now: () => clock.now().getTime(), ...(onProgress ? { onProgress } : {}) });
    let pulled = 0;
    try {
      pulled = (await device!.engine.sync()).pulled;
      // keyring.json came with the invitation: slots changed since (a password, a new user) are in what was pulled.
      await importSlots(db, dir, fromB64u(payload.rootPublicKey));
    } catch {
      // The folder is complete; the first unlock finishes the pull.
    }
    return { deviceId: payload.deviceId, associationId: payload.associationId, associationName: payload.associationName, dir, pulled };
  } catch (e) {
    await db.destroy();
    await removeCreated(dir);
    throw e;
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

async function removeCreated(dir: string): Promise<void> {
  for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, KEYRING_FILE]) await rm(join(dir, f), { force: true });
}
