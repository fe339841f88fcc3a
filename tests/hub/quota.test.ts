/**
 * Per-association blob quotas at the hub (docs/hub-scaling.md "Limits"): uploads in progress are counted and
 * expire, bytes are counted and capped, on SQLite and PostgreSQL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../hub/blobs';
import { Registry } from '../../hub/storage/registry';
import { sweep } from '../../hub/sweep';
import { BACKENDS, Clock, failure, newAssociation, registeredDevice, skipBackend, startHub, type TestHub } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PARTIALS = 4;
const QUOTA = 64 * 1024;
const TTL = 3600_000;

describe.each(BACKENDS)('hub blob quotas (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend, new Clock(), { limits: { partialUploadsPerAssociation: PARTIALS, blobBytesPerAssociation: QUOTA, partialUploadTtlMs: TTL } });
    });
    afterAll(async () => {
      await t?.close();
    });

    const usage = async (associationId: string) => Number((await (await t.db()).knex('associations').where({ id: associationId }).first('blob_bytes'))?.blob_bytes);

    it('refuses a new upload beyond the uploads in progress an association may have, from any of its devices', async () => {
      const a = await newAssociation();
      const d1 = await registeredDevice(t, a);
      const d2 = await registeredDevice(t, a);
      for (let i = 0; i < PARTIALS; i++) await (i % 2 ? d2 : d1).client.putBlobChunk(sha(randomBytes(8)), 0, randomBytes(100));
      const e = await failure(d2.client.putBlobChunk(sha(randomBytes(8)), 0, randomBytes(100)));
      expect(e?.details).toMatchObject({ status: 429, hubCode: 'TOO_LARGE' });
      expect(e?.message).toContain('envois de pièces en cours');
      // Another association is not held back by this one.
      const other = await registeredDevice(t, await newAssociation());
      await other.client.putBlobChunk(sha(randomBytes(8)), 0, randomBytes(100));
    });

    it('counts the bytes an association holds and refuses the chunk that would pass its quota, writing nothing', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const first = randomBytes(40 * 1024);
      await d.client.putBlobChunk(sha(first), 0, first);
      await d.client.completeBlob(sha(first));
      expect(await usage(a.associationId)).toBe(first.length);
      const second = randomBytes(30 * 1024);
      const e = await failure(d.client.putBlobChunk(sha(second), 0, second));
      expect(e?.details).toMatchObject({ status: 507, hubCode: 'TOO_LARGE' });
      expect(await d.client.blobStatus(sha(second))).toEqual({ stored: false, uploaded: 0 });
      expect(await usage(a.associationId)).toBe(first.length);
      // A refused upload (content not matching its name) gives its bytes back.
      const bogus = randomBytes(20 * 1024);
      const name = sha(randomBytes(8));
      await d.client.putBlobChunk(name, 0, bogus);
      expect(await usage(a.associationId)).toBe(first.length + bogus.length);
      expect((await failure(d.client.completeBlob(name)))?.details?.['hubCode']).toBe('BLOB_MISMATCH');
      expect(await usage(a.associationId)).toBe(first.length);
    });

    it('removes partial uploads idle past their time, at the sweep, and frees their place and bytes', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const names = [];
      for (let i = 0; i < PARTIALS; i++) {
        const name = sha(randomBytes(8));
        names.push(name);
        await d.client.putBlobChunk(name, 0, randomBytes(1000));
      }
      expect(await usage(a.associationId)).toBe(PARTIALS * 1000);
      const partialDir = join(t.dataDir, 'blobs', a.associationId, 'partial');
      expect(readdirSync(partialDir)).toHaveLength(PARTIALS);
      expect((await t.hub.sweep()).partials).toBe(0); // not idle long enough
      t.clock.offset += TTL + 60_000;
      try {
        expect((await t.hub.sweep()).partials).toBeGreaterThanOrEqual(PARTIALS);
        expect(readdirSync(partialDir)).toEqual([]);
        expect(await usage(a.associationId)).toBe(0);
        expect(await d.client.blobStatus(names[0]!)).toEqual({ stored: false, uploaded: 0 });
        await d.client.putBlobChunk(sha(randomBytes(8)), 0, randomBytes(100));
      } finally {
        t.clock.offset -= TTL + 60_000;
      }
    });

    it('measures the blobs already on disk at start (counters start right after an upgrade)', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const bytes = randomBytes(5000);
      await d.client.putBlobChunk(sha(bytes), 0, bytes);
      await d.client.completeBlob(sha(bytes));
      await (await t.db()).knex('associations').where({ id: a.associationId }).update({ blob_bytes: 0 });
      expect(existsSync(join(t.dataDir, 'blobs', a.associationId, sha(bytes)))).toBe(true);
      const db = await t.db();
      const registry = new Registry(db.knex, db.dialect);
      await sweep({ knex: db.knex, registry, blobs: new BlobStore(join(t.dataDir, 'blobs'), registry, { blobBytesPerAssociation: QUOTA, partialUploadsPerAssociation: PARTIALS, partialUploadTtlMs: TTL }) }, t.clock.now(), true);
      expect(await usage(a.associationId)).toBe(bytes.length);
    });
  });
});
