/**
 * A synced folder restored from a backup joins the hub as a NEW device (docs/backup.md "A restored synced folder"):
 * before, it reused the device sequence numbers of the original, the hub took its new envelopes for duplicates, and
 * what was written after the restore was silently lost. Writes the original made before the backup but never pushed
 * (sealed in its outbox, or not even captured) reach the others under the new identity ("Nothing written before the
 * backup is lost").
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { restoreBackup } from '../../main/services/backup/restore';
import { startHub, type TestHub } from '../hub/helpers';
import { PASSWORD, TEST_KDF, joinTestDevice, newTestCore, tempDir, type TestCore } from '../helpers/core';

/** Seals the device's local writes into its outbox without pushing them (as a sync cut before its push would). */
async function sealWithoutPush(t: TestCore): Promise<void> {
  const sync = t.core.session()?.sync as unknown as { load(): Promise<{ engine: { capture(): Promise<void> } } | null> };
  const device = await sync.load();
  if (!device) throw new Error('poste non relié');
  await device.engine.capture();
}

/** A core on a restored folder, unlocked by the administrator. */
async function openRestored(into: string) {
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
  const call: TestCore['call'] = async (channel, request) => {
    const env = await dispatch(core.handlers, channel, request, noEvents);
    if (!env.ok) throw Object.assign(new Error(env.error.message), { code: env.error.code });
    return env.value as never;
  };
  await call('session:unlock', { dir: into, userName: 'admin', password: PASSWORD });
  return { core, call };
}

const names = async (t: Pick<TestCore, 'call'>) => (await t.call('people:search', { query: '', limit: 100 })).items.map((p) => p.firstName).sort();

/**
 * For the enclosing describe block: a hub, device A (one person « Avant », joined and synced) and device B invited by
 * A; all closed after the block. Read the fields inside tests (they are set by `beforeAll`).
 */
function twoDevicesOnHub(): { hub: TestHub; a: TestCore; b: TestCore } {
  const s = {} as { hub: TestHub; a: TestCore; b: TestCore };
  beforeAll(async () => {
    s.hub = await startHub('sqlite');
    s.a = await newTestCore();
    await s.a.call('people:create', { person: { firstName: 'Avant', lastName: 'Sauvegarde' } });
    await s.a.call('sync:joinHub', { hubUrl: s.hub.url, deviceName: 'Accueil' });
    await s.a.call('sync:now', {});
    const { code } = await s.a.call('devices:invite', { name: 'Portable' });
    s.b = await joinTestDevice(s.hub.url, code);
  }, 120_000);
  afterAll(async () => {
    await s.b?.cleanup();
    await s.a?.cleanup();
    await s.hub?.close();
  });
  return s;
}

describe('restore of a synced folder', () => {
  const devices = twoDevicesOnHub();

  it('re-enrolls as a new device, receives what was written since, and its new writes reach the other device', async () => {
    const { a, b } = devices;
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
    const { core, call } = await openRestored(into);
    try {
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

describe('restore of a synced folder whose last writes never reached the hub', () => {
  const devices = twoDevicesOnHub();

  it('sends, under the new identity, what the original sealed or wrote but never pushed before the backup', async () => {
    const { a, b } = devices;
    // Sealed in the outbox, the push never made (the hub was out of reach); then an edit and a person not even sealed.
    const { id } = await a.call('people:create', { person: { firstName: 'Scellée', lastName: 'Horsligne' } });
    await sealWithoutPush(a);
    await a.call('people:create', { person: { firstName: 'Écrite', lastName: 'Horsligne' } });
    const backup = await a.call('backup:now', { to: join(tempDir('solidariciel-dest-'), 'usb') });
    await a.core.close();
    // Meanwhile the other device writes too.
    await b.call('people:create', { person: { firstName: 'AprèsB', lastName: 'Portable' } });
    await b.call('sync:now', {});
    expect(await names(b)).toEqual(['AprèsB', 'Avant']);

    const into = join(tempDir('solidariciel-restore-'), 'Restaurée.solidariciel');
    expect(await restoreBackup(backup.path, into, { userName: 'admin', password: PASSWORD })).toMatchObject({ ok: true, mustReenroll: true });
    const { core, call } = await openRestored(into);
    try {
      const first = await call('sync:now', {});
      expect(first.pushed).toBeGreaterThan(0);
      expect(await names({ call })).toEqual(['AprèsB', 'Avant', 'Scellée', 'Écrite'].sort());
      await b.call('sync:now', {});
      expect(await names(b)).toEqual(['AprèsB', 'Avant', 'Scellée', 'Écrite'].sort());
      expect((await b.call('people:get', { id })).person).toMatchObject({ firstName: 'Scellée', lastName: 'Horsligne' });
      // Nothing refused on the other device: every change set was dated under the sender's own id.
      expect((await b.call('sync:status', {})).rejected).toBe(0);
    } finally {
      await core.close();
    }
  });
});
