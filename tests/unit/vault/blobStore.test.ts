import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors';
import { writeFileAtomic } from '../../../main/fs/atomic';
import { BlobStore } from '../../../main/vault/blobStore';
import { decryptBytes, encryptBytes } from '../../../main/vault/secretstream';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'solidariciel-vault-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under `root`, relative, sorted. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

async function thrown(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('writeFileAtomic', () => {
  it('writes a buffer or chunks, replaces an existing file, leaves no temporary file', async () => {
    const target = path.join(dir, 'a.bin');
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(target))]).toEqual([1, 2, 3]);
    async function* chunks() {
      yield new Uint8Array([9]);
      yield new Uint8Array([8, 7]);
    }
    await writeFileAtomic(target, chunks());
    expect([...(await readFile(target))]).toEqual([9, 8, 7]);
    await writeFileAtomic(target, [new Uint8Array([4]), new Uint8Array([5])]);
    expect([...(await readFile(target))]).toEqual([4, 5]);
    expect(await tree(dir)).toEqual(['a.bin']);
  });

  it('removes its temporary file and keeps the old content when writing fails', async () => {
    const target = path.join(dir, 'keep.bin');
    await writeFile(target, 'old');
    async function* failing() {
      yield new Uint8Array([1, 2]);
      throw new Error('disk unplugged');
    }
    await expect(writeFileAtomic(target, failing())).rejects.toThrow('disk unplugged');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await tree(dir)).toEqual(['keep.bin']);
  });

  it('fails without leaving anything when the directory does not exist', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'x.bin'), new Uint8Array(1))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await tree(dir)).toEqual([]);
  });
});

describe('BlobStore', () => {
  it('stores ciphertext under the hex SHA-256 of its bytes, fanned out by the first two digits', async () => {
    const store = new BlobStore(path.join(dir, 'vault'));
    const key = new Uint8Array(randomBytes(32));
    const plaintext = new Uint8Array(randomBytes(150_000));
    const ciphertext = await encryptBytes(key, plaintext);
    const { name, size } = await store.put(ciphertext);
    expect(name).toBe(createHash('sha256').update(ciphertext).digest('hex'));
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(size).toBe(ciphertext.length);
    expect(await tree(path.join(dir, 'vault'))).toEqual([path.join(name.slice(0, 2), name)]);
    expect(await store.has(name)).toBe(true);
    const read = await store.get(name);
    expect(Buffer.from(read).equals(Buffer.from(ciphertext))).toBe(true);
    expect(Buffer.from(await decryptBytes(key, read)).equals(Buffer.from(plaintext))).toBe(true);
    expect(await store.put(ciphertext)).toEqual({ name, size }); // idempotent
    expect(await store.list()).toEqual([name]);
  });

  it('lists every blob, sorted, ignoring temporary and stray files; an absent folder is empty', async () => {
    const store = new BlobStore(path.join(dir, 'vault'));
    expect(await store.list()).toEqual([]);
    const names = await Promise.all(Array.from({ length: 5 }, (_, i) => store.put(new Uint8Array([i]))));
    const prefix = names[0]!.name.slice(0, 2);
    await writeFile(path.join(dir, 'vault', prefix, '.tmp-0123456789abcdef'), 'crash leftover');
    await writeFile(path.join(dir, 'vault', 'README.txt'), 'not a blob');
    expect(await store.list()).toEqual(names.map((n) => n.name).sort());
  });

  it('detects a blob modified on disk', async () => {
    const store = new BlobStore(dir);
    const { name } = await store.put(new Uint8Array(randomBytes(1000)));
    const file = path.join(dir, name.slice(0, 2), name);
    const bytes = await readFile(file);
    bytes[500]! ^= 0x80;
    await writeFile(file, bytes);
    const error = await thrown(store.get(name));
    expect(error.code).toBe('VAULT_CORRUPT');
    expect(error.details).toMatchObject({ reason: 'tampered', name });
  });

  it('reports a missing blob', async () => {
    const store = new BlobStore(dir);
    const name = 'ab'.repeat(32);
    expect(await store.has(name)).toBe(false);
    const error = await thrown(store.get(name));
    expect(error.code).toBe('VAULT_CORRUPT');
    expect(error.details).toEqual({ reason: 'missing', name });
  });

  it('refuses malformed names before touching the file system', async () => {
    const outside = path.join(dir, 'secret.txt');
    await writeFile(outside, 'not yours');
    const store = new BlobStore(path.join(dir, 'vault'));
    for (const name of ['../secret.txt', '..', 'AB'.repeat(32), 'ab'.repeat(31), `${'ab'.repeat(32)}/`, outside, '']) {
      for (const call of [store.get(name), store.has(name), store.remove(name)]) {
        expect((await thrown(call)).code, name).toBe('VALIDATION');
      }
    }
    expect(existsSync(path.join(dir, 'vault'))).toBe(false);
  });

  it('removes blobs and leaves no temporary files after many writes', async () => {
    const store = new BlobStore(dir);
    const puts = await Promise.all(Array.from({ length: 20 }, () => store.put(new Uint8Array(randomBytes(3000)))));
    await store.remove(puts[0]!.name);
    await store.remove(puts[0]!.name); // already gone: fine
    expect(await store.has(puts[0]!.name)).toBe(false);
    const files = await tree(dir);
    expect(files).toHaveLength(19);
    expect(files.some((f) => path.basename(f).startsWith('.tmp-'))).toBe(false);
  });
});
