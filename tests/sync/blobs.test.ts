/**
 * Vault blobs through the hub (issue 4 §8, main/sync/blobs.ts): a blob tampered with or truncated on the way is
 * refused (SYNC_REJECTED) and asked again later; a download resumes from the partial file; an upload goes in
 * chunks of BLOB_CHUNK_BYTES and resumes where the hub says it stopped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOB_CHUNK_BYTES } from '../../shared/sync/protocol';
import { AppError } from '../../shared/domain/errors';
import { downloadBlob, uploadBlob } from '../../main/sync/blobs';
import { MemoryHub } from '../helpers/memoryHub';
import { makeReplicas, type Replica, type ReplicaSet } from '../helpers/replicas';

let set: ReplicaSet | null = null;
afterEach(async () => {
  await set?.cleanup();
  set = null;
});

async function two(): Promise<[Replica, Replica, ReplicaSet]> {
  set = await makeReplicas(new MemoryHub(), 2);
  return [set.replicas[0]!, set.replicas[1]!, set];
}

/** A blob of `size` random bytes in `r`'s vault. */
async function localBlob(r: Replica, size: number): Promise<{ name: string; bytes: Uint8Array }> {
  const bytes = new Uint8Array(randomBytes(size));
  const { name } = await r.blobs.put(bytes);
  return { name, bytes };
}

async function rejectedWith(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Byte equality (a deep equality of a megabyte array takes vitest many seconds). */
function expectBytes(actual: Uint8Array | undefined, expected: Uint8Array): void {
  expect(actual).toBeDefined();
  expect(actual!.length).toBe(expected.length);
  expect(Buffer.from(actual!).equals(Buffer.from(expected))).toBe(true);
}

const partialPath = (r: Replica, name: string) => join(r.blobs.dir, '.partial', name);

describe('blob downloads', () => {
  it('refuse a blob tampered with or truncated on the way, keep nothing of it, and succeed once it comes whole', async () => {
    const [a, b, s] = await two();
    const { name, bytes } = await localBlob(a, 300_000);
    s.hub.blobs.set(name, bytes);

    b.faults.blob = (_, served) => {
      const copy = new Uint8Array(served);
      copy[1000] = copy[1000]! ^ 0xff;
      return copy;
    };
    const tampered = await rejectedWith(downloadBlob(b.api, b.blobs, name));
    expect(tampered.code).toBe('SYNC_REJECTED');
    expect(tampered.message).toMatch(/^Pièce reçue du hub altérée ou tronquée/);
    expect(await b.blobs.has(name)).toBe(false);
    expect(existsSync(partialPath(b, name))).toBe(false);

    b.faults.blob = (_, served) => served.subarray(0, served.length - 1);
    expect((await rejectedWith(downloadBlob(b.api, b.blobs, name))).code).toBe('SYNC_REJECTED');
    expect(await b.blobs.has(name)).toBe(false);

    delete b.faults.blob;
    await downloadBlob(b.api, b.blobs, name);
    expectBytes(await b.blobs.get(name), bytes);
  });

  it('resume from the partial file: only the missing bytes are asked for', async () => {
    const [a, b, s] = await two();
    const { name, bytes } = await localBlob(a, 200_000);
    s.hub.blobs.set(name, bytes);
    mkdirSync(join(b.blobs.dir, '.partial'), { recursive: true });
    writeFileSync(partialPath(b, name), bytes.subarray(0, 123_456));
    const served: number[] = [];
    b.faults.blob = (_, rest) => (served.push(rest.length), rest);

    await downloadBlob(b.api, b.blobs, name);
    expect(served).toEqual([200_000 - 123_456]);
    expectBytes(await b.blobs.get(name), bytes);
    expect(existsSync(partialPath(b, name))).toBe(false);
  });

  it('drop a damaged partial file together with the bad result, so the next try starts over', async () => {
    const [a, b, s] = await two();
    const { name, bytes } = await localBlob(a, 50_000);
    s.hub.blobs.set(name, bytes);
    mkdirSync(join(b.blobs.dir, '.partial'), { recursive: true });
    writeFileSync(partialPath(b, name), new Uint8Array(randomBytes(10_000))); // not the blob's first bytes
    expect((await rejectedWith(downloadBlob(b.api, b.blobs, name))).code).toBe('SYNC_REJECTED');
    expect(existsSync(partialPath(b, name))).toBe(false);
    await downloadBlob(b.api, b.blobs, name);
    expectBytes(await b.blobs.get(name), bytes);
  });
});

describe('blob uploads', () => {
  it(`go in chunks of ${BLOB_CHUNK_BYTES} bytes and resume where the hub says an interrupted upload stopped`, async () => {
    const [a, , s] = await two();
    const size = Math.floor(2.5 * BLOB_CHUNK_BYTES);
    const { name, bytes } = await localBlob(a, size);
    const offsets: number[] = [];
    let cut = true;
    a.faults.cutUpload = (_, offset) => {
      offsets.push(offset);
      return cut && offset === BLOB_CHUNK_BYTES;
    };

    expect((await rejectedWith(uploadBlob(a.api, a.blobs, name))).code).toBe('HUB_UNREACHABLE');
    expect(offsets).toEqual([0, BLOB_CHUNK_BYTES]);
    expect(s.hub.blobs.has(name)).toBe(false);
    expect(await a.api.blobStatus(name)).toEqual({ stored: false, uploaded: BLOB_CHUNK_BYTES });

    cut = false;
    offsets.length = 0;
    expect(await uploadBlob(a.api, a.blobs, name)).toBe(true);
    expect(offsets).toEqual([BLOB_CHUNK_BYTES, 2 * BLOB_CHUNK_BYTES]); // the first chunk is not sent again
    expectBytes(s.hub.blobs.get(name), bytes);
    expect(s.hub.calls.get(a.deviceId)?.chunks).toBe(4);
    // Already there: nothing sent.
    expect(await uploadBlob(a.api, a.blobs, name)).toBe(false);
    expect(s.hub.calls.get(a.deviceId)?.chunks).toBe(4);
  });
});

describe('blobs in a sync run', () => {
  it('upload the papers a device has, download the others, and mark a refused one failed until it comes whole', async () => {
    const [a, b, s] = await two();
    const { name, bytes } = await localBlob(a, 100_000);
    const [personId] = await a.mutator.insert('people', [{ first_name: 'Awa', last_name: 'Diallo', kinds: '[]' }]);
    await a.mutator.insert('documents', [
      { person_id: personId!, type: 'identity', pages: 1, sha256: 'x'.repeat(64), size: 90_000, blob_name: name, wrapped_key: 'AAAA', key_epoch: 1 },
    ]);
    const up = await a.engine.sync();
    expect(up.blobs).toMatchObject({ uploaded: 1, failed: 0 });
    expectBytes(s.hub.blobs.get(name), bytes);

    b.faults.blob = (_, served) => served.subarray(0, 10);
    const refused = await b.engine.sync();
    expect(refused.blobs).toMatchObject({ downloaded: 0, failed: 1 });
    const mark = (await b.db('sync_blobs').where({ name }).first()) as { state: string; tries: number; last_error: string };
    expect(mark).toMatchObject({ state: 'failed', tries: 1 });
    expect(mark.last_error).toMatch(/altérée ou tronquée/);
    expect(await b.blobs.has(name)).toBe(false);

    delete b.faults.blob;
    const fetched = await b.engine.sync();
    expect(fetched.blobs).toMatchObject({ downloaded: 1, failed: 0 });
    expectBytes(await b.blobs.get(name), bytes);
    expect(((await b.db('sync_blobs').where({ name }).first()) as { state: string }).state).toBe('done');
    // Done on both sides: the next runs move nothing.
    expect((await b.engine.sync()).blobs).toMatchObject({ uploaded: 0, downloaded: 0, failed: 0 });
    expect((await a.engine.sync()).blobs).toMatchObject({ uploaded: 0, downloaded: 0, failed: 0 });
  });
});
