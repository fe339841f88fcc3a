/**
 * Envelopes (docs/sync.md "Envelopes"): the changes of one local transaction and one visibility scope, as
 * JSON (deflated from 64 bytes on; a first byte says which), encrypted with XChaCha20-Poly1305-IETF under the scope's sync key with the header JSON as
 * associated data, and signed by the device's Ed25519 key over `solidariciel-envelope-v1\n<header>\n<ciphertext>`.
 * The hub sees the header (routing) and nothing else; any change to header, ciphertext or signature is detected.
 */
import { HLC_DEVICE_AT } from './hlc';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { randomFillSync } from 'node:crypto';
import { z } from 'zod';
import { envelopeHeader, HLC_PATTERN, MAX_HLC_AHEAD_MS, MAX_REQUEST_SKEW_MS, type Envelope, type EnvelopeHeader } from '../../shared/sync/protocol';
import { getSodium } from '../crypto/sodium';
import { b64u, fromB64u, signDetachedAsync, verifyDetachedAsync } from './ed25519';

export type CellValue = string | number | null;

/** One write of the device's change log: table, operation, HLC, and per row its cells and what each had seen. */
export interface ChangeSet {
  t: string;
  o: 'i' | 'u' | 'd';
  h: string;
  /** [row id, {column: value}, {column: previous HLC}] (the third only for updates and deletes). */
  r: [string, Record<string, CellValue>, Record<string, string>?][];
}

const cell = z.union([z.string(), z.number(), z.null()]);
const changeSet = z.object({
  t: z.string().regex(/^[a-z_][a-z0-9_]*$/),
  o: z.enum(['i', 'u', 'd']),
  h: z.string().regex(HLC_PATTERN),
  r: z.array(z.tuple([z.string().min(1).max(64), z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), cell), z.record(z.string(), z.string()).optional()])),
});
export const envelopeBody = z.object({ c: z.array(changeSet) });
export type EnvelopeBody = z.infer<typeof envelopeBody>;

const NONCE_BYTES = 24;
/** Bodies shorter than this are sent as they are (deflate would not shrink them); a single edit (≈ 340 bytes) deflates by half. */
const DEFLATE_FROM = 64;
const RAW = 0;
const DEFLATED = 1;

/** The plaintext of a body: one byte saying how it is encoded (0 JSON, 1 deflated JSON), then the bytes. */
function encodeBody(body: EnvelopeBody): Uint8Array {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const deflate = json.length >= DEFLATE_FROM;
  const bytes = deflate ? deflateRawSync(json) : json;
  const out = new Uint8Array(bytes.length + 1);
  out[0] = deflate ? DEFLATED : RAW;
  out.set(bytes, 1);
  return out;
}

function decodeBody(plain: Uint8Array): string {
  const bytes = plain.subarray(1);
  if (plain[0] === RAW) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (plain[0] === DEFLATED) return inflateRawSync(bytes).toString('utf8');
  throw new Error('encodage inconnu');
}
const signedText = (header: string, ciphertext: string) => `solidariciel-envelope-v1\n${header}\n${ciphertext}`;

/** Seals and signs `body` under `header`. `syncKey`: 32 bytes; `signSecretKey`: libsodium Ed25519 secret key. */
export async function sealEnvelope(header: EnvelopeHeader, body: EnvelopeBody, syncKey: Uint8Array, signSecretKey: Uint8Array): Promise<Envelope> {
  const s = await getSodium();
  const headerJson = JSON.stringify(header);
  const nonce = new Uint8Array(NONCE_BYTES);
  randomFillSync(nonce);
  const plain = encodeBody(body);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, s.from_string(headerJson), null, nonce, syncKey);
  const joined = new Uint8Array(NONCE_BYTES + ct.length);
  joined.set(nonce);
  joined.set(ct, NONCE_BYTES);
  const ciphertext = b64u(joined);
  return { header: headerJson, ciphertext, signature: b64u(await signDetachedAsync(signSecretKey, signedText(headerJson, ciphertext))) };
}

/** Why an envelope was refused (recorded in sync_rejected and shown in the sync status). */
export class EnvelopeRejected extends Error {}

/** Parses an envelope's header; throws EnvelopeRejected naming what is wrong. */
export function readHeader(e: Envelope): EnvelopeHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(e.header);
  } catch {
    throw new EnvelopeRejected('en-tête illisible (JSON tronqué ou altéré)');
  }
  const v = envelopeHeader.safeParse(raw);
  if (!v.success) throw new EnvelopeRejected(`en-tête invalide (${v.error.issues[0]?.path.join('.') || 'format'})`);
  return v.data;
}

/**
 * Checks the signature with the sender's public key, then decrypts and parses. Throws EnvelopeRejected when the
 * signature, the ciphertext (tampered, truncated, wrong key) or the content is not right.
 */
export async function openEnvelope(e: Envelope, senderPublicKey: Uint8Array, syncKey: Uint8Array): Promise<EnvelopeBody> {
  if (!(await verifyDetachedAsync(senderPublicKey, signedText(e.header, e.ciphertext), fromB64u(e.signature)))) {
    throw new EnvelopeRejected('signature du poste invalide (envoi altéré ou rejoué sous un autre numéro)');
  }
  const s = await getSodium();
  const joined = fromB64u(e.ciphertext);
  if (joined.length <= NONCE_BYTES + 16) throw new EnvelopeRejected('contenu tronqué');
  let plain: Uint8Array;
  try {
    plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, joined.subarray(NONCE_BYTES), s.from_string(e.header), joined.subarray(0, NONCE_BYTES), syncKey);
  } catch {
    throw new EnvelopeRejected('contenu indéchiffrable (altéré, tronqué ou clé inconnue)');
  }
  let json: unknown;
  try {
    json = JSON.parse(decodeBody(plain));
  } catch {
    throw new EnvelopeRejected('contenu illisible après déchiffrement');
  }
  const body = envelopeBody.safeParse(json);
  if (!body.success) throw new EnvelopeRejected(`contenu invalide (${body.error.issues[0]?.path.join('.') || 'format'})`);
  return body.data;
}

/**
 * Checks the dates of an opened envelope against its header: every change set is dated by the sending device's own
 * clock (its HLC names that device) and no later than the header, and the header is not further ahead of this
 * device's clock than the hub allows (24 h, plus the 5 minutes this clock may be off the hub's, plus a minute).
 * Without this, one device holding a certified key could date a cell in 2286 (it would win every merge for good, and
 * every device that merged it would seed its clock past what the hub accepts at its next start: no write would sync
 * again), or write under another device's HLC (devices would keep different values for the same version).
 * Throws EnvelopeRejected.
 */
export function checkEnvelopeDates(header: EnvelopeHeader, body: EnvelopeBody, now: number): void {
  if (Number(header.hlc.slice(0, 13)) > now + MAX_HLC_AHEAD_MS + MAX_REQUEST_SKEW_MS + 60_000) {
    throw new EnvelopeRejected("horodatage trop loin dans le futur (plus de 24 h d'avance sur ce poste)");
  }
  if (header.hlc.slice(HLC_DEVICE_AT) !== header.deviceId) throw new EnvelopeRejected("horodatage de l'en-tête au nom d'un autre poste");
  for (const set of body.c) {
    if (set.h.slice(HLC_DEVICE_AT) !== header.deviceId) throw new EnvelopeRejected("changement daté au nom d'un autre poste");
    if (set.h > header.hlc) throw new EnvelopeRejected("changement daté après l'en-tête de son envoi");
  }
}

/** The 32-byte sync key of a scope key: BLAKE2b keyed by the scope key (a key used only for envelopes). */
export async function syncKeyOf(scopeKey: Uint8Array): Promise<Uint8Array> {
  const s = await getSodium();
  return s.crypto_generichash(32, s.from_string('solidariciel-sync-key-v1'), scopeKey);
}

const ROUTING_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The scope an envelope is routed under for a row's `scope_id`: the row's own when it is one the hub takes
 * ('association', or 'groups:' / 'users:' / 'user:' and 1–256 well-formed ids, ≤ 4096 characters), else
 * 'association'. A malformed scope (received from another device, or damaged here) would make the hub refuse every
 * push of this device for good; sending the row association-wide discloses nothing: its narrower content is sealed
 * to its readers (docs/access.md "Keys"), the envelope's layer is the association's.
 */
export function routingScope(scope: string): string {
  const m = /^(groups|users|user):(.+)$/.exec(scope);
  if (!m || scope.length > 4096) return 'association';
  const ids = (m[2] ?? '').split(',');
  if (ids.length > 256 || (m[1] === 'user' && ids.length !== 1) || !ids.every((id) => ROUTING_ID.test(id))) return 'association';
  return scope;
}

/** Routing ids of a row scope: 'groups:a,b' → [a, b]; 'users:x,y' → [x, y]; 'user:x' → [x]; 'association' → []. */
export function audienceOf(scope: string): string[] {
  const m = /^(?:groups|users|user):(.+)$/.exec(scope);
  return m ? (m[1] ?? '').split(',').filter(Boolean) : [];
}
