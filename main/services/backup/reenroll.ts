/**
 * A folder restored from a backup joins its hub as a NEW device (docs/backup.md "A restored synced folder").
 *
 * Why: the hub and the other devices record every (device, device sequence) they took; the restored copy would
 * number its next envelopes from where the backup stood, numbers the original device already used after the backup,
 * and they would be taken for duplicates and dropped. So the restore gives the copy a new device id and forgets the
 * old device key and certificate (`markRestored`), and the first sync after an administrator unlocks certifies a
 * new key with the association root key and registers it at the hub with that administrator's own credentials
 * (`reenrollRestored`: the hub accepts any device whose certificate the association's root key signed, no invitation
 * needed). The pull cursor is kept: the new device then receives everything the others (and the old identity) wrote
 * since the backup. Envelopes the original sealed but never pushed carry its numbers and are dropped; the writes they
 * held are captured again (`rewindCapture`) and sent under the new identity (main/sync/capture.ts).
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { deviceCertMessage } from '../../../shared/sync/protocol';
import { newSignKeyPair } from '../../crypto/identity';
import { b64u, fromB64u, signDetached } from '../../sync/ed25519';
import { HubClient } from '../../sync/hubClient';
import { getStates, setState, STATE } from '../../sync/state';
import type { AuditRecord } from '../audit/auditLog';

/** sync_state key: the device id of the folder the backup came from, while this copy has not re-enrolled. */
export const RESTORED_FROM = 'restored_from_device';

/**
 * Gives a restored database its own device identity: new `meta.device_id`, old device key and certificate removed,
 * envelopes sealed by the old identity and never pushed dropped (they carry its numbers) with the capture rewound so
 * their writes are sealed again under the new identity, and, when the folder had joined a hub, the
 * `restored_from_device` mark that makes the next sync re-enroll. Returns the new device id. One transaction.
 */
export async function markRestored(db: Knex): Promise<{ deviceId: string; mustReenroll: boolean }> {
  const deviceId = uuidv7();
  let mustReenroll = false;
  await db.transaction(async (trx) => {
    const old = (await trx('meta').where({ key: 'device_id' }).first('value')) as { value: string } | undefined;
    await trx('meta').insert({ key: 'device_id', value: deviceId }).onConflict('key').merge();
    const s = await getStates(trx);
    mustReenroll = Boolean(s.get(STATE.hubUrl));
    await trx('sync_state').whereIn('key', [STATE.deviceId, STATE.signSecretKey, STATE.signPublicKey, STATE.deviceCert]).delete();
    await rewindCapture(trx);
    await trx('sync_outbox').whereNull('pushed_at').delete();
    if (mustReenroll) await setState(trx, { [RESTORED_FROM]: s.get(STATE.deviceId) ?? old?.value ?? '' });
  });
  return { deviceId, mustReenroll };
}

/**
 * Moves the capture point (`captured_seq`) back before every change_log entry an unpushed envelope may hold, so the
 * next capture seals those writes again. An envelope holds the writes of one local transaction, and its header's HLC
 * is the latest of them: every entry dated at or after the earliest unpushed header, and every entry of the same
 * transactions, is captured again. A few already pushed may be sent twice: the others then receive the same values
 * (merge is idempotent per value; docs/sync.md "Merge"). Unreadable headers: back to the start of the log.
 */
async function rewindCapture(trx: Knex.Transaction): Promise<void> {
  const headers = (await trx('sync_outbox').whereNull('pushed_at').pluck('header')) as string[];
  if (headers.length === 0) return;
  let earliest: string | null = '';
  for (const h of headers) {
    const hlc = headerHlc(h);
    if (hlc === null) earliest = null;
    else if (earliest !== null && (earliest === '' || hlc < earliest)) earliest = hlc;
  }
  const captured = Number((await getStates(trx)).get(STATE.capturedSeq) ?? 0);
  let from = 0;
  if (earliest !== null) {
    const later = trx('change_log').where('seq', '<=', captured).andWhere('hlc', '>=', earliest);
    const txs = trx('change_log').where('seq', '<=', captured).andWhere('hlc', '>=', earliest).whereNotNull('tx').select('tx');
    const first = (await trx('change_log')
      .where('seq', '<=', captured)
      .andWhere((q) => void q.whereIn('seq', later.clone().select('seq')).orWhereIn('tx', txs))
      .min({ m: 'seq' })) as { m: number | null }[];
    from = first[0]?.m ?? captured + 1;
  }
  await setState(trx, { [STATE.capturedSeq]: Math.max(0, Math.min(captured, from - 1)) });
}

/** The HLC of a sealed envelope's header (JSON text), or null when it cannot be read. */
function headerHlc(header: string): string | null {
  try {
    const hlc = (JSON.parse(header) as { hlc?: unknown }).hlc;
    return typeof hlc === 'string' && hlc.length > 0 ? hlc : null;
  } catch {
    return null;
  }
}

/** True while a restored folder has not re-enrolled at its hub. */
export async function mustReenroll(db: Knex): Promise<boolean> {
  return (await getStates(db)).has(RESTORED_FROM);
}

export interface ReenrollInput {
  db: Knex;
  associationId: string;
  /** This folder's (new) device id: `meta.device_id`, the session's HLC device. */
  deviceId: string;
  /** The association root key pair, opened for administrators only; without it the re-enrolment is refused. */
  root: { publicKey?: Uint8Array | null | undefined; sign?: Uint8Array | null | undefined };
  now: () => number;
  audit(entry: AuditRecord): Promise<void>;
}

/**
 * Registers the restored folder at its hub as a new device, if it is marked. Returns true when it did.
 * The new key is kept before the hub hears of it and reused by a retry (a registration whose answer was lost did
 * register the device; the hub refuses that id with another key).
 * @throws AppError FORBIDDEN (French) when the root key is not open: an administrator must unlock once;
 *   HUB_UNREACHABLE and the hub's refusals as HubClient throws them (the mark stays, the next sync retries).
 */
export async function reenrollRestored(o: ReenrollInput): Promise<boolean> {
  const s = await getStates(o.db);
  if (!s.has(RESTORED_FROM)) return false;
  const hubUrl = s.get(STATE.hubUrl);
  if (!o.root.sign || !o.root.publicKey) {
    throw new AppError('FORBIDDEN', 'Dossier restauré d’une sauvegarde : un administrateur doit ouvrir une session une fois pour inscrire ce poste auprès du hub comme nouveau poste.');
  }
  const kept = s.get(STATE.deviceId) === o.deviceId ? s.get(STATE.signSecretKey) : undefined;
  const keys = kept ? { secretKey: fromB64u(kept), publicKey: fromB64u(kept).subarray(32) } : await newSignKeyPair();
  const publicKey = b64u(keys.publicKey);
  if (!kept) await setState(o.db, { [STATE.deviceId]: o.deviceId, [STATE.signSecretKey]: b64u(keys.secretKey), [STATE.signPublicKey]: publicKey });
  const cert = b64u(signDetached(o.root.sign, deviceCertMessage(o.associationId, o.deviceId, publicKey)));
  const name = `${s.get(STATE.deviceName) ?? 'Poste'} (restauré)`.slice(0, 100);
  if (hubUrl) {
    const client = new HubClient({ url: hubUrl, deviceId: o.deviceId, signSecretKey: keys.secretKey, now: o.now });
    await client.register({ associationId: o.associationId, rootPublicKey: b64u(o.root.publicKey), device: { deviceId: o.deviceId, publicKey, cert, name } });
  }
  await o.db.transaction(async (trx) => {
    await setState(trx, { [STATE.deviceCert]: cert, [STATE.deviceName]: name });
    await trx('sync_state').where({ key: RESTORED_FROM }).delete();
  });
  await o.audit({ action: 'device.reenroll', targetType: 'device', targetId: o.deviceId, details: { restoredFrom: s.get(RESTORED_FROM) ?? '' } });
  return true;
}
