/**
 * The audit chain's head anchored at the hub (docs/sync.md "Audit anchor"): someone with the database key cuts the
 * trail's tail (the hash chain still holds on what is left); `audit verify` finds it against the anchor the device
 * sent at its last sync — read from the hub, or from the copy kept locally when the hub is unreachable.
 */
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSlot, readKeyring } from '../../main/crypto/keyring';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { PASSWORD, newTestCore, type TestCore } from '../helpers/core';
import { startHub, type TestHub } from '../hub/helpers';

/** Opens the association's database with its key and the audit triggers dropped: what a tamperer with the key does. */
async function tamper(t: TestCore, work: (db: Knex) => Promise<void>): Promise<void> {
  await t.call('session:lock', {});
  const { dbKey } = await openSlot(await readKeyring(t.dir), 'admin', PASSWORD);
  const db = openSqlCipher(join(t.dir, 'association.db'), Buffer.from(dbKey).toString('hex'));
  try {
    await db.raw('DROP TRIGGER IF EXISTS audit_log_no_delete');
    await work(db);
  } finally {
    await db.destroy();
  }
  await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
}

describe('audit anchor at the hub', () => {
  let hub: TestHub;
  let t: TestCore;
  beforeEach(async () => {
    hub = await startHub('sqlite');
    t = await newTestCore();
    await t.call('sync:joinHub', { hubUrl: hub.url, deviceName: 'Accueil' });
    for (const name of ['Awa', 'Jean', 'Léa']) await t.call('people:create', { person: { firstName: name, lastName: 'Test', kinds: ['member'] } });
    await t.call('sync:now', {});
  });
  afterEach(async () => {
    await t?.cleanup();
    await hub?.close();
  });

  it('says the trail is intact and anchored after a sync', async () => {
    const r = await t.call('audit:verify', {});
    expect(r.ok).toBe(true);
    expect(r.anchor).toMatchObject({ ok: true, source: 'hub' });
    expect(r.anchor?.seq).toBeGreaterThan(3);
  });

  it("finds the tail cut by someone holding the database key, though what is left still chains", async () => {
    const anchored = (await t.call('audit:verify', {})).anchor?.seq ?? 0;
    await tamper(t, async (db) => {
      await db('audit_log').where('seq', '>', anchored - 3).delete();
    });
    const r = await t.call('audit:verify', {});
    expect(r.ok).toBe(false);
    expect(r.anchor).toMatchObject({ seq: anchored, ok: false, source: 'hub' });
    expect(r.firstBadEntry).toBeLessThanOrEqual(anchored);
  });

  it('finds it from the copy kept at the last sync when the hub is unreachable', async () => {
    const anchored = (await t.call('audit:verify', {})).anchor?.seq ?? 0;
    await hub.close();
    await tamper(t, async (db) => {
      await db('audit_log').where('seq', '>', anchored - 3).delete();
    });
    const r = await t.call('audit:verify', {});
    expect(r.ok).toBe(false);
    expect(r.anchor).toMatchObject({ seq: anchored, ok: false, source: 'local' });
  });
});
