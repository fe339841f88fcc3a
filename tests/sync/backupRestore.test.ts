/**
 * A synced folder restored from a backup joins the hub as a NEW device (docs/backup.md "A restored synced folder"):
 * before, it reused the device sequence numbers of the original, the hub took its new envelopes for duplicates, and
 * what was written after the restore was silently lost.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { restoreBackup } from '../../main/services/backup/restore';
import { startHub, type TestHub } from '../hub/helpers';
import { PASSWORD, TEST_KDF, joinTestDevice, newTestCore, tempDir, type TestCore } from '../helpers/core';

const names = async (t: Pick<TestCore, 'call'>) => (await t.call('people:search', { query: '', limit: 100 })).items.map((p) => p.firstName).sort();

describe('restore of a synced folder', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    await a.call('people:create', { person: { firstName: 'Avant', lastName: 'Sauvegarde' } });
    await a.call('sync:joinHub', { hubUrl: hub.url, deviceName: 'Accueil' });
    await a.call('sync:now', {});
    const { code } = await a.call('devices:invite', { name: 'Portable' });
    b = await joinTestDevice(hub.url, code);
  }, 120_000);
  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('re-enrolls as a new device, receives what was written since, and its new writes reach the other device', async () => {
    const backup = await a.call('backup:now', { to: join(tempDir('solidariciel-dest-'), 'usb') });
    // After the backup, the original writes and syncs (then, say, its disk dies); the other device writes too.
    await a.call('people:create', { person: { firstName: 'AprèsA', lastName: 'Original' } });
    await a.call('sync:now', {});
    await b.call('people:create', { person: { firstName: 'AprèsB', lastName: 'Portable' } });
    await b.call('sync:now', {});
    const oldDevice = (await a.call('sync:status', {})).deviceId;
    await a.core.close();

    const into = join(tempDir('solidariciel-restore-'), 'Restaurée.solidariciel');
    const report = await restoreBackup(backup.path, into, { userName: 'admin', password: PASSWORD });
    expect(report).toMatchObject({ ok: true, mustReenroll: true });
    const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
    const call: TestCore['call'] = async (channel, request) => {
      const env = await dispatch(core.handlers, channel, request, noEvents);
      if (!env.ok) throw Object.assign(new Error(env.error.message), { code: env.error.code });
      return env.value as never;
    };
    try {
      await call('session:unlock', { dir: into, userName: 'admin', password: PASSWORD });
      expect(await names({ call })).toEqual(['Avant']);
      await call('sync:now', {});
      const status = await call('sync:status', {});
      expect(status.configured).toBe(true);
      expect(status.deviceId).not.toBe(oldDevice);
      // What the others wrote since the backup (the original's own writes included) comes back through the hub.
      expect(await names({ call })).toEqual(['Avant', 'AprèsA', 'AprèsB'].sort());
      // Writes on the restored folder reach the other device (they used to be dropped as duplicates).
      for (const n of ['Restaurée1', 'Restaurée2']) await call('people:create', { person: { firstName: n, lastName: 'Copie' } });
      const pushed = await call('sync:now', {});
      expect(pushed.pushed).toBeGreaterThan(0);
      await b.call('sync:now', {});
      expect(await names(b)).toEqual(['Avant', 'AprèsA', 'AprèsB', 'Restaurée1', 'Restaurée2'].sort());
      const devices = await call('devices:list', {});
      expect(devices.items.filter((d) => d.current)).toHaveLength(1);
      expect(devices.items.length).toBe(3);
    } finally {
      await core.close();
    }
  });
});
