/**
 * The audit chain's head anchored at the hub (docs/sync.md "Audit anchor"). Someone holding the database key can
 * cut the chain's tail (the hash chain still holds on what is left); after each sync the device sends its last
 * entry's number and hash, signed by its key, and the hub keeps the highest. `audit verify` compares the local chain
 * with that anchor: a chain shorter than it, or different at that entry, is reported broken.
 */
import type { Knex } from 'knex';
import type { AuditVerifyReport } from '../../../shared/domain/audit';
import { AppError } from '../../../shared/domain/errors';
import { auditAnchorMessage, auditAnchorRequest, type AuditAnchor } from '../../../shared/sync/protocol';
import { b64u, fromB64u, signDetached, verifyDetached } from '../../sync/ed25519';
import { getStates, setState, STATE } from '../../sync/state';
import type { DeviceSync } from './deviceSync';

/** The last entry of the local audit chain, or null when it is empty. */
export async function auditHead(db: Knex): Promise<{ seq: number; hash: string } | null> {
  const row = (await db('audit_log').orderBy('seq', 'desc').first('seq', 'hash')) as { seq: number; hash: string } | undefined;
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/**
 * Signs the chain's head with the device key and sends it to the hub, unless the anchor kept from the last sync is
 * that head already; keeps the anchor the hub answers (the highest it holds). A hub of an older version (404) is
 * tolerated: nothing anchored. Other failures propagate.
 */
export async function anchorAudit(db: Knex, device: DeviceSync): Promise<void> {
  const head = await auditHead(db);
  if (!head) return;
  const s = await getStates(db);
  const secret = s.get(STATE.signSecretKey);
  if (!secret) return;
  // Already anchored (no entry since): no request — a device syncs every 30 s, its trail grows far less often.
  const kept = parseAnchor(s.get(STATE.auditAnchor));
  if (kept && kept.seq === head.seq && kept.hash === head.hash) return;
  const signature = b64u(signDetached(fromB64u(secret), auditAnchorMessage(device.associationId, device.deviceId, head.seq, head.hash)));
  try {
    const res = await device.client.putAuditAnchor({ seq: head.seq, hash: head.hash, signature });
    if (res.anchor) await setState(db, { [STATE.auditAnchor]: JSON.stringify(res.anchor) });
  } catch (e) {
    if (e instanceof AppError && e.details?.['status'] === 404) return;
    throw e;
  }
}

function parseAnchor(text: string | undefined): AuditAnchor | null {
  if (!text) return null;
  try {
    const parsed = auditAnchorRequest.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Adds the anchor check to a chain report. The anchor is asked of the hub (`device`, when reachable), else the copy
 * kept at the last sync. An anchor not signed by this device's key counts as a break (the hub or the database lies).
 */
export async function checkAuditAnchor(db: Knex, report: AuditVerifyReport, device: DeviceSync | null): Promise<AuditVerifyReport> {
  if (!device) return { ...report, anchor: null };
  const s = await getStates(db);
  let anchor: AuditAnchor | null = null;
  let source: 'hub' | 'local' = 'hub';
  try {
    anchor = (await device.client.getAuditAnchor()).anchor;
  } catch {
    source = 'local';
    anchor = parseAnchor(s.get(STATE.auditAnchor));
  }
  if (!anchor) return { ...report, anchor: null };
  const publicKey = s.get(STATE.signPublicKey);
  const signed = publicKey !== undefined && verifyDetached(fromB64u(publicKey), auditAnchorMessage(device.associationId, device.deviceId, anchor.seq, anchor.hash), fromB64u(anchor.signature));
  const row = (await db('audit_log').where({ seq: anchor.seq }).first('hash')) as { hash: string } | undefined;
  const holds = signed && row?.hash === anchor.hash;
  if (holds) return { ...report, anchor: { seq: anchor.seq, ok: true, source } };
  const head = await auditHead(db);
  // Where it breaks: the first entry missing (a cut tail) or the anchored entry itself (rewritten).
  const at = row ? anchor.seq : (head?.seq ?? 0) + 1;
  const firstBadEntry = report.firstBadEntry === null ? at : Math.min(report.firstBadEntry, at);
  return { ...report, ok: false, firstBadEntry, anchor: { seq: anchor.seq, ok: false, source } };
}
