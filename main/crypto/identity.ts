/**
 * Public-key building blocks (libsodium): every user has an X25519 key pair (`crypto_box`, for keys sealed to them)
 * and an Ed25519 key pair (`crypto_sign`, to sign the scope keys they grant). Scopes narrower than the association
 * have X25519 key pairs too: anyone may seal a record key to a scope's public key, only holders of its secret key
 * open it (DESIGN.md "Keys"; docs/access.md).
 */
import { getSodium } from './sodium';

export interface UserKeys {
  boxPublicKey: Uint8Array; // 32 bytes
  boxSecretKey: Uint8Array; // 32 bytes
  signPublicKey: Uint8Array; // 32 bytes
  signSecretKey: Uint8Array; // 64 bytes
  /**
   * The association's root signing public key (Ed25519) this user trusts, pinned inside their sealed bundle (so an
   * insider who can write the database cannot change it). Absent in bundles made before the user knew the root.
   */
  rootPublicKey?: Uint8Array | undefined;
  /**
   * True once this user has seen the association's access decisions signed by the pinned root (docs/access.md "Signed
   * access decisions"): the adoption of unsigned rows never runs again in their sessions. Kept in the sealed bundle
   * (only with a pinned root), so someone with the database key and the folder cannot clear it.
   */
  accessAdopted?: boolean | undefined;
}

export interface BoxKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

const SECRET_BYTES = 32 + 64;
const PINNED_BYTES = SECRET_BYTES + 32;
/** A pinned bundle followed by one flag byte (ADOPTED_FLAG: signed access decisions adopted). */
const FLAGGED_BYTES = PINNED_BYTES + 1;
const ADOPTED_FLAG = 1;

/** A fresh user identity: one box key pair and one signing key pair. */
export async function newUserKeys(): Promise<UserKeys> {
  const s = await getSodium();
  const box = s.crypto_box_keypair();
  const sign = s.crypto_sign_keypair();
  return { boxPublicKey: box.publicKey, boxSecretKey: box.privateKey, signPublicKey: sign.publicKey, signSecretKey: sign.privateKey };
}

/** A fresh X25519 key pair (a scope key, the recovery key, the audit key). */
export async function newBoxKeyPair(): Promise<BoxKeyPair> {
  const s = await getSodium();
  const kp = s.crypto_box_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/** The public key of an X25519 secret key (crypto_scalarmult_base). */
export async function boxPublicKeyOf(secretKey: Uint8Array): Promise<Uint8Array> {
  return (await getSodium()).crypto_scalarmult_base(secretKey);
}

/**
 * The bundle sealed in a user's key slot: box secret key ‖ signing secret key (96 bytes), followed by the pinned root
 * public key when the user knows it (128 bytes), then a flag byte when signed access decisions were adopted (129 bytes).
 */
export function packSecretKeys(keys: UserKeys): Uint8Array {
  const flagged = keys.rootPublicKey !== undefined && keys.accessAdopted === true;
  const out = new Uint8Array(flagged ? FLAGGED_BYTES : keys.rootPublicKey ? PINNED_BYTES : SECRET_BYTES);
  out.set(keys.boxSecretKey, 0);
  out.set(keys.signSecretKey, 32);
  if (keys.rootPublicKey) out.set(keys.rootPublicKey, SECRET_BYTES);
  if (flagged) out[PINNED_BYTES] = ADOPTED_FLAG;
  return out;
}

/**
 * Rebuilds a user's keys from their bundle (96 bytes, 128 with the pinned root, 129 with the adoption flag). Returns
 * null when the length or the flag byte is wrong.
 */
export async function unpackSecretKeys(secret: Uint8Array): Promise<UserKeys | null> {
  if (secret.length !== SECRET_BYTES && secret.length !== PINNED_BYTES && secret.length !== FLAGGED_BYTES) return null;
  if (secret.length === FLAGGED_BYTES && secret[PINNED_BYTES] !== ADOPTED_FLAG) return null;
  const s = await getSodium();
  const boxSecretKey = secret.slice(0, 32);
  const signSecretKey = secret.slice(32, SECRET_BYTES);
  const keys: UserKeys = { boxSecretKey, boxPublicKey: s.crypto_scalarmult_base(boxSecretKey), signSecretKey, signPublicKey: s.crypto_sign_ed25519_sk_to_pk(signSecretKey) };
  if (secret.length >= PINNED_BYTES) keys.rootPublicKey = secret.slice(SECRET_BYTES, PINNED_BYTES);
  if (secret.length === FLAGGED_BYTES) keys.accessAdopted = true;
  return keys;
}

/** A fresh Ed25519 key pair (the association root key). */
export async function newSignKeyPair(): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }> {
  const kp = (await getSodium()).crypto_sign_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/** The public key of an Ed25519 secret key. */
export async function signPublicKeyOf(secretKey: Uint8Array): Promise<Uint8Array> {
  return (await getSodium()).crypto_sign_ed25519_sk_to_pk(secretKey);
}

/** What the root key signs for a user's public keys (domain-separated). */
export const userCertMessage = (associationId: string, userId: string, publicKey: string, signPublicKey: string) =>
  `solidariciel/v1/user-cert|${associationId}|${userId}|${publicKey}|${signPublicKey}`;
/** What the root key signs for one epoch of a scope key pair (domain-separated). */
export const scopeCertMessage = (associationId: string, scope: string, epoch: number, publicKey: string) =>
  `solidariciel/v1/scope-cert|${associationId}|${scope}|${epoch}|${publicKey}`;

/** Seals `plaintext` to a public key (`crypto_box_seal`: anonymous sender, 48 bytes of overhead). */
export async function sealTo(publicKey: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  return (await getSodium()).crypto_box_seal(plaintext, publicKey);
}

/** Opens a sealed box with a key pair. Returns null when it was not sealed to this key or was altered. */
export async function openSealed(pair: BoxKeyPair, sealed: Uint8Array): Promise<Uint8Array | null> {
  const s = await getSodium();
  try {
    return s.crypto_box_seal_open(sealed, pair.publicKey, pair.secretKey);
  } catch {
    return null;
  }
}

/** Ed25519 detached signature of `message`. */
export async function sign(secretKey: Uint8Array, message: Uint8Array | string): Promise<Uint8Array> {
  const s = await getSodium();
  return s.crypto_sign_detached(typeof message === 'string' ? s.from_string(message) : message, secretKey);
}

/** Checks an Ed25519 detached signature; false on any malformed input. */
export async function verify(publicKey: Uint8Array, message: Uint8Array | string, signature: Uint8Array): Promise<boolean> {
  const s = await getSodium();
  try {
    return s.crypto_sign_verify_detached(signature, typeof message === 'string' ? s.from_string(message) : message, publicKey);
  } catch {
    return false;
  }
}

/** Base64 (URL-safe, no padding: libsodium's default variant) helpers for keys stored in JSON and in the database. */
export async function toB64(bytes: Uint8Array): Promise<string> {
  return (await getSodium()).to_base64(bytes);
}

/** Decodes base64 from `toB64`; throws on malformed input (callers turn that into a precise error). */
export async function fromB64(text: string): Promise<Uint8Array> {
  return (await getSodium()).from_base64(text);
}
