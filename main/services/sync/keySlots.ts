/**
 * keyring.json across devices (docs/sync.md "Devices"): each user's slot travels in the synced `key_slots` table, so
 * a user approved or a password changed on one device unlocks on the others. Before a sync, this device's slots that
 * are newer than the table's are written to it (a new local write: it wins if it is the latest); after, the merged
 * table's slots that are newer than keyring.json's are written back. "Newer" is the slot's own `updatedAt` (set
 * whenever a slot is sealed), never mere difference: a keyring.json older than the table (the copy a new device got
 * in its pairing payload, a password changed elsewhere since) must not overwrite it, and a slot changed on this PC
 * while a sync ran (a password change) must not be overwritten by the end of that sync. A disabled user's slot is
 * removed everywhere; enabled again on any device, it comes back everywhere. Slots are sealed with Argon2id and
 * XChaCha20-Poly1305 (crypto/keyring.ts); the hub sees only envelopes.
 */
import type { Knex } from 'knex';
import { keySlotSchema, readKeyring, updateKeyring, withSlot, type Keyring, type KeySlot } from '../../crypto/keyring';
import type { Mutator } from '../../db/mutations';

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
export async function exportSlots(db: Knex, mutator: Mutator, dir: string): Promise<number> {
  const keyring = await readKeyring(dir);
  const rows = new Map(((await db('key_slots').select('id', 'slot', 'deleted_at')) as SlotRow[]).map((r) => [r.id, r]));
  const { disabled } = await userStates(db);
  let written = 0;
  await db.transaction(async (trx) => {
    const m = mutator.with(trx);
    for (const slot of keyring.slots) {
      if (disabled.has(slot.userId)) continue;
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
  });
  return written;
}

/**
 * Writes the merged slots back to keyring.json: added, replaced by a newer one, or removed for disabled users.
 * A tombstoned row of a user who is enabled again (on another device: the device that disabled them keeps the slot
 * aside locally, the others do not) brings the slot back. Returns the keyring written and how many slots changed.
 */
export async function importSlots(db: Knex, dir: string): Promise<{ changed: number; keyring: Keyring }> {
  const rows = (await db('key_slots').select('id', 'slot', 'deleted_at')) as SlotRow[];
  const { disabled, active } = await userStates(db);
  let changed = 0;
  const keyring = await updateKeyring(dir, (current) => {
    let next = current;
    for (const r of rows) {
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
