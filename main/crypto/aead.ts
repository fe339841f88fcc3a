/**
 * Small sealed boxes for keys: XChaCha20-Poly1305-IETF (libsodium `crypto_aead_xchacha20poly1305_ietf_*`,
 * RFC 8439 with a 24-byte nonce) with associated data binding the box to its purpose, e.g. `slot/<assoc>/<user>`.
 */
import { z } from 'zod';
import { getSodium } from './sodium';

export const sealedBox = z.object({ nonce: z.string().min(1), ciphertext: z.string().min(1) });
export type SealedBox = z.infer<typeof sealedBox>;

/** Encrypts `plaintext` under `key` (32 bytes) with `ad` as associated data. */
export async function seal(key: Uint8Array, plaintext: Uint8Array, ad: string): Promise<SealedBox> {
  const s = await getSodium();
  const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, s.from_string(ad), null, nonce, key);
  return { nonce: s.to_base64(nonce), ciphertext: s.to_base64(ct) };
}

/** Decrypts a box. Returns null when the key is wrong or the box or its associated data were altered. */
export async function open(key: Uint8Array, box: SealedBox, ad: string): Promise<Uint8Array | null> {
  const s = await getSodium();
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, s.from_base64(box.ciphertext), s.from_string(ad), s.from_base64(box.nonce), key);
  } catch {
    return null;
  }
}

/** Overwrites key material in memory (best effort in a garbage-collected runtime). */
export async function wipe(...keys: (Uint8Array | null | undefined)[]): Promise<void> {
  const s = await getSodium();
  for (const k of keys) if (k) s.memzero(k);
}
