/**
 * keyring.json across devices (docs/sync.md "Devices"): each user's slot travels in the synced `key_slots` table, so
 * a user approved or a password changed on one device unlocks on the others. Before a sync, this device's slots that
 * are newer than the table's are written to it (a new local write: it wins if it is the latest); after, the merged
 * table's slots that are newer than keyring.json's are written back. "Newer" is the slot's own `updatedAt` (set
 * whenever a slot is sealed), never mere difference: a keyring.json older than the table (the copy a new device got
 * in its pairing payload, a password changed elsewhere since) must not overwrite it, and a slot changed on this PC
 * while a sync ran (a password change) must not be overwritten by the end of that sync. A disabled user's slot is
 * removed everywhere; enabled again on any device, it comes back everywhere. The recovery slot travels the same way,
 * signed by the root key (a renewed code stops everywhere). Slots are sealed with Argon2id and
 * XChaCha20-Poly1305 (crypto/keyring.ts); the hub sees only envelopes.
 */
import type { Knex } from 'knex';
import { keySlotSchema, keyringSchema, readKeyring, updateKeyring, withSlot, type Keyring, type KeySlot, type RecoverySlot } from '../../crypto/keyring';
import type { Mutator } from '../../db/mutations';
import { b64u, fromB64u, signDetached, verifyDetached } from '../../sync/ed25519';
import { attestationSchema, attestationValid, checkKeyring, type Attestation } from '../../crypto/keyringTrust';

/**
 * The key_slots row (not a user id) that carries keyring.json's recovery slot, signed by the association root key:
 * a recovery code renewed on one device must stop working on every device ("the old code stops at once"). Signed,
 * because every device re-escrows its users' keys to the recovery public key it holds: a recovery slot written into
 * the table by anyone else must never reach keyring.json.
 */
const RECOVERY_ROW = 'recovery';
const recoveryMessage = (associationId: string, json: string) => `solidariciel-recovery-v1\n${associationId}\n${json}`;

/** The root key of the session: its public key (the pinned one) to check a recovery row, its secret to sign one. */
export interface RecoveryRoot {
  publicKey: Uint8Array | undefined;
  sign: Uint8Array | null;
}

/** The recovery slot a row carries, when its signature by `rootPublicKey` checks and it is a recovery slot; else null. */
function rowRecovery(r: SlotRow | undefined, keyring: Keyring, rootPublicKey: Uint8Array | undefined): RecoverySlot | null {
  if (!r || r.deleted_at !== null || !rootPublicKey) return null;
  try {
    const v = JSON.parse(r.slot) as { recovery?: unknown; signature?: unknown };
    if (typeof v.recovery !== 'string' || typeof v.signature !== 'string') return null;
    if (!verifyDetached(rootPublicKey, recoveryMessage(keyring.associationId, v.recovery), fromB64u(v.signature))) return null;
    const parsed = keyringSchema.safeParse({ ...keyring, recovery: JSON.parse(v.recovery) as unknown });
    return parsed.success ? ((parsed.data as Keyring).recovery ?? null) : null;
  } catch {
    return null;
  }
}

/** The root-signed recovery slot of the synced table (null when absent or not signed by `rootPublicKey`). */
export async function syncedRecovery(db: Knex | Knex.Transaction, keyring: Keyring, rootPublicKey: Uint8Array): Promise<RecoverySlot | null> {
  const row = (await db('key_slots').where({ id: RECOVERY_ROW }).first('id', 'slot', 'deleted_at')) as SlotRow | undefined;
  return rowRecovery(row, keyring, rootPublicKey);
}

/**
 * The key_slots row that carries keyring.json's `attestation` (the root key's signature of the recovery slot, the
 * audit key and the Argon2id floor: docs/access.md "Keyring signature"), so that a renewed code, signed on one device,
 * is trusted on the others. Self-authenticating: taken only when it checks against the pinned root.
 */
const ATTESTATION_ROW = 'attestation';

/** The attestation a row carries when it parses and checks against `rootPublicKey`; else null. */
async function rowAttestation(r: SlotRow | undefined, associationId: string, rootPublicKey: Uint8Array | undefined): Promise<Attestation | null> {
  if (!r || r.deleted_at !== null || !rootPublicKey) return null;
  try {
    const parsed = attestationSchema.safeParse(JSON.parse(r.slot));
    return parsed.success && (await attestationValid(associationId, parsed.data, rootPublicKey)) ? parsed.data : null;
  } catch {
    return null;
  }
}

interface SlotRow {
  id: string;
  slot: string;
  deleted_at: string | null;
}

/** The slot a key_slots row holds, or null when it is damaged or names another user (never trusted blindly). */
function rowSlot(r: SlotRow): KeySlot | null {
  let json: unknown;
  try {
    json = JSON.parse(r.slot);
  } catch {
    return null;
  }
  const parsed = keySlotSchema.safeParse(json);
  return parsed.success && parsed.data.userId === r.id ? (parsed.data as KeySlot) : null;
}

/** True when `a` was sealed after `b` (ties broken on the content, the same way on every device). */
function newer(a: KeySlot, b: KeySlot): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return JSON.stringify(a) > JSON.stringify(b);
}

/** Users whose slot must not be on any device (disabled), and users who may hold one (present, not deleted, enabled). */
async function userStates(db: Knex): Promise<{ disabled: Set<string>; active: Set<string> }> {
  const rows = (await db('users').select('id', 'disabled', 'deleted_at')) as { id: string; disabled: number | null; deleted_at: string | null }[];
  return {
    disabled: new Set(rows.filter((r) => r.disabled === 1).map((r) => r.id)),
    active: new Set(rows.filter((r) => r.disabled !== 1 && r.deleted_at === null).map((r) => r.id)),
  };
}

/** Writes the slots of keyring.json that the table lacks or holds in an older (or damaged) version. Returns how many. */
export async function exportSlots(db: Knex, mutator: Mutator, dir: string, root?: RecoveryRoot): Promise<number> {
  const keyring = await readKeyring(dir);
  const rows = new Map(((await db('key_slots').select('id', 'slot', 'deleted_at')) as SlotRow[]).map((r) => [r.id, r]));
  const { disabled } = await userStates(db);
  let written = 0;
  await db.transaction(async (trx) => {
    const m = mutator.with(trx);
    for (const slot of keyring.slots) {
      if (disabled.has(slot.userId) || slot.userId === RECOVERY_ROW || slot.userId === ATTESTATION_ROW) continue;
      const row = rows.get(slot.userId);
      if (!row) {
        await m.insert('key_slots', [{ id: slot.userId, slot: JSON.stringify(slot) }]);
      } else {
        const stored = rowSlot(row);
        const latest = stored && !newer(slot, stored) ? stored : slot;
        // Enabled again (the slot is back in keyring.json): the row comes back, with the latest of the two slots.
        if (row.deleted_at !== null) await m.update('key_slots', slot.userId, { slot: JSON.stringify(latest), deleted_at: null });
        else if (latest === slot) await m.update('key_slots', slot.userId, { slot: JSON.stringify(slot) });
        else continue;
      }
      written++;
    }
    for (const id of disabled) if (rows.get(id) && rows.get(id)!.deleted_at === null) await m.tombstone('key_slots', id);
    // The recovery slot, when it is newer than the table's (renewed here), a root holder can sign it, and keyring.json's
    // signature vouches for it (never sign whatever the file holds: docs/access.md "Keyring signature").
    const recovery = keyring.recovery;
    const vouched = recovery !== undefined && (await checkKeyring(keyring, root?.publicKey)).recoveryPublicKey !== undefined;
    if (recovery && vouched && root?.sign && root.publicKey) {
      const row = rows.get(RECOVERY_ROW);
      const stored = rowRecovery(row, keyring, root.publicKey);
      if (!stored || recovery.createdAt > stored.createdAt) {
        const json = JSON.stringify(recovery);
        const slot = JSON.stringify({ recovery: json, signature: b64u(signDetached(root.sign, recoveryMessage(keyring.associationId, json))) });
        if (row) await m.update('key_slots', RECOVERY_ROW, { slot, deleted_at: null });
        else await m.insert('key_slots', [{ id: RECOVERY_ROW, slot }]);
        written++;
      }
    }
    // The signature of keyring.json, when valid and newer than the table's.
    const att = keyring.attestation;
    if (att && (await attestationValid(keyring.associationId, att, root?.publicKey))) {
      const row = rows.get(ATTESTATION_ROW);
      const stored = await rowAttestation(row, keyring.associationId, root?.publicKey);
      if (!stored || att.signed.signedAt > stored.signed.signedAt) {
        if (row) await m.update('key_slots', ATTESTATION_ROW, { slot: JSON.stringify(att), deleted_at: null });
        else await m.insert('key_slots', [{ id: ATTESTATION_ROW, slot: JSON.stringify(att) }]);
        written++;
      }
    }
  });
  return written;
}

/**
 * Writes the merged slots back to keyring.json: added, replaced by a newer one, or removed for disabled users.
 * A tombstoned row of a user who is enabled again (on another device: the device that disabled them keeps the slot
 * aside locally, the others do not) brings the slot back. Returns the keyring written and how many slots changed.
 */
export async function importSlots(db: Knex, dir: string, rootPublicKey?: Uint8Array): Promise<{ changed: number; keyring: Keyring }> {
  const rows = (await db('key_slots').select('id', 'slot', 'deleted_at')) as SlotRow[];
  const { disabled, active } = await userStates(db);
  let changed = 0;
  const keyring = await updateKeyring(dir, async (current) => {
    let next = current;
    const recovery = rowRecovery(rows.find((r) => r.id === RECOVERY_ROW), current, rootPublicKey);
    if (recovery && (!current.recovery || recovery.createdAt > current.recovery.createdAt)) {
      next = { ...next, recovery };
      changed++;
    }
    const att = await rowAttestation(rows.find((r) => r.id === ATTESTATION_ROW), current.associationId, rootPublicKey);
    const mine = (await attestationValid(current.associationId, current.attestation, rootPublicKey)) ? current.attestation : undefined;
    if (att && (!mine || att.signed.signedAt > mine.signed.signedAt)) {
      next = { ...next, attestation: att };
      changed++;
    }
    for (const r of rows) {
      if (r.id === RECOVERY_ROW || r.id === ATTESTATION_ROW) continue;
      const present = next.slots.find((s) => s.userId === r.id);
      if (disabled.has(r.id) || (r.deleted_at !== null && !active.has(r.id))) {
        if (present) {
          next = { ...next, slots: next.slots.filter((s) => s.userId !== r.id) };
          changed++;
        }
        continue;
      }
      const slot = rowSlot(r);
      if (!slot) continue; // a damaged row never replaces a working slot
      if (!present || newer(slot, present)) {
        next = withSlot(next, slot);
        changed++;
      }
    }
    return next;
  });
  return { changed, keyring };
}
