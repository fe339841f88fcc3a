import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobStore, blobName } from '../../../main/vault/blobStore';
import { decryptBytes, encryptBytes, OUTPUT_PART } from '../../../main/vault/secretstream';

const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe('encrypting while writing', () => {
  it('encryptBytes hands out its output in order, in parts that add up to the whole buffer', async () => {
    const key = new Uint8Array(randomBytes(32));
    const plain = new Uint8Array(randomBytes(3 * OUTPUT_PART + 12345));
    const parts: Uint8Array[] = [];
    const out = await encryptBytes(key, plain, undefined, (p) => parts.push(p.slice()));
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expect(Buffer.concat(parts).equals(Buffer.from(out))).toBe(true);
    expect(Buffer.from(await decryptBytes(key, out)).equals(Buffer.from(plain))).toBe(true);
  });

  it('a streamed blob gets the same content-addressed name as put, and is invisible until commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    const store = new BlobStore(dir);
    const bytes = new Uint8Array(randomBytes(2 * OUTPUT_PART + 7));
    const writer = await store.begin();
    writer.push(bytes.subarray(0, OUTPUT_PART));
    writer.push(bytes.subarray(OUTPUT_PART));
    expect(await store.list()).toEqual([]);
    const { name, size } = await writer.commit();
    expect(name).toBe(blobName(bytes));
    expect(size).toBe(bytes.byteLength);
    expect(await store.list()).toEqual([name]);
    expect(Buffer.from(await store.get(name)).equals(Buffer.from(bytes))).toBe(true);
    expect(files(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('an aborted blob leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blobs-'));
    const store = new BlobStore(dir);
    const writer = await store.begin();
    writer.push(new Uint8Array(randomBytes(1000)));
    await writer.abort();
    expect(files(dir)).toEqual([]);
  });
});
