/**
 * The hub protocol (version 1): what devices and the hub say to each other over HTTP, parsed with zod on both sides
 * (DESIGN.md "The hub", "Boundaries and errors"). The hub only ever sees the routing header of an envelope, its
 * ciphertext and signatures; keys and plaintext never leave the devices (docs/sync.md).
 *
 * Binary values are base64url without padding (libsodium's default variant, Node's `base64url`).
 *
 * Authentication: every device request carries three headers (`AUTH_HEADERS`) and an Ed25519 signature by the
 * device's key over `authMessage(...)` (method, path with query, time, SHA-256 of the body). The hub accepts a
 * request whose time is within `MAX_REQUEST_SKEW_MS` of its own clock, from a registered, unrevoked device.
 */
import { z } from 'zod';

/** Path prefix of every route of this protocol version. */
export const API = '/v1';

export const AUTH_HEADERS = {
  device: 'x-solidariciel-device',
  time: 'x-solidariciel-time',
  signature: 'x-solidariciel-signature',
} as const;

/**
 * Optional header carrying SHA-256 of the body, `sha-256=:BASE64:` (RFC 9530 §2, `Content-Digest`). The signature
 * covers the body's hash; with this header the hub checks the signature from the headers alone and refuses a forged
 * request before reading its body, then checks the body against the digest (docs/sync.md "Authentication").
 */
export const CONTENT_DIGEST_HEADER = 'content-digest';
/**
 * Header carrying the hub's registration secret on `POST /associations`, when the operator set one
 * (`hub start --registration-secret`): without it, the hub refuses to register a new association.
 */
export const REGISTRATION_SECRET_HEADER = 'x-solidariciel-registration-secret';

/** A device clock further than this from the hub's stops sync ("Local clock more than 5 minutes off": issue 4 §3). */
export const MAX_REQUEST_SKEW_MS = 5 * 60_000;
/** The hub refuses envelopes whose HLC is further ahead of its clock than this (issue 4 §1). */
export const MAX_HLC_AHEAD_MS = 24 * 3600_000;
/** A pairing code lives 15 minutes and allows 5 wrong attempts at the hub (issue 4 §5). */
export const INVITE_TTL_MS = 15 * 60_000;
export const INVITE_MAX_ATTEMPTS = 5;
/** Bounds of one push and one pull page. */
export const MAX_PUSH_ENVELOPES = 500;
export const MAX_PULL_ENVELOPES = 500;
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Blob chunks uploaded in one request. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/** The string a device signs for a request: `solidariciel-hub-v1\nMETHOD\n/path?query\ntime\nsha256hex(body)`. */
export function authMessage(method: string, pathWithQuery: string, time: number, bodySha256Hex: string): string {
  return `solidariciel-hub-v1\n${method.toUpperCase()}\n${pathWithQuery}\n${time}\n${bodySha256Hex}`;
}

/** The statement the association root key signs to certify a device's Ed25519 public key (base64url). */
export function deviceCertMessage(associationId: string, deviceId: string, publicKey: string): string {
  return `solidariciel-device-v1\n${associationId}\n${deviceId}\n${publicKey}`;
}

/** The statement the association root key signs to revoke a device. */
export function revokeMessage(associationId: string, deviceId: string): string {
  return `solidariciel-revoke-v1\n${associationId}\n${deviceId}`;
}

/**
 * The statement a device's key signs to anchor the head of its audit chain at the hub (its last entry's number and
 * hash): the hub keeps the highest per device and gives it back, so cutting the chain's tail shows (docs/sync.md
 * "Audit anchor").
 */
export function auditAnchorMessage(associationId: string, deviceId: string, seq: number, hash: string): string {
  return `solidariciel-audit-anchor-v1\n${associationId}\n${deviceId}\n${seq}\n${hash}`;
}

const b64 = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url attendu').max(MAX_BODY_BYTES);
const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'identifiant invalide');
export const HLC_PATTERN = /^\d{13}-[0-9a-f]{4}-[A-Za-z0-9_-]{1,64}$/;

/**
 * The routing header of an envelope, sent as the exact JSON string the device encrypted and signed with
 * (it is the associated data of the AEAD and part of the signed message), so its bytes never change on the way.
 * `audience`: ids of the groups or users a narrower scope is for (empty for 'association'); the hub serves the
 * envelope only to devices whose audience intersects it.
 */
export const envelopeHeader = z.object({
  v: z.literal(1),
  associationId: id,
  scope: z.string().min(1).max(4096),
  audience: z.array(id).max(256),
  keyEpoch: z.number().int().positive(),
  deviceId: id,
  deviceSeq: z.number().int().positive(),
  hlc: z.string().regex(HLC_PATTERN),
  /** The writer's schema version (number of migrations applied); a newer one may carry unknown columns. */
  schema: z.number().int().nonnegative(),
  /** Changes (cells) inside, for progress and statistics. */
  changes: z.number().int().nonnegative(),
});
export type EnvelopeHeader = z.infer<typeof envelopeHeader>;

/** An envelope as pushed: header JSON string, nonce ‖ ciphertext, Ed25519 signature over `signedBytes`. */
export const envelope = z.object({
  header: z.string().min(2).max(64 * 1024),
  ciphertext: b64,
  signature: b64,
});
export type Envelope = z.infer<typeof envelope>;

/** An envelope as pulled: with the per-association sequence number the hub gave it. */
export const pulledEnvelope = envelope.extend({ serverSeq: z.number().int().positive() });
export type PulledEnvelope = z.infer<typeof pulledEnvelope>;

export const deviceRecord = z.object({
  deviceId: id,
  /** Ed25519 public key, base64url. */
  publicKey: b64,
  /** Ed25519 signature by the association root key over `deviceCertMessage`. */
  cert: b64,
  name: z.string().max(200),
});
export type DeviceRecord = z.infer<typeof deviceRecord>;

export const registerRequest = z.object({
  associationId: id,
  /** Ed25519 root public key of the association, base64url: the hub checks device certificates with it. */
  rootPublicKey: b64,
  device: deviceRecord,
});
export const registerResponse = z.object({ associationId: id, serverTime: z.number() });

export const pushRequest = z.object({ envelopes: z.array(envelope).min(1).max(MAX_PUSH_ENVELOPES) });
export const pushResponse = z.object({
  accepted: z.array(z.object({ deviceSeq: z.number().int(), serverSeq: z.number().int(), duplicate: z.boolean() })),
  serverTime: z.number(),
});

export const pullQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().positive().max(MAX_PULL_ENVELOPES).default(MAX_PULL_ENVELOPES),
});
export const pullResponse = z.object({
  envelopes: z.array(pulledEnvelope),
  /** Cursor to ask for next (the last serverSeq of the page, or `after` when empty). */
  next: z.number().int().nonnegative(),
  /** The association's latest serverSeq: `more` is true while next < head. */
  head: z.number().int().nonnegative(),
  more: z.boolean(),
  serverTime: z.number(),
});

export const audienceRequest = z.object({ audience: z.array(id).max(10_000) });

export const inviteRequest = z.object({
  /** Derived from the pairing code (first group); the hub finds the invitation by it. */
  inviteId: id,
  /** hex SHA-256 of the code's authentication key: the hub compares without learning the code. */
  verifier: z.string().regex(/^[0-9a-f]{64}$/),
  /** The keys the new device needs, sealed with a key derived from the code's secret part (the hub cannot open it). */
  payload: b64,
  /** The new device's identity, made and certified by the inviting administrator. */
  device: deviceRecord,
});
export const inviteResponse = z.object({ expiresAt: z.number(), serverTime: z.number() });

export const redeemRequest = z.object({ inviteId: id, authKey: b64 });
export const redeemResponse = z.object({ associationId: id, deviceId: id, payload: b64, serverTime: z.number() });

export const revokeRequest = z.object({ deviceId: id, signature: b64 });

/** The head of a device's audit chain, signed by the device over `auditAnchorMessage`. */
export const auditAnchorRequest = z.object({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/), signature: b64.max(200) });
export type AuditAnchor = z.infer<typeof auditAnchorRequest>;
/** The highest anchor the hub holds for the asking device (null before the first). */
export const auditAnchorResponse = z.object({ anchor: auditAnchorRequest.extend({ receivedAt: z.number() }).nullable(), serverTime: z.number() });

export const devicesResponse = z.object({
  devices: z.array(deviceRecord.extend({ createdAt: z.number(), revokedAt: z.number().nullable(), lastSeenAt: z.number().nullable() })),
  serverTime: z.number(),
});

export const healthResponse = z.object({ ok: z.literal(true), protocol: z.literal(1), serverTime: z.number() });

/** Errors: HTTP status + `{ error: { code, message } }`, message in French. */
export const HUB_ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'CLOCK_SKEW',
  'DEVICE_REVOKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ASSOCIATION_EXISTS',
  'HLC_IN_FUTURE',
  'INVITE_INVALID',
  'INVITE_EXPIRED',
  'INVITE_USED',
  'INVITE_LOCKED',
  'BLOB_MISMATCH',
  'TOO_LARGE',
  'INTERNAL',
] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];
export const hubError = z.object({
  error: z.object({ code: z.enum(HUB_ERROR_CODES), message: z.string(), serverTime: z.number().optional() }),
});

/**
 * Routes (all under API, JSON unless said):
 * - GET  /health                      → healthResponse (no auth)
 * - POST /associations                registerRequest → registerResponse; signed by the device being registered
 *                                     (its key is in the body); 409 ASSOCIATION_EXISTS if another root holds the id;
 *                                     403 FORBIDDEN for a new association without the operator's registration secret
 *                                     (REGISTRATION_SECRET_HEADER) when the hub requires one
 * - POST /push                        pushRequest → pushResponse (auth)
 * - GET  /pull?after=N&limit=M        → pullResponse (auth); only envelopes for the device's audience
 * - PUT  /audience                    audienceRequest → { serverTime } (auth)
 * - GET  /devices                     → devicesResponse (auth)
 * - POST /devices/revoke              revokeRequest → { serverTime } (auth; signature by the root key over revokeMessage)
 * - PUT  /audit-anchor                auditAnchorRequest → auditAnchorResponse (auth; signed by the device over
 *                                     auditAnchorMessage; kept when higher than the one held)
 * - GET  /audit-anchor                → auditAnchorResponse (auth): this device's highest anchor
 * - POST /invites                     inviteRequest → inviteResponse (auth)
 * - POST /invites/redeem              redeemRequest → redeemResponse (no auth; 5 wrong authKeys burn the invite)
 * - HEAD /blobs/:name                 200 + `x-blob-size` when stored; 404 + `x-uploaded-bytes` (partial upload) (auth)
 * - PUT  /blobs/:name?offset=N        raw bytes (application/octet-stream, ≤ BLOB_CHUNK_BYTES) appended at N (auth)
 * - POST /blobs/:name/complete        hub checks SHA-256(content) = name, else 422 BLOB_MISMATCH (auth)
 * - GET  /blobs/:name                 raw bytes; honours `Range: bytes=N-` (auth)
 * Blob names are the hex SHA-256 of the (already encrypted) blob: /^[0-9a-f]{64}$/.
 */
export const BLOB_NAME = /^[0-9a-f]{64}$/;
