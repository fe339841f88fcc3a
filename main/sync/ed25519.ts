/**
 * Ed25519 (RFC 8032) signatures with Node's native implementation, for the hot paths of sync (one signature per
 * envelope and per hub request, one verification per envelope received): about ten times faster than the wasm build
 * of libsodium. Keys are libsodium's: a 64-byte secret key (seed ‖ public key) and a 32-byte public key.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const privateKeys = new WeakMap<Uint8Array, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function privateKey(secretKey: Uint8Array): KeyObject {
  let k = privateKeys.get(secretKey);
  if (!k) {
    if (secretKey.length !== 64 && secretKey.length !== 32) throw new Error('clé Ed25519 invalide');
    k = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    privateKeys.set(secretKey, k);
  }
  return k;
}

function publicKey(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('base64url');
  let k = publicKeys.get(id);
  if (!k) {
    if (raw.length !== 32) throw new Error('clé publique Ed25519 invalide');
    k = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeys.size > 10_000) publicKeys.clear();
    publicKeys.set(id, k);
  }
  return k;
}

/** Detached signature (64 bytes) of `message` by a libsodium Ed25519 secret key. */
export function signDetached(secretKey: Uint8Array, message: Uint8Array | string): Uint8Array {
  return sign(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, privateKey(secretKey));
}

/** `signDetached` on libuv's thread pool: the envelopes of a capture are signed in parallel. */
export function signDetachedAsync(secretKey: Uint8Array, message: Uint8Array | string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    sign(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, privateKey(secretKey), (err, signature) => (err ? reject(err) : resolve(signature)));
  });
}

/** True when `signature` is a valid Ed25519 signature of `message` by the 32-byte `publicKeyRaw`. Never throws. */
export function verifyDetached(publicKeyRaw: Uint8Array, message: Uint8Array | string, signature: Uint8Array): boolean {
  try {
    if (signature.length !== 64) return false;
    return verify(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, publicKey(publicKeyRaw), signature);
  } catch {
    return false;
  }
}

/**
 * `verifyDetached` on libuv's thread pool (Node's callback form of `crypto.verify`): the envelopes of a pulled page
 * are checked in parallel, off the thread that merges. Resolves false on any error.
 */
export function verifyDetachedAsync(publicKeyRaw: Uint8Array, message: Uint8Array | string, signature: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      if (signature.length !== 64) return resolve(false);
      verify(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, publicKey(publicKeyRaw), signature, (err, ok) => resolve(!err && ok));
    } catch {
      resolve(false);
    }
  });
}

export const b64u = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
export const fromB64u = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'));
