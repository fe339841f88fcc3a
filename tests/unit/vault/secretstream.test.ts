import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors';
import {
  CHUNK_OVERHEAD,
  CHUNK_SIZE,
  ciphertextLength,
  decryptBytes,
  encryptBytes,
} from '../../../main/vault/secretstream';

const DATA_OFFSET = 37; // "SLDV" + version + uint64 length + 24-byte header
const FULL_CHUNK = CHUNK_SIZE + CHUNK_OVERHEAD;
const key = new Uint8Array(randomBytes(32));

/** Decrypts and returns the VAULT_CORRUPT error (fails the test if decryption succeeds or throws something else). */
async function corruptError(bytes: Uint8Array, withKey = key): Promise<AppError> {
  const error = await decryptBytes(withKey, bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VAULT_CORRUPT');
  return error as AppError;
}

describe('secretstream blobs', () => {
  it.each([0, 1, 65_535, 65_536, 65_537, 3 * 1024 * 1024])('round-trips %i random bytes', async (size) => {
    const plaintext = new Uint8Array(randomBytes(size));
    const progress: number[] = [];
    const ciphertext = await encryptBytes(key, plaintext, (done, total) => {
      expect(total).toBe(size);
      progress.push(done);
    });
    const chunks = Math.max(1, Math.ceil(size / CHUNK_SIZE));
    expect(ciphertext.length).toBe(DATA_OFFSET + size + chunks * CHUNK_OVERHEAD);
    expect(ciphertext.length).toBe(ciphertextLength(size));
    expect(Buffer.from(ciphertext.subarray(0, 5)).toString('latin1')).toBe('SLDV\x01');
    expect(progress).toHaveLength(chunks);
    expect(progress.at(-1)).toBe(size);
    const decrypted = await decryptBytes(key, ciphertext);
    expect(decrypted.length).toBe(size);
    expect(Buffer.from(decrypted).equals(Buffer.from(plaintext))).toBe(true);
  });

  it('never encrypts the same plaintext twice to the same bytes (fresh header each time)', async () => {
    const plaintext = new Uint8Array(1000);
    const [a, b] = [await encryptBytes(key, plaintext), await encryptBytes(key, plaintext)];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('reports a wrong key as tampered chunk 0', async () => {
    const ciphertext = await encryptBytes(key, new Uint8Array(randomBytes(200_000)));
    const error = await corruptError(ciphertext, new Uint8Array(randomBytes(32)));
    expect(error.details).toMatchObject({ reason: 'tampered', chunk: 0 });
  });

  it('pinpoints a flipped byte: details.chunk is zero-based, the message counts from 1', async () => {
    const ciphertext = await encryptBytes(key, new Uint8Array(randomBytes(4 * CHUNK_SIZE + 10))); // 5 chunks
    for (const chunk of [0, 1, 2, 4]) {
      const copy = ciphertext.slice();
      copy[DATA_OFFSET + chunk * FULL_CHUNK + (chunk === 4 ? 20 : 1234)]! ^= 0x01; // the last chunk is 10 + 17 bytes
      const error = await corruptError(copy);
      expect(error.details).toEqual({ reason: 'tampered', chunk, chunks: 5 });
      expect(error.message).toContain(`bloc n° ${chunk + 1} sur 5`);
    }
  });

  it('detects an edited length field or header as tampered chunk 0 (the prefix is chunk 0\'s additional data)', async () => {
    const ciphertext = await encryptBytes(key, new Uint8Array(randomBytes(100_000)));
    for (const at of [5, 9, 12, 20, 36]) {
      const copy = ciphertext.slice();
      copy[at]! ^= 0x01; // bytes 5..12: plaintext length; 13..36: secretstream header
      expect((await corruptError(copy)).details, `byte ${at}`).toMatchObject({ reason: 'tampered', chunk: 0 });
    }
  });

  it('reports truncation inside the header, mid-chunk and exactly at a chunk boundary', async () => {
    const ciphertext = await encryptBytes(key, new Uint8Array(randomBytes(3 * CHUNK_SIZE + 500))); // 4 chunks
    const cases: Array<[number, number | undefined]> = [
      [0, undefined],
      [3, undefined], // inside the magic
      [20, undefined], // inside the secretstream header
      [DATA_OFFSET, 0], // header complete, no chunk at all
      [DATA_OFFSET + 100, 0], // mid-chunk
      [DATA_OFFSET + FULL_CHUNK + 5000, 1],
      [DATA_OFFSET + 2 * FULL_CHUNK, 2], // exactly at a boundary, FINAL chunk still to come
      [DATA_OFFSET + 3 * FULL_CHUNK, 3],
      [ciphertext.length - 1, 3], // one byte short of the end
    ];
    for (const [length, chunk] of cases) {
      const error = await corruptError(ciphertext.subarray(0, length));
      expect(error.details?.reason, `cut at ${length}`).toBe('truncated');
      expect(error.details?.chunk, `cut at ${length}`).toBe(chunk);
    }
  });

  it('refuses bytes appended after the FINAL chunk, a bad magic and an unknown version', async () => {
    const ciphertext = await encryptBytes(key, new Uint8Array(randomBytes(70_000)));
    const appended = new Uint8Array([...ciphertext, 1, 2, 3]);
    expect((await corruptError(appended)).details).toEqual({ reason: 'format', trailingBytes: 3 });
    const magic = ciphertext.slice();
    magic[0] = 0x25; // '%'
    expect((await corruptError(magic)).details).toEqual({ reason: 'format' });
    const version = ciphertext.slice();
    version[4] = 2;
    expect((await corruptError(version)).details).toEqual({ reason: 'format', version: 2 });
    expect((await corruptError(new Uint8Array(randomBytes(500)))).details?.reason).toBe('format');
  });

  it('rejects a key that is not 32 bytes', async () => {
    await expect(encryptBytes(new Uint8Array(16), new Uint8Array(1))).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
