/**
 * Vault blob encryption with libsodium `crypto_secretstream_xchacha20poly1305`
 * (https://doc.libsodium.org/secret-key_cryptography/secretstream): the plaintext is cut into 64 KiB chunks, each
 * authenticated on its own, the last one tagged TAG_FINAL, so truncation, reordering and tampering are all detected.
 *
 * File format, version 1 (all integers little-endian):
 *
 * | offset | size            | content                                                                  |
 * |--------|-----------------|--------------------------------------------------------------------------|
 * | 0      | 4               | ASCII `SLDV`                                                             |
 * | 4      | 1               | format version, `0x01`                                                   |
 * | 5      | 8               | plaintext length in bytes (uint64)                                       |
 * | 13     | 24              | secretstream header (HEADERBYTES)                                        |
 * | 37     | n × (65536+17)  | chunks: 64 KiB of plaintext + ABYTES (17) each; the last may be shorter  |
 *
 * There are `max(1, ceil(length / 65536))` chunks (an empty plaintext is one empty FINAL chunk). The 13-byte prefix is
 * the additional data of chunk 0, so editing the length or the version makes chunk 0 fail authentication. Knowing the
 * length lets decryption tell a file cut in the middle of a chunk (truncated) from a modified chunk (tampered).
 *
 * Chunk indexes in error details (`details.chunk`) are zero-based; the French messages count from 1 ("bloc n° 1").
 */
import { AppError } from '../../shared/domain/errors';
import { getSodium } from '../crypto/sodium';

/** Plaintext bytes per chunk (64 KiB). */
export const CHUNK_SIZE = 65_536;
/** Authentication overhead per chunk: `crypto_secretstream_xchacha20poly1305_ABYTES`. */
export const CHUNK_OVERHEAD = 17;
/** `crypto_secretstream_xchacha20poly1305_HEADERBYTES`. */
export const HEADER_BYTES = 24;
/** `crypto_secretstream_xchacha20poly1305_KEYBYTES`. */
export const KEY_BYTES = 32;
/** Current format version written in byte 4. */
export const FORMAT_VERSION = 1;

const MAGIC = [0x53, 0x4c, 0x44, 0x56]; // "SLDV"
const PREFIX_BYTES = 13; // magic + version + uint64 length
const DATA_OFFSET = PREFIX_BYTES + HEADER_BYTES; // 37

/** Size of the parts handed to `encryptBytes`'s `onOutput`: 1 MiB, large enough for few system calls. */
export const OUTPUT_PART = 1024 * 1024;

/** Why a blob could not be decrypted; `details.reason` of the `VAULT_CORRUPT` error. */
export type CorruptReason = 'truncated' | 'tampered' | 'format';

/** Progress callback: plaintext bytes processed so far and in total. */
export type ByteProgress = (doneBytes: number, totalBytes: number) => void;

/**
 * Exact size of the encrypted file for a plaintext of `plaintextLength` bytes:
 * 37 + length + 17 × max(1, ceil(length / 65536)).
 */
export function ciphertextLength(plaintextLength: number): number {
  return DATA_OFFSET + plaintextLength + chunkCount(plaintextLength) * CHUNK_OVERHEAD;
}

/**
 * Encrypts `plaintext` under `key` into the format described above.
 *
 * @param key 32 random bytes (the document key); never reuse a header, libsodium draws a fresh random one per call.
 * @param plaintext any length, including 0.
 * @param onProgress called after each chunk with plaintext bytes done and the total.
 * @param onOutput called with each finished part of the output (about every `OUTPUT_PART` bytes, and the rest at the
 *   end), in order, so a caller can write it to disk while the next part is encrypted. The parts are views of the
 *   returned buffer.
 * @returns a new buffer of exactly `ciphertextLength(plaintext.length)` bytes (preallocated, filled chunk by chunk).
 * @throws AppError('INTERNAL') if the key is not 32 bytes.
 */
export async function encryptBytes(key: Uint8Array, plaintext: Uint8Array, onProgress?: ByteProgress, onOutput?: (part: Uint8Array) => void): Promise<Uint8Array> {
  checkKey(key);
  const sodium = await getSodium();
  const total = plaintext.byteLength;
  const out = new Uint8Array(ciphertextLength(total));
  out.set(MAGIC, 0);
  out[4] = FORMAT_VERSION;
  new DataView(out.buffer, out.byteOffset, PREFIX_BYTES).setBigUint64(5, BigInt(total), true);
  const prefix = out.subarray(0, PREFIX_BYTES);

  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  out.set(header, PREFIX_BYTES);
  const chunks = chunkCount(total);
  let offset = DATA_OFFSET;
  let emitted = 0;
  for (let i = 0; i < chunks; i++) {
    const start = i * CHUNK_SIZE;
    const end = Math.min(start + CHUNK_SIZE, total);
    const last = i === chunks - 1;
    const tag = last
      ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const sealed = sodium.crypto_secretstream_xchacha20poly1305_push(
      state,
      plaintext.subarray(start, end),
      i === 0 ? prefix : null,
      tag,
    );
    out.set(sealed, offset);
    offset += sealed.byteLength;
    onProgress?.(end, total);
    if (onOutput && (offset - emitted >= OUTPUT_PART || last)) {
      onOutput(out.subarray(emitted, offset));
      emitted = offset;
    }
  }
  return out;
}

/**
 * Decrypts a blob written by `encryptBytes` and checks it is complete and untouched.
 *
 * @param key the 32-byte document key.
 * @param ciphertext the whole file.
 * @returns the plaintext (a new buffer).
 * @throws AppError('VAULT_CORRUPT', …, details) with `details.reason`:
 *   - `'format'`: not a Solidariciel vault blob (bad magic), unknown version (`details.version`), or bytes after the
 *     FINAL chunk (`details.trailingBytes`);
 *   - `'truncated'`: the file ends inside the prefix/header (no `chunk`) or before the FINAL chunk is complete
 *     (`details.chunk` = zero-based index of the first incomplete chunk);
 *   - `'tampered'`: a chunk fails authentication (`details.chunk`, zero-based) — a modified byte, or the wrong key
 *     (which shows as chunk 0).
 * @throws AppError('INTERNAL') if the key is not 32 bytes.
 */
export async function decryptBytes(key: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
  checkKey(key);
  const total = readPrefix(ciphertext);
  const sodium = await getSodium();
  const chunks = chunkCount(total);
  const expected = ciphertextLength(total);
  // Only allocate the plaintext once the file is known to be long enough: a forged length must not allocate petabytes.
  const out = ciphertext.byteLength >= expected ? new Uint8Array(total) : null;
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(
    ciphertext.subarray(PREFIX_BYTES, DATA_OFFSET),
    key,
  );
  const prefix = ciphertext.subarray(0, PREFIX_BYTES);
  for (let i = 0; i < chunks; i++) {
    const plainLength = Math.min(CHUNK_SIZE, total - i * CHUNK_SIZE);
    const start = DATA_OFFSET + i * (CHUNK_SIZE + CHUNK_OVERHEAD);
    const end = start + plainLength + CHUNK_OVERHEAD;
    if (end > ciphertext.byteLength) {
      throw corrupt('truncated', `le fichier s'arrête au bloc n° ${i + 1} sur ${chunks}`, { chunk: i, chunks });
    }
    const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext.subarray(start, end), i === 0 ? prefix : null);
    if (!opened) {
      throw corrupt('tampered', `le bloc n° ${i + 1} sur ${chunks} a été modifié ou la clé est mauvaise`, { chunk: i, chunks });
    }
    const isFinal = opened.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (isFinal && i < chunks - 1) {
      throw corrupt('format', `bloc final inattendu (bloc n° ${i + 1} sur ${chunks})`, { chunk: i, chunks });
    }
    if (!isFinal && i === chunks - 1) {
      throw corrupt('truncated', `le dernier bloc n'est pas marqué comme final`, { chunk: i, chunks });
    }
    out?.set(opened.message, i * CHUNK_SIZE);
  }
  if (ciphertext.byteLength > expected) {
    const trailingBytes = ciphertext.byteLength - expected;
    throw corrupt('format', `${trailingBytes} octet(s) en trop après le bloc final`, { trailingBytes });
  }
  if (!out) throw new AppError('INTERNAL', 'Déchiffrement incohérent.'); // unreachable: short files throw above
  return out;
}

/** Validates magic, version and minimal size; returns the plaintext length stored in the prefix. */
function readPrefix(bytes: Uint8Array): number {
  const magicSeen = Math.min(bytes.byteLength, MAGIC.length);
  for (let i = 0; i < magicSeen; i++) {
    if (bytes[i] !== MAGIC[i]) throw corrupt('format', "ce n'est pas un fichier du coffre-fort Solidariciel", {});
  }
  if (bytes.byteLength > 4 && bytes[4] !== FORMAT_VERSION) {
    throw corrupt('format', `version de format inconnue (${bytes[4]})`, { version: bytes[4] });
  }
  if (bytes.byteLength < DATA_OFFSET) {
    throw corrupt('truncated', `le fichier s'arrête dans l'en-tête (${bytes.byteLength} octets)`, {});
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES).getBigUint64(5, true);
  if (length > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw corrupt('tampered', "l'en-tête a été modifié (taille impossible)", { chunk: 0 });
  }
  return Number(length);
}

function chunkCount(plaintextLength: number): number {
  return Math.max(1, Math.ceil(plaintextLength / CHUNK_SIZE));
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.byteLength !== KEY_BYTES) {
    throw new AppError('INTERNAL', `Clé de document invalide : ${KEY_BYTES} octets attendus.`);
  }
}

function corrupt(reason: CorruptReason, what: string, extra: Record<string, unknown>): AppError {
  return new AppError('VAULT_CORRUPT', `Pièce du coffre-fort illisible : ${what}.`, { reason, ...extra });
}
