/**
 * Security review of the sync engine (fresh eyes): what a certified but hostile device can put in an envelope, and
 * what damaged bookkeeping in the local database does to sync and to unlocking.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { EnvelopeHeader } from '../../shared/sync/protocol';
import { sealEnvelope, type ChangeSet } from '../../main/sync/envelope';
import { formatHlc, HybridLogicalClock } from '../../main/sync/hlc';
import { maxKnownHlc } from '../../main/sync/versions';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, type Replica, type ReplicaSet } from '../helpers/replicas';

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

async function replicas(n: number): Promise<Replica[]> {
  set = await makeReplicas(new MemoryHub(), n);
  return set.replicas;
}

const DAY = 24 * 3600_000;

/** An envelope sealed and signed with `sender`'s real keys (a compromised device, or an insider holding its key). */
async function fromDevice(s: ReplicaSet, sender: Replica, deviceSeq: number, headerMillis: number, sets: ChangeSet[]) {
  const header: EnvelopeHeader = {
    v: 1,
    associationId: s.associationId,
    scope: 'association',
    audience: [],
    keyEpoch: 1,
    deviceId: sender.deviceId,
    deviceSeq,
    hlc: formatHlc({ millis: headerMillis, counter: 0 }, sender.deviceId),
    schema: 3,
    changes: 1,
  };
  const env = await sealEnvelope(header, { c: sets }, sender.device.syncKey, sender.device.signSecretKey);
  s.hub.log.push({ ...env, serverSeq: s.hub.log.length + 1 });
}

async function notes(r: Replica, id: string): Promise<unknown> {
  return ((await r.db('households').where({ id }).first('notes')) as { notes: unknown } | undefined)?.notes;
}

async function lastLocalHlc(r: Replica): Promise<string> {
  return ((await r.db('change_log').orderBy('seq', 'desc').first('hlc')) as { hlc: string }).hlc;
}

describe('change sets dated outside their envelope', () => {
  it('a cell dated far in the future (header dated now) is refused: it would win forever and push every clock past what the hub accepts', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    const [id] = await a.mutator.insert('households', [{ name: 'Foyer Diallo', notes: 'v1' }]);
    await a.engine.sync();
    await b.engine.sync();
    const far = formatHlc({ millis: 9_999_999_999_999, counter: 0 }, a.deviceId);
    await fromDevice(set!, a, 100, Date.now(), [{ t: 'households', o: 'u', h: far, r: [[id!, { notes: 'pour toujours' }, { notes: '' }]] }]);

    const result = await b.engine.sync();
    expect(result.rejected).toBe(1);
    expect(await notes(b, id!)).toBe('v1');
    // After a restart the clock is seeded from every HLC the database holds: it must still be near the wall clock,
    // or every later write would be dated in 2286 and refused by the hub (HLC_IN_FUTURE) for good.
    await b.restart();
    await b.mutator.update('households', id!, { notes: 'v2' });
    expect(Number((await lastLocalHlc(b)).slice(0, 13))).toBeLessThan(Date.now() + DAY);
  });

  it('a cell dated in another device’s name is refused (a device cannot write as another)', async () => {
    const [a, b, c] = (await replicas(3)) as [Replica, Replica, Replica];
    const [id] = await a.mutator.insert('households', [{ name: 'Foyer Martin', notes: 'v1' }]);
    await a.engine.sync();
    await c.engine.sync();
    const asB = formatHlc({ millis: Date.now() - 1000, counter: 0 }, b.deviceId);
    await fromDevice(set!, a, 100, Date.now(), [{ t: 'households', o: 'u', h: asB, r: [[id!, { notes: 'écrit au nom de B' }, { notes: '' }]] }]);
    const result = await c.engine.sync();
    expect(result.rejected).toBe(1);
    expect(await notes(c, id!)).toBe('v1');
  });

  it('an envelope dated more than a day ahead of this device is refused (a hub that let it through)', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    const [id] = await a.mutator.insert('households', [{ name: 'Foyer Petit', notes: 'v1' }]);
    await a.engine.sync();
    await b.engine.sync();
    const ahead = Date.now() + 3 * DAY;
    const h = formatHlc({ millis: ahead, counter: 0 }, a.deviceId);
    await fromDevice(set!, a, 100, ahead, [{ t: 'households', o: 'u', h, r: [[id!, { notes: 'dans trois jours' }, { notes: '' }]] }]);
    const result = await b.engine.sync();
    expect(result.rejected).toBe(1);
    expect(await notes(b, id!)).toBe('v1');
  });

  it('a well-formed envelope of several sets, each dated up to its header, is still applied', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    const [id] = await a.mutator.insert('households', [{ name: 'Foyer Sow', notes: 'v1' }]);
    await a.engine.sync();
    await b.engine.sync();
    const t = Date.now();
    const h1 = formatHlc({ millis: t - 10, counter: 0 }, a.deviceId);
    const h2 = formatHlc({ millis: t, counter: 0 }, a.deviceId);
    await fromDevice(set!, a, 100, t, [
      { t: 'households', o: 'u', h: h1, r: [[id!, { name: 'Foyer Sow-Ba' }, { name: '' }]] },
      { t: 'households', o: 'u', h: h2, r: [[id!, { notes: 'v2' }, { notes: '' }]] },
    ]);
    const result = await b.engine.sync();
    expect(result.rejected).toBe(0);
    expect(await notes(b, id!)).toBe('v2');
  });
});

describe('damaged sync bookkeeping in the local database', () => {
  it('a change_log entry whose row list is damaged is skipped; the other writes still sync (capture runs before every merge)', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    await a.mutator.insert('households', [{ name: 'Foyer abîmé' }]);
    await a.db('change_log').update({ row_ids: '["tronqu' });
    await a.mutator.insert('households', [{ name: 'Foyer intact' }]);
    await a.engine.sync();
    await b.engine.sync();
    expect(((await b.db('households').select('name')) as { name: string }[]).map((h) => h.name)).toEqual(['Foyer intact']);
    // Receiving keeps working on the damaged device too.
    await b.mutator.insert('households', [{ name: 'Foyer de B' }]);
    await b.engine.sync();
    await a.engine.sync();
    expect(await a.db('households').where({ name: 'Foyer de B' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('a damaged audience record does not stop sync (it is sent again and the pull starts over)', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    await a.mutator.insert('households', [{ name: 'Foyer Ba' }]);
    await a.engine.sync();
    for (const damaged of ['[tronqué', '{"a":1}', '[1,2]']) {
      await b.db('sync_state').insert({ key: 'audience', value: damaged }).onConflict('key').merge();
      await b.engine.sync();
    }
    expect(await b.db('households').where({ name: 'Foyer Ba' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('damaged cell versions neither stop the clock from being seeded nor poison it', async () => {
    const [a] = (await replicas(1)) as [Replica];
    await a.mutator.insert('households', [{ name: 'Foyer Kane' }]);
    const good = await maxKnownHlc(a.db);
    expect(good).not.toBe('');
    await a.db('sync_versions').insert([
      { table_name: 'households', row_id: uuidv7(), base_hlc: 'zzzz-pas-un-hlc', cols: '{"notes": tronqué' },
      { table_name: 'people', row_id: uuidv7(), base_hlc: '', cols: '{"notes":"zz|"}' },
      { table_name: 'people', row_id: uuidv7(), base_hlc: '', cols: '["x"]' },
    ]);
    const known = await maxKnownHlc(a.db);
    expect(known).toBe(good);
    const hlc = new HybridLogicalClock(a.deviceId);
    expect(() => hlc.observe(known)).not.toThrow();
  });

  it('a damaged next device sequence does not reuse numbers the hub already holds (they would be acknowledged as duplicates and lost)', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    await a.mutator.insert('households', [{ name: 'Foyer 1' }]);
    await a.engine.sync();
    await a.db('sync_state').where({ key: 'next_device_seq' }).update({ value: 'abîmé' });
    await a.mutator.insert('households', [{ name: 'Foyer 2' }]);
    await a.engine.sync();
    await b.engine.sync();
    expect(((await b.db('households').orderBy('name').select('name')) as { name: string }[]).map((h) => h.name)).toEqual(['Foyer 1', 'Foyer 2']);
  });
});
