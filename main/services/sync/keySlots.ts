/**
 * keyring.json across devices (docs/sync.md "Devices"): each user's slot travels in the synced `key_slots` table, so
 * a user approved or a password changed on one device unlocks on the others. Before a sync, this device's slots that
 * differ from the table are written to it (a new local write: it wins if it is the latest); after, the merged table
 * is written back to keyring.json. A disabled user's slot is removed everywhere. Slots are sealed with Argon2id and
 * XChaCha20-Poly1305 (crypto/keyring.ts); the hub sees only envelopes.
 */
import type { Knex } from 'knex';
import { keySlotSchema, readKeyring, updateKeyring, withSlot, type KeySlot } from '../../crypto/keyring';
import type { Mutator } from '../../db/mutations';

interface SlotRow {
  id: string;
  slot: string;
  deleted_at: string | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Writes the slots of keyring.json that the table lacks or holds differently. Returns how many. */
export async function exportSlots(db: Knex, mutator: Mutator, dir: string): Promise<number> {
  const keyring = await readKeyring(dir);
  const rows = new Map(((await db('key_slots').select('id', 'slot', 'deleted_at')) as SlotRow[]).map((r) => [r.id, r]));
  const disabled = new Set(((await db('users').where('disabled', 1).select('id')) as { id: string }[]).map((r) => r.id));
  let written = 0;
  await db.transaction(async (trx) => {
    const m = mutator.with(trx);
    for (const slot of keyring.slots) {
      if (disabled.has(slot.userId)) continue;
      const row = rows.get(slot.userId);
      const json = JSON.stringify(slot);
      if (!row) await m.insert('key_slots', [{ id: slot.userId, slot: json }]);
      else if (row.deleted_at !== null || !same(JSON.parse(row.slot), slot)) await m.update('key_slots', slot.userId, { slot: json, deleted_at: null });
      else continue;
      written++;
    }
    for (const id of disabled) if (rows.get(id) && rows.get(id)!.deleted_at === null) await m.tombstone('key_slots', id);
  });
  return written;
}

/** Writes the merged slots back to keyring.json (added, replaced, or removed for disabled users). Returns how many changed. */
export async function importSlots(db: Knex, dir: string): Promise<number> {
  const rows = (await db('key_slots').select('id', 'slot', 'deleted_at')) as SlotRow[];
  const disabled = new Set(((await db('users').where('disabled', 1).select('id')) as { id: string }[]).map((r) => r.id));
  let changed = 0;
  await updateKeyring(dir, (keyring) => {
    let next = keyring;
    for (const r of rows) {
      const present = next.slots.find((s) => s.userId === r.id);
      if (r.deleted_at !== null || disabled.has(r.id)) {
        if (present) {
          next = { ...next, slots: next.slots.filter((s) => s.userId !== r.id) };
          changed++;
        }
        continue;
      }
      const parsed = keySlotSchema.safeParse(safeJson(r.slot));
      if (!parsed.success) continue; // a damaged row never replaces a working slot
      if (!present || !same(present, parsed.data)) {
        next = withSlot(next, parsed.data as KeySlot);
        changed++;
      }
    }
    return next;
  });
  return changed;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
