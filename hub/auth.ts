/**
 * Device authentication (shared/sync/protocol.ts): three headers and an Ed25519 signature by the device's key over
 * `authMessage(method, path with query, time, sha256hex(body))`, checked with node:crypto. A request whose time is
 * more than MAX_REQUEST_SKEW_MS from the hub's clock is refused with CLOCK_SKEW (and the hub's time, so the device
 * can say how far off it is). Nothing is cached: a revoked device is refused from its next request on.
 * hub/gate.ts runs the header part of these checks before a body is read.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AUTH_HEADERS, CONTENT_DIGEST_HEADER, MAX_REQUEST_SKEW_MS, authMessage } from '../shared/sync/protocol';
import { HubError } from './errors';
import type { DeviceRow, Registry } from './storage/registry';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const B64URL = /^[A-Za-z0-9_-]+$/;

// Public key text → KeyObject. A pure function of its input (no authority): caching it changes nothing but speed.
const keys = new Map<string, KeyObject>();

/** Decodes base64url, refusing anything that does not re-encode to the same text (non-canonical or stray characters). */
export function decodeB64(text: string): Buffer | null {
  if (!B64URL.test(text) && text !== '') return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

function publicKey(b64: string): KeyObject | null {
  let key = keys.get(b64);
  if (key) return key;
  const raw = decodeB64(b64);
  if (!raw || raw.length !== 32) return null;
  key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
  if (keys.size > 10_000) keys.clear();
  keys.set(b64, key);
  return key;
}

/** Checks an Ed25519 signature (base64url) by a raw 32-byte public key (base64url) over `message`; false on any malformed input. */
export function verifyEd25519(publicKeyB64: string, message: string | Buffer, signatureB64: string): boolean {
  const key = publicKey(publicKeyB64);
  const sig = decodeB64(signatureB64);
  if (!key || !sig || sig.length !== 64) return false;
  return verify(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, key, sig);
}

export const sha256hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

const DIGEST = /^sha-256=:([A-Za-z0-9+/]{43}=):$/;

/**
 * The hex SHA-256 a `Content-Digest: sha-256=:BASE64:` header announces (RFC 9530 §2; only sha-256 is accepted),
 * undefined when the header is absent, null when it is present but malformed.
 */
export function announcedDigest(req: FastifyRequest): string | null | undefined {
  const value = header(req, CONTENT_DIGEST_HEADER);
  if (value === undefined) return undefined;
  const m = DIGEST.exec(value.trim());
  return m ? Buffer.from(m[1]!, 'base64').toString('hex') : null;
}

/** The authentication headers of a request (shared/sync/protocol.ts); 401 when missing, CLOCK_SKEW when too far off. */
export function readAuthHeaders(req: FastifyRequest, now: number): { deviceId: string; time: number; signature: string } {
  const deviceId = header(req, AUTH_HEADERS.device);
  const time = header(req, AUTH_HEADERS.time);
  const signature = header(req, AUTH_HEADERS.signature);
  if (!deviceId || !time || !signature || !/^\d{1,16}$/.test(time)) {
    throw new HubError(401, 'UNAUTHENTICATED', "Requête non authentifiée : en-têtes d'authentification absents ou invalides.");
  }
  const t = Number(time);
  if (Math.abs(t - now) > MAX_REQUEST_SKEW_MS) {
    const minutes = Math.round(Math.abs(t - now) / 60_000);
    throw new HubError(401, 'CLOCK_SKEW', `L'horloge du poste a environ ${minutes} minute(s) d'écart avec celle du hub : corrigez l'heure du poste.`);
  }
  return { deviceId, time: t, signature };
}

/**
 * Whether the request's signature verifies for `publicKey` over `authMessage(method, url, time, bodySha256Hex)`:
 * called before the body is read, with the digest the headers announce (docs/sync.md "Authentication").
 */
export function signatureValid(req: FastifyRequest, h: { time: number; signature: string }, publicKey: string, bodySha256Hex: string): boolean {
  return verifyEd25519(publicKey, authMessage(req.method, req.url, h.time, bodySha256Hex), h.signature);
}

/** The claimed device id and a checker of the request's signature by a given public key; refuses a skewed clock. */
export function readAuth(req: FastifyRequest, now: number): { deviceId: string; signedBy(publicKey: string): boolean } {
  const h = readAuthHeaders(req, now);
  const digest = req.bodySha256 ?? sha256hex(req.rawBody ?? Buffer.alloc(0));
  return { deviceId: h.deviceId, signedBy: (key) => signatureValid(req, h, key, digest) };
}

/**
 * The device a request comes from, after checking its clock, its signature and that it is active (with
 * `withHead`, its association's head serverSeq is read in the same round trip, for pulls).
 * 401 CLOCK_SKEW / UNAUTHENTICATED (unknown, invited-not-redeemed, bad signature), 403 DEVICE_REVOKED.
 */
export async function authenticate(req: FastifyRequest, registry: Registry, now: number, withHead = false): Promise<DeviceRow> {
  return checkDevice(readAuth(req, now), registry, now, withHead);
}

async function checkDevice(auth: ReturnType<typeof readAuth>, registry: Registry, now: number, withHead = false): Promise<DeviceRow> {
  const device = await registry.device(auth.deviceId, undefined, withHead);
  if (!device || device.pending) throw new HubError(401, 'UNAUTHENTICATED', 'Poste inconnu du hub : il doit être inscrit (ou son invitation utilisée) avant de synchroniser.');
  if (!auth.signedBy(device.publicKey)) throw new HubError(401, 'UNAUTHENTICATED', 'Signature de la requête invalide.');
  if (device.revokedAt !== null) throw new HubError(403, 'DEVICE_REVOKED', "Ce poste a été retiré de l'association : il ne peut plus synchroniser.");
  await registry.touch(device, now);
  return device;
}

/** Who signed a request; `checked` false means the caller's own statement must still check the device is active. */
export interface Signer {
  deviceId: string;
  associationId: string;
  checked: boolean;
}

/**
 * Checks clock and signature with the device's remembered public key when this process knows it, leaving the
 * "active" check (revocation, pending invite) to the caller's statement — one database round trip less per push.
 * Otherwise (or with `remembered` false) the full `authenticate`.
 */
export async function authenticateSigner(req: FastifyRequest, registry: Registry, now: number, remembered: boolean): Promise<Signer> {
  const auth = readAuth(req, now);
  const known = remembered ? registry.identity(auth.deviceId) : null;
  if (known && auth.signedBy(known.publicKey)) return { deviceId: auth.deviceId, associationId: known.associationId, checked: false };
  const device = await checkDevice(auth, registry, now);
  return { deviceId: device.deviceId, associationId: device.associationId, checked: true };
}
