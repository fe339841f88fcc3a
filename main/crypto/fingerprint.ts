/**
 * A short, readable fingerprint of a user's two public keys (box and signing, base64 as in `users`), for an
 * administrator to compare with the person before confirming changed keys (docs/access.md "Keys", `users:confirmKeys`).
 * SHA-256 over a domain-prefixed message, first 16 bytes, hex in groups of four.
 */
import { createHash } from 'node:crypto';

export function keyFingerprint(publicKey: string, signPublicKey: string): string {
  const hex = createHash('sha256').update(`solidariciel/v1/key-fingerprint|${publicKey}|${signPublicKey}`, 'utf8').digest('hex').slice(0, 32);
  return hex.match(/.{4}/g)!.join(' ').toUpperCase();
}
