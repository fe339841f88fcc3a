/**
 * A renewal task is created once per paper even when two devices both create it offline (docs/papers-expiry.md): the
 * task id is derived from the paper id, so the two inserts are one row that sync merges. Real hub (SQLite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../hub/helpers';
import { fixture, pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { addDays, renewalTaskId } from '../../main/services/papers/expiryService';
import { today } from '../../main/services/context';
import { systemClock } from '../../main/core/ports';

describe('renewal tasks on two devices', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let paperId: string;

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    const personId = (await a.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    const meta = { type: 'carte_identite' as const, expiresOn: addDays(today(systemClock), 15) };
    paperId = (await a.call('vault:addDocument', { personId, meta, files: [{ name: 'c.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] })).id;
    b = await pairThroughHub(hub.url, a);
    await b.call('sync:now', {});
  }, 120_000);

  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('both devices create the task offline; after sync each holds it once', async () => {
    expect((await a.call('papers:runReminders', {})).created).toEqual([renewalTaskId(paperId)]);
    expect((await b.call('papers:runReminders', {})).created).toEqual([renewalTaskId(paperId)]);
    for (let i = 0; i < 2; i++) {
      await a.call('sync:now', {});
      await b.call('sync:now', {});
    }
    for (const t of [a, b]) {
      const renewals = (await t.call('tasks:list', { view: 'all' })).items.filter((x) => x.title.startsWith('Renouveler'));
      expect(renewals.map((x) => x.id)).toEqual([renewalTaskId(paperId)]);
      expect((await t.call('papers:runReminders', {})).created).toEqual([]);
    }
  });
});
