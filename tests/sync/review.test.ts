/**
 * Security review of the sync engine (fresh eyes): what a certified but hostile device can put in an envelope, and
 * what damaged bookkeeping in the local database does to sync and to unlocking.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { envelopeHeader, type EnvelopeHeader } from '../../shared/sync/protocol';
import { sealEnvelope, type ChangeSet } from '../../main/sync/envelope';
import { formatHlc, HybridLogicalClock } from '../../main/sync/hlc';
import { maxKnownHlc } from '../../main/sync/versions';
import { startHub } from '../hub/helpers';
import { newTestCore } from '../helpers/core';
import { caught } from '../helpers/access';
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

describe('a row scope the hub would refuse', () => {
  it('received from another device, does not make every later push of this device refused (it is sent association-wide)', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    const ids = await a.mutator.insert('households', [{ name: 'Foyer 1' }, { name: 'Foyer 2' }, { name: 'Foyer 3' }]);
    await a.engine.sync();
    await b.engine.sync();
    const t = Date.now();
    const bad = ['', `groups:${Array.from({ length: 300 }, () => uuidv7()).join(',')}`, 'groups:', 'users:pas un id'];
    await fromDevice(
      set!,
      a,
      100,
      t,
      bad.slice(0, 3).map((scope, i) => ({ t: 'households', o: 'u' as const, h: formatHlc({ millis: t, counter: 0 }, a.deviceId), r: [[ids[i]!, { scope_id: scope }, { scope_id: '' }]] })),
    );
    expect((await b.engine.sync()).rejected).toBe(0);
    await b.db('households').where({ id: ids[2]! }).update({ scope_id: bad[3]! }); // (or damaged here)
    for (const id of ids) await b.mutator.update('households', id, { notes: 'modifié sur B' });
    await b.engine.capture();
    const headers = ((await b.db('sync_outbox').whereNull('pushed_at').select('header')) as { header: string }[]).map((r) => JSON.parse(r.header) as unknown);
    expect(headers.length).toBeGreaterThan(0);
    for (const h of headers) expect(envelopeHeader.safeParse(h).success, JSON.stringify(h).slice(0, 200)).toBe(true);
    await b.engine.sync();
    await a.engine.sync();
    expect(await a.db('households').where({ notes: 'modifié sur B' }).count({ n: '*' })).toEqual([{ n: 3 }]);
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


/**
 * A hostile hub on loopback: accepts the registration and pushes, then serves pull pages forever — each holds one
 * junk envelope and says there is more (`next` moves by one, or not at all with `stuck`).
 */
async function endlessHub(o: { stuck: boolean }): Promise<{ url: string; pulls: () => number; stop(): void; close(): Promise<void> }> {
  let pulls = 0;
  let endless = true;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ serverTime: Date.now(), ...(body as object) }));
      };
      if (url.pathname === '/v1/health') return send({ ok: true, protocol: 1 });
      if (url.pathname === '/v1/associations') return send({ associationId: JSON.parse(Buffer.concat(chunks).toString()).associationId });
      if (url.pathname === '/v1/audience') return send({});
      if (url.pathname === '/v1/devices') return send({ devices: [] });
      if (url.pathname === '/v1/push') {
        const envelopes = JSON.parse(Buffer.concat(chunks).toString()).envelopes as { header: string }[];
        return send({ accepted: envelopes.map((e, i) => ({ deviceSeq: (JSON.parse(e.header) as { deviceSeq: number }).deviceSeq, serverSeq: i + 1, duplicate: false })) });
      }
      if (url.pathname === '/v1/pull') {
        pulls++;
        const after = Number(url.searchParams.get('after'));
        if (!endless) return send({ envelopes: [], next: after, head: after, more: false });
        const next = o.stuck ? after : after + 1;
        return send({ envelopes: [{ header: '{"junk":1}', ciphertext: 'AAAA', signature: 'AAAA', serverSeq: after + 1 }], next, head: after + 1_000_000, more: true });
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'absent' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pulls: () => pulls,
    stop: () => (endless = false),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const settled = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => 'settled', () => 'settled'), new Promise<string>((resolve) => setTimeout(() => resolve('still running'), ms))]);

describe('a hub that never stops answering “more”', () => {
  it('cannot keep a run on the same page forever', async () => {
    const hostile = await endlessHub({ stuck: true });
    const t = await newTestCore();
    try {
      await t.call('sync:joinHub', { hubUrl: hostile.url, deviceName: 'Accueil' });
      const run = t.call('sync:now', {});
      void run.catch(() => undefined);
      const outcome = await settled(run, 5_000);
      hostile.stop();
      expect(outcome).toBe('settled');
      expect((await caught(run))?.code).toBe('SYNC_REJECTED');
      expect(hostile.pulls()).toBeLessThan(5);
    } finally {
      hostile.stop();
      await t.cleanup();
      await hostile.close();
    }
  });

  it('cannot keep the session from locking (database closed, keys wiped)', async () => {
    const hostile = await endlessHub({ stuck: false });
    const t = await newTestCore();
    try {
      await t.call('sync:joinHub', { hubUrl: hostile.url, deviceName: 'Accueil' });
      const run = t.call('sync:now', {});
      const ended = caught(run);
      while (hostile.pulls() < 3) await new Promise((resolve) => setTimeout(resolve, 20));
      const lock = t.call('session:lock', { reason: 'user' });
      const outcome = await settled(lock, 5_000);
      hostile.stop();
      expect(outcome).toBe('settled');
      expect((await ended)?.code).toBe('LOCKED');
      expect(t.core.session()).toBeNull();
    } finally {
      hostile.stop();
      await t.cleanup();
      await hostile.close();
    }
  });
});

describe('joining a hub when the answer to the registration is lost', () => {
  it('can be tried again: the device registers with the same key, not a new one the hub would refuse for good', async () => {
    const hub = await startHub('sqlite');
    let dropNext = true;
    // A relay in front of the hub that loses the first registration answer (the hub did register the device).
    const relay = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'content-length')) as Record<string, string>;
          const body = chunks.length ? Buffer.concat(chunks) : undefined;
          const answer = await fetch(`${hub.url}${req.url}`, { method: req.method, headers, ...(body ? { body: new Uint8Array(body) } : {}) });
          const bytes = Buffer.from(await answer.arrayBuffer());
          if (req.url === '/v1/associations' && dropNext) {
            dropNext = false;
            return req.socket.destroy();
          }
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(bytes);
        })();
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    const t = await newTestCore();
    try {
      expect((await caught(t.call('sync:joinHub', { hubUrl: relayUrl, deviceName: 'Accueil' })))?.code).toBe('HUB_UNREACHABLE');
      expect(dropNext).toBe(false);
      expect(await caught(t.call('sync:joinHub', { hubUrl: relayUrl, deviceName: 'Accueil' }))).toBeNull();
      expect((await t.call('sync:now', {})).pushed).toBeGreaterThan(0);
    } finally {
      await t.cleanup();
      relay.closeAllConnections();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      await hub.close();
    }
  });
});

describe('a push larger than the hub takes in one request', () => {
  it('is sent in several requests (200 envelopes of 100 KB made one 20 MB request, refused for good)', async () => {
    const hub = await startHub('sqlite');
    const t = await newTestCore();
    try {
      await t.call('sync:joinHub', { hubUrl: hub.url, deviceName: 'Accueil' });
      await t.call('sync:now', {});
      const m = t.core.session()!.ctx.mutator;
      for (let i = 0; i < 200; i++) await m.insert('households', [{ name: `Foyer ${i}`, notes: randomBytes(75 * 1024).toString('base64') }]);
      const r = await t.call('sync:now', {});
      expect(r.pending).toBe(0);
      expect(r.pushed).toBeGreaterThan(200);
    } finally {
      await t.cleanup();
      await hub.close();
    }
  });
});
