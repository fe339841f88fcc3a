/**
 * Push and pull through the hub, on SQLite and PostgreSQL: per-association server sequence, de-duplication on
 * (device, deviceSeq), HLC far in the future, paging, audience routing and association isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, MAX_HLC_AHEAD_MS } from '../../shared/sync/protocol';
import { BACKENDS, envelope, failure, newAssociation, pullAll, rawRequest, registeredDevice, skipBackend, startHub, type TestHub } from './helpers';

describe.each(BACKENDS)('hub push/pull (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('numbers envelopes consecutively per association and serves them back in order', async () => {
      const a = await newAssociation();
      const b = await newAssociation();
      const a1 = await registeredDevice(t, a);
      const a2 = await registeredDevice(t, a);
      const b1 = await registeredDevice(t, b);
      const r1 = await a1.client.push([envelope(a, a1), envelope(a, a1), envelope(a, a1)]);
      const rb = await b1.client.push([envelope(b, b1), envelope(b, b1)]);
      const r2 = await a2.client.push([envelope(a, a2), envelope(a, a2)]);
      expect(r1.accepted.map((x) => x.serverSeq)).toEqual([1, 2, 3]);
      expect(rb.accepted.map((x) => x.serverSeq)).toEqual([1, 2]); // its own sequence
      expect(r2.accepted.map((x) => x.serverSeq)).toEqual([4, 5]);
      expect(r1.accepted.every((x) => !x.duplicate)).toBe(true);
      const all = await pullAll(a2);
      expect(all.envelopes.map((e) => e.serverSeq)).toEqual([1, 2, 3, 4, 5]);
      expect(all.head).toBe(5);
      expect(all.envelopes.map((e) => JSON.parse(e.header).deviceId)).toEqual([a1.deviceId, a1.deviceId, a1.deviceId, a2.deviceId, a2.deviceId]);
    });

    it('keeps the sequence gapless under concurrent pushes from several devices', async () => {
      const a = await newAssociation();
      const devices = await Promise.all(Array.from({ length: 6 }, () => registeredDevice(t, a)));
      await Promise.all(devices.flatMap((d) => Array.from({ length: 5 }, () => d.client.push([envelope(a, d), envelope(a, d)]))));
      const all = await pullAll(devices[0]!);
      expect(all.envelopes.map((e) => e.serverSeq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      const perDevice = new Set(all.envelopes.map((e) => `${JSON.parse(e.header).deviceId}:${JSON.parse(e.header).deviceSeq}`));
      expect(perDevice.size).toBe(60);
    });

    it('de-duplicates on (device, deviceSeq), in a replayed push and inside one push', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const batch = [envelope(a, d), envelope(a, d)];
      const first = await d.client.push(batch);
      const again = await d.client.push([...batch, envelope(a, d)]);
      expect(again.accepted).toEqual([
        { deviceSeq: 1, serverSeq: first.accepted[0]!.serverSeq, duplicate: true },
        { deviceSeq: 2, serverSeq: first.accepted[1]!.serverSeq, duplicate: true },
        { deviceSeq: 3, serverSeq: 3, duplicate: false },
      ]);
      const twice = envelope(a, d);
      const inOne = await d.client.push([twice, twice]);
      expect(inOne.accepted).toEqual([
        { deviceSeq: 4, serverSeq: 4, duplicate: false },
        { deviceSeq: 4, serverSeq: 4, duplicate: true },
      ]);
      // A replayed request (identical bytes and headers, still within the clock window) stores nothing new.
      const body = JSON.stringify({ envelopes: [envelope(a, d)] });
      expect((await rawRequest(t, d, 'POST', `${API}/push`, body)).status).toBe(200);
      const replay = await rawRequest(t, d, 'POST', `${API}/push`, body);
      expect(replay.json['accepted']).toEqual([{ deviceSeq: 5, serverSeq: 5, duplicate: true }]);
      expect((await pullAll(d)).envelopes.map((e) => e.serverSeq)).toEqual([1, 2, 3, 4, 5]);
    });

    it('stores once an envelope pushed several times at the same moment', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const e = envelope(a, d);
      const answers = await Promise.all(Array.from({ length: 6 }, () => d.client.push([e])));
      const seqs = answers.map((r) => r.accepted[0]!.serverSeq);
      expect(new Set(seqs)).toEqual(new Set([1]));
      expect(answers.filter((r) => !r.accepted[0]!.duplicate)).toHaveLength(1);
      expect((await d.client.pull(0)).head).toBe(1);
    });

    it('refuses a whole push holding an HLC more than 24 h ahead, storing nothing', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const ok = envelope(a, d);
      const future = envelope(a, d, { hlcMillis: Date.now() + MAX_HLC_AHEAD_MS + 60_000 });
      const e = await failure(d.client.push([ok, future]));
      expect(e?.code).toBe('HUB_REFUSED');
      expect(e?.details?.['hubCode']).toBe('HLC_IN_FUTURE');
      expect(e?.details?.['status']).toBe(422);
      expect(e?.message).toContain('deviceSeq 2');
      expect((await d.client.pull(0)).head).toBe(0);
      // 23 h ahead is accepted.
      const soon = envelope(a, d, { deviceSeq: 2, hlcMillis: Date.now() + MAX_HLC_AHEAD_MS - 3600_000 });
      expect((await d.client.push([ok, soon])).accepted.map((x) => x.serverSeq)).toEqual([1, 2]);
    });

    it('refuses an envelope naming another device or another association', async () => {
      const a = await newAssociation();
      const b = await newAssociation();
      const d = await registeredDevice(t, a);
      const d2 = await registeredDevice(t, a);
      const other = await registeredDevice(t, b);
      const asOther = await failure(d.client.push([envelope(a, d2)]));
      expect(asOther?.details?.['hubCode']).toBe('FORBIDDEN');
      expect(asOther?.message).toContain('envelopes.0.header.deviceId');
      const intoB = await failure(d.client.push([envelope(a, d), envelope(b, { ...other, deviceId: d.deviceId })]));
      expect(intoB?.details?.['hubCode']).toBe('FORBIDDEN');
      expect(intoB?.message).toContain('envelopes.1.header.associationId');
      expect((await other.client.pull(0)).head).toBe(0);
      expect((await d.client.pull(0)).head).toBe(0);
    });

    it('pages 1,200 envelopes by ≤ 500 with next and more', async () => {
      const a = await newAssociation();
      const w = await registeredDevice(t, a);
      const r = await registeredDevice(t, a);
      for (let i = 0; i < 3; i++) await w.client.push(Array.from({ length: 400 }, () => envelope(a, w, { bytes: 200 })));
      const first = await r.client.pull(0);
      expect(first.envelopes).toHaveLength(500);
      expect(first).toMatchObject({ next: 500, head: 1200, more: true });
      const all = await pullAll(r);
      expect(all.pages).toEqual([500, 500, 200]);
      expect(all.envelopes.map((e) => e.serverSeq)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
      expect(all.cursor).toBe(1200);
      const small = await pullAll(r, 1000, 70);
      expect(small.pages).toEqual([70, 70, 60]);
      const none = await r.client.pull(1200);
      expect(none).toMatchObject({ envelopes: [], next: 1200, head: 1200, more: false });
    });

    it('cuts a page at about 4 MB of ciphertext', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      for (let i = 0; i < 3; i++) await d.client.push(Array.from({ length: 2 }, () => envelope(a, d, { bytes: 900_000 })));
      const page = await d.client.pull(0);
      expect(page.envelopes).toHaveLength(4);
      expect(page).toMatchObject({ next: 4, head: 6, more: true });
    });

    it('routes a narrower scope only to devices whose audience intersects it', async () => {
      const a = await newAssociation();
      const writer = await registeredDevice(t, a);
      const social = await registeredDevice(t, a);
      const treasurer = await registeredDevice(t, a);
      const nobody = await registeredDevice(t, a);
      await social.client.setAudience(['grp-social', 'usr-alice']);
      await treasurer.client.setAudience(['grp-tresorerie']);
      await writer.client.push([
        envelope(a, writer),
        envelope(a, writer, { scope: 'groups:grp-social', audience: ['grp-social'] }),
        envelope(a, writer, { scope: 'users:usr-alice,usr-bob', audience: ['usr-alice', 'usr-bob'] }),
        envelope(a, writer, { scope: 'groups:grp-tresorerie', audience: ['grp-tresorerie'] }),
        envelope(a, writer),
      ]);
      const seqs = async (d: typeof writer) => (await pullAll(d)).envelopes.map((e) => e.serverSeq);
      expect(await seqs(social)).toEqual([1, 2, 3, 5]);
      expect(await seqs(treasurer)).toEqual([1, 4, 5]);
      expect(await seqs(nobody)).toEqual([1, 5]);
      // Envelopes not meant for a device are skipped over: the cursor moves to the head, no endless "more".
      await writer.client.push([envelope(a, writer, { scope: 'groups:g', audience: ['grp-social'] }), envelope(a, writer, { scope: 'groups:g', audience: ['grp-social'] })]);
      expect(await nobody.client.pull(5)).toMatchObject({ envelopes: [], next: 7, head: 7, more: false });
      const page = await social.client.pull(1, 2);
      expect(page.envelopes.map((e) => e.serverSeq)).toEqual([2, 3]);
      expect(page).toMatchObject({ next: 3, head: 7, more: true });
    });

    it('never serves another association its envelopes or devices', async () => {
      const a = await newAssociation();
      const b = await newAssociation();
      const da = await registeredDevice(t, a);
      const db = await registeredDevice(t, b);
      await da.client.setAudience(['shared-group-id']);
      await db.client.setAudience(['shared-group-id']);
      await da.client.push([envelope(a, da), envelope(a, da, { scope: 'groups:x', audience: ['shared-group-id'] })]);
      expect((await db.client.pull(0)).envelopes).toEqual([]);
      expect((await db.client.pull(0)).head).toBe(0);
      expect((await db.client.devices()).devices.map((x) => x.deviceId)).toEqual([db.deviceId]);
      expect((await da.client.pull(0)).envelopes).toHaveLength(2);
    });
  });
});
