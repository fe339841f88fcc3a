/**
 * Associations, devices and pairing invitations: who may talk to the hub. Rows ⇄ plain objects; PostgreSQL's
 * bigints come back as strings and SQLite's booleans as 0/1, so every mapping goes through `num` / `Boolean`.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { DeviceRecord } from '../../shared/sync/protocol';
import { pgPrepared, type Dialect } from './database';

const DEVICE_WITH_HEAD = {
  name: 'solidariciel-hub-device-head-v1',
  text: 'SELECT d.*, a.head_seq FROM devices d JOIN associations a ON a.id = d.association_id WHERE d.id = $1',
};

export const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface DeviceRow extends DeviceRecord {
  /** The association's head serverSeq, when read along (`device(id, q, true)`). */
  headSeq?: number;
  associationId: string;
  createdAt: number;
  revokedAt: number | null;
  lastSeenAt: number | null;
  audience: string[];
  pending: boolean;
}

export interface InviteRow {
  inviteId: string;
  associationId: string;
  verifier: string;
  /** The sealed keys; null once the invitation was used, burnt or expired (erased: docs/sync.md "Pairing"). */
  payload: string | null;
  deviceId: string;
  expiresAt: number;
  attempts: number;
  usedAt: number | null;
}

// The audience column is JSON the hub wrote itself; still parsed, never trusted blindly (DESIGN.md "Boundaries").
const audienceJson = z.array(z.string());

function parseAudience(text: unknown): string[] {
  try {
    const parsed = audienceJson.safeParse(JSON.parse(String(text ?? '[]')));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

function toDevice(r: Record<string, unknown>): DeviceRow {
  return {
    deviceId: String(r['id']),
    associationId: String(r['association_id']),
    publicKey: String(r['public_key']),
    cert: String(r['cert']),
    name: String(r['name']),
    createdAt: num(r['created_at']),
    revokedAt: numOrNull(r['revoked_at']),
    lastSeenAt: numOrNull(r['last_seen_at']),
    audience: parseAudience(r['audience']),
    pending: Boolean(r['pending']),
  };
}

function toInvite(r: Record<string, unknown>): InviteRow {
  return {
    inviteId: String(r['invite_id']),
    associationId: String(r['association_id']),
    verifier: String(r['verifier']),
    payload: r['payload'] === null || r['payload'] === undefined ? null : String(r['payload']),
    deviceId: String(r['device_id']),
    expiresAt: num(r['expires_at']),
    attempts: num(r['attempts']),
    usedAt: numOrNull(r['used_at']),
  };
}

/** Queries on associations, devices and invites. `q` is the knex instance or a transaction. */
export class Registry {
  /**
   * deviceId → public key and association, remembered from rows read: they never change once a device is written
   * (ids are never reused), so this is not state that could go stale — revocation is never read from here.
   */
  private readonly identities = new Map<string, { publicKey: string; associationId: string }>();

  constructor(
    private readonly knex: Knex,
    private readonly dialect: Dialect,
  ) {}

  /** The public key and association of a device this process has read before, or null. */
  identity(deviceId: string): { publicKey: string; associationId: string } | null {
    return this.identities.get(deviceId) ?? null;
  }

  /** True when the device exists, has redeemed its invite (if any) and is not revoked. */
  async isActive(deviceId: string): Promise<boolean> {
    return (await this.knex('devices').where({ id: deviceId, pending: false }).whereNull('revoked_at').first('id')) !== undefined;
  }

  async rootKeyOf(associationId: string, q: Knex = this.knex): Promise<string | null> {
    const row = await q('associations').where({ id: associationId }).first('root_public_key');
    return row ? String(row.root_public_key) : null;
  }

  /** A device row; with `withHead`, the association's head too, in the same round trip. */
  async device(deviceId: string, q: Knex = this.knex, withHead = false): Promise<DeviceRow | null> {
    let row: Record<string, unknown> | undefined;
    if (withHead && q === this.knex && this.dialect === 'pg') row = (await pgPrepared(q, DEVICE_WITH_HEAD, [deviceId])).rows[0];
    else if (withHead) row = await q('devices as d').join('associations as a', 'a.id', 'd.association_id').where('d.id', deviceId).first('d.*', 'a.head_seq');
    else row = await q('devices').where({ id: deviceId }).first();
    if (!row) return null;
    const device = toDevice(row);
    if (withHead) device.headSeq = num(row['head_seq']);
    if (this.identities.size > 100_000) this.identities.clear();
    this.identities.set(device.deviceId, { publicKey: device.publicKey, associationId: device.associationId });
    return device;
  }

  /** Records `last_seen_at`, at most once a minute per device (a write per request would cost more than the request). */
  async touch(device: DeviceRow, now: number): Promise<void> {
    if (device.lastSeenAt !== null && now - device.lastSeenAt < 60_000) return;
    await this.knex('devices').where({ id: device.deviceId }).update({ last_seen_at: now });
  }

  /** Creates the association row if missing; returns the root key it holds (the caller compares). */
  async ensureAssociation(q: Knex, associationId: string, rootPublicKey: string, now: number): Promise<string> {
    await q('associations').insert({ id: associationId, root_public_key: rootPublicKey, head_seq: 0, created_at: now }).onConflict('id').ignore();
    return (await this.rootKeyOf(associationId, q)) ?? rootPublicKey;
  }

  async insertDevice(q: Knex, associationId: string, d: DeviceRecord, now: number, pending: boolean): Promise<void> {
    await q('devices').insert({
      id: d.deviceId,
      association_id: associationId,
      public_key: d.publicKey,
      cert: d.cert,
      name: d.name,
      created_at: now,
      revoked_at: null,
      last_seen_at: null,
      audience: '[]',
      pending,
    });
  }

  /** The association's devices, invited ones not redeemed yet left out, oldest first. */
  async devices(associationId: string): Promise<DeviceRow[]> {
    const rows = await this.knex('devices').where({ association_id: associationId, pending: false }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(toDevice);
  }

  /** Marks a device revoked (keeps the first date when it already was). */
  async revoke(deviceId: string, now: number): Promise<void> {
    await this.knex('devices').where({ id: deviceId }).whereNull('revoked_at').update({ revoked_at: now });
  }

  async setAudience(deviceId: string, audience: string[]): Promise<void> {
    await this.knex('devices').where({ id: deviceId }).update({ audience: JSON.stringify([...new Set(audience)]) });
  }

  async invite(inviteId: string, q: Knex = this.knex, forUpdate = false): Promise<InviteRow | null> {
    const query = q('invites').where({ invite_id: inviteId });
    const row = await (forUpdate ? query.forUpdate() : query).first();
    return row ? toInvite(row) : null;
  }

  async insertInvite(q: Knex, inv: Omit<InviteRow, 'attempts' | 'usedAt' | 'payload'> & { payload: string }, now: number): Promise<void> {
    await q('invites').insert({
      invite_id: inv.inviteId,
      association_id: inv.associationId,
      verifier: inv.verifier,
      payload: inv.payload,
      device_id: inv.deviceId,
      created_at: now,
      expires_at: inv.expiresAt,
      attempts: 0,
      used_at: null,
    });
  }

  /**
   * Adds `bytes` to the association's blob usage if the total stays ≤ `limit`, in one statement (two hub processes
   * cannot both pass the check); false when it would exceed it.
   */
  async reserveBlobBytes(associationId: string, bytes: number, limit: number): Promise<boolean> {
    const updated = await this.knex('associations')
      .where({ id: associationId })
      .andWhere(this.knex.raw('blob_bytes + ? <= ?', [bytes, limit]))
      .increment('blob_bytes', bytes);
    return Number(updated) > 0;
  }

  /** Takes `bytes` off the association's blob usage (a partial upload discarded or expired); never below 0. */
  async releaseBlobBytes(associationId: string, bytes: number): Promise<void> {
    if (bytes <= 0) return;
    await this.knex('associations').where({ id: associationId }).update({ blob_bytes: this.knex.raw('CASE WHEN blob_bytes > ? THEN blob_bytes - ? ELSE 0 END', [bytes, bytes]) });
  }

  /** Sets the association's blob usage to what is measured on disk (the sweep at start). */
  async setBlobBytes(associationId: string, bytes: number): Promise<void> {
    await this.knex('associations').where({ id: associationId }).update({ blob_bytes: bytes });
  }

  /** The association's blob usage in bytes (0 for an unknown association). */
  async blobBytes(associationId: string): Promise<number> {
    const row = await this.knex('associations').where({ id: associationId }).first('blob_bytes');
    return row ? num(row.blob_bytes) : 0;
  }

  /** Whether an association is registered at the hub. */
  async hasAssociation(associationId: string, q: Knex = this.knex): Promise<boolean> {
    return (await q('associations').where({ id: associationId }).first('id')) !== undefined;
  }

  /** Removes an invitation (an expired one whose id is given again). Its invited device, never redeemed, stays pending. */
  async deleteInvite(q: Knex, inviteId: string): Promise<void> {
    await q('invites').where({ invite_id: inviteId }).delete();
  }

  async countAttempt(q: Knex, inviteId: string): Promise<void> {
    await q('invites').where({ invite_id: inviteId }).increment('attempts', 1);
  }

  /** Erases an invitation's sealed payload (it can no longer be redeemed: burnt or expired). */
  async erasePayload(q: Knex, inviteId: string): Promise<void> {
    await q('invites').where({ invite_id: inviteId }).update({ payload: null });
  }

  /** Marks the invite used, erases its payload and activates the invited device, in the caller's transaction. */
  async redeem(q: Knex, invite: InviteRow, now: number): Promise<void> {
    await q('invites').where({ invite_id: invite.inviteId }).update({ used_at: now, payload: null });
    await q('devices').where({ id: invite.deviceId }).update({ pending: false, created_at: now });
  }
}
