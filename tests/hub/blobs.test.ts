/** Blobs at the hub (chunked, resumable, checked, ranged, per association), on SQLite and PostgreSQL. */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/sync/protocol';
import { BACKENDS, failure, newAssociation, rawRequest, registeredDevice, skipBackend, startHub, type TestHub } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const CHUNK = 256 * 1024;

describe.each(BACKENDS)('hub blobs (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('takes a blob in chunks, resumes an interrupted upload from HEAD, and serves it whole and by range', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const reader = await registeredDevice(t, a);
      const bytes = randomBytes(CHUNK * 3 + 1234);
      const name = sha(bytes);
      expect(await d.client.blobStatus(name)).toEqual({ stored: false, uploaded: 0 });
      await d.client.putBlobChunk(name, 0, bytes.subarray(0, CHUNK));
      await d.client.putBlobChunk(name, CHUNK, bytes.subarray(CHUNK, 2 * CHUNK));
      // "Interrupted": the device comes back and asks where it stopped.
      const status = await d.client.blobStatus(name);
      expect(status).toEqual({ stored: false, uploaded: 2 * CHUNK });
      // A chunk at the wrong offset is refused with the size the hub holds.
      const wrong = await failure(d.client.putBlobChunk(name, CHUNK, bytes.subarray(CHUNK, 2 * CHUNK)));
      expect(wrong?.details).toMatchObject({ status: 409, uploadedBytes: 2 * CHUNK });
      for (let off = 2 * CHUNK; off < bytes.length; off += CHUNK) await d.client.putBlobChunk(name, off, bytes.subarray(off, off + CHUNK));
      expect(await reader.client.blobStatus(name)).toEqual({ stored: false, uploaded: 0 }); // not complete yet
      expect((await d.client.completeBlob(name)).size).toBe(bytes.length);
      expect(await reader.client.blobStatus(name)).toEqual({ stored: true, size: bytes.length });
      // Compared by hash: a deep equality on a megabyte of bytes takes seconds.
      expect(sha(await reader.client.getBlob(name))).toBe(name);
      expect(sha(await reader.client.getBlob(name, 1000))).toBe(sha(bytes.subarray(1000)));
      expect((await reader.client.getBlob(name, bytes.length)).length).toBe(0);
      expect(existsSync(join(t.dataDir, 'blobs', a.associationId, name))).toBe(true);
      expect(readdirSync(join(t.dataDir, 'blobs', a.associationId, 'partial'))).toEqual([]);
    });

    it('refuses content that does not hash to the name, and discards it', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const bytes = randomBytes(5000);
      const name = sha(randomBytes(10));
      await d.client.putBlobChunk(name, 0, bytes);
      const e = await failure(d.client.completeBlob(name));
      expect(e?.code).toBe('HUB_REFUSED');
      expect(e?.details).toMatchObject({ hubCode: 'BLOB_MISMATCH', status: 422 });
      expect(await d.client.blobStatus(name)).toEqual({ stored: false, uploaded: 0 });
      expect((await failure(d.client.getBlob(name)))?.details?.['status']).toBe(404);
    });

    it("keeps each association's blobs to itself, even when the name is known", async () => {
      const a = await newAssociation();
      const b = await newAssociation();
      const da = await registeredDevice(t, a);
      const db = await registeredDevice(t, b);
      const bytes = randomBytes(2000);
      const name = sha(bytes);
      await da.client.putBlobChunk(name, 0, bytes);
      await da.client.completeBlob(name);
      expect(await db.client.blobStatus(name)).toEqual({ stored: false, uploaded: 0 });
      expect((await failure(db.client.getBlob(name)))?.details).toMatchObject({ hubCode: 'NOT_FOUND', status: 404 });
      expect((await failure(db.client.completeBlob(name)))?.details?.['status']).toBe(404);
    });

    it('refuses a bad name, an oversized chunk and a chunk sent as JSON', async () => {
      const a = await newAssociation();
      const d = await registeredDevice(t, a);
      const bad = await rawRequest(t, d, 'GET', `${API}/blobs/not-a-hash`);
      expect(bad.status).toBe(400);
      expect(bad.json.error?.message).toContain('name');
      const name = sha(Buffer.from('x'));
      const big = await failure(d.client.putBlobChunk(name, 0, randomBytes(1024 * 1024 + 1)));
      expect(big?.details).toMatchObject({ hubCode: 'TOO_LARGE', status: 413 });
      const asJson = await rawRequest(t, d, 'PUT', `${API}/blobs/${name}?offset=0`, JSON.stringify({ bytes: 'x' }));
      expect(asJson.status).toBe(415);
    });
  });
});
