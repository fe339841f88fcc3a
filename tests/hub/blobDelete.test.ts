/**
 * `DELETE /v1/blobs/:name` (docs/erasure.md): an erased paper's blob leaves the hub with every partial upload of it;
 * another association cannot delete it; a second delete is answered 404, which the device counts as gone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, failure, newAssociation, registeredDevice, skipBackend, startHub, type TestHub } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(BACKENDS)('hub blob deletion (%s)', (backend) => {
  describe.skipIf(skipBackend(backend))(backend, () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startHub(backend);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('deletes the blob and its partial uploads, for its own association only', async () => {
      const a = await newAssociation();
      const other = await newAssociation();
      const d = await registeredDevice(t, a);
      const second = await registeredDevice(t, a);
      const stranger = await registeredDevice(t, other);
      const bytes = randomBytes(4000);
      const name = sha(bytes);
      await second.client.putBlobChunk(name, 0, bytes.subarray(0, 1000)); // another device's upload under way
      await d.client.putBlobChunk(name, 0, bytes);
      await d.client.completeBlob(name);
      const dir = join(t.dataDir, 'blobs', a.associationId);
      expect(readdirSync(join(dir, 'partial'))).toHaveLength(1);

      await stranger.client.deleteBlob(name); // 404 for the other association: nothing of a's is touched
      expect(existsSync(join(dir, name))).toBe(true);

      await d.client.deleteBlob(name);
      expect(existsSync(join(dir, name))).toBe(false);
      expect(readdirSync(join(dir, 'partial'))).toEqual([]);
      expect(await second.client.blobStatus(name)).toEqual({ stored: false, uploaded: 0 });
      expect((await failure(second.client.getBlob(name)))?.details?.['status']).toBe(404);
      await expect(second.client.deleteBlob(name)).resolves.toBeUndefined(); // already gone: fine
    });
  });
});
