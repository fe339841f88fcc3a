/**
 * Pairing codes (issue 4 §5, docs/sync.md "Devices"): `XXXXX-XXXXX-XXXXX-XXXXX`, 20 Crockford base32 characters
 * (100 random bits). The first group (25 bits) names the invitation at the hub; the other three (75 bits) never
 * reach the hub: they derive the key that seals the payload (the new device's keys, the database key, the
 * keyring) and the authentication key whose SHA-256 the hub keeps. So the hub, holding the sealed payload, cannot
 * open it, and guessing at the hub is bounded by its 5 attempts and 15 minutes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/domain/errors';
import { getSodium } from '../crypto/sodium';
import { b64u, fromB64u } from './ed25519';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A new pairing code (20 characters in 4 groups of 5). */
export function newPairingCode(): string {
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31];
  return out.match(/.{5}/g)!.join('-');
}

/** Normalises a typed code (case, spaces, dashes, I/L → 1, O → 0). Throws INVITE_INVALID when it is not 20 characters. */
export function normalizeCode(typed: string): string {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(s)) throw new AppError('INVITE_INVALID', 'Code d’invitation invalide : 20 caractères attendus (4 groupes de 5, par exemple 7K2QH-…).');
  return s;
}

export interface PairingKeys {
  inviteId: string;
  /** Sent to the hub when redeeming; the hub stores only its SHA-256 (`verifier`). */
  authKey: Uint8Array;
  verifier: string;
  payloadKey: Uint8Array;
}

/** The keys a code stands for. */
export async function pairingKeys(code: string): Promise<PairingKeys> {
  const s = await getSodium();
  const norm = normalizeCode(code);
  const inviteId = norm.slice(0, 5);
  const secret = norm.slice(5);
  const authKey = s.crypto_generichash(32, s.from_string(`solidariciel-pairing-auth-v1\n${inviteId}\n${secret}`), null);
  const payloadKey = s.crypto_generichash(32, s.from_string(`solidariciel-pairing-payload-v1\n${inviteId}\n${secret}`), null);
  return { inviteId, authKey, verifier: createHash('sha256').update(authKey).digest('hex'), payloadKey };
}

/** What a new device receives, sealed under the code. */
export const pairingPayload = z.object({
  v: z.literal(1),
  associationId: z.string(),
  associationName: z.string(),
  hubUrl: z.string().url(),
  deviceId: z.string(),
  deviceName: z.string(),
  signSecretKey: z.string(),
  signPublicKey: z.string(),
  deviceCert: z.string(),
  rootPublicKey: z.string(),
  dbKey: z.string(),
  /** meta rows to copy (association id and name, audit public key…; never the inviting device's id). */
  meta: z.record(z.string(), z.string()),
  scopeKeys: z.array(z.object({ scope_id: z.string(), epoch: z.number(), key: z.string(), created_at: z.string() })),
  /** keyring.json of the association: every user unlocks on the new device with their own password. */
  keyring: z.unknown(),
});
export type PairingPayload = z.infer<typeof pairingPayload>;

const payloadAd = (inviteId: string) => `solidariciel-pairing-v1/${inviteId}`;

export async function sealPayload(keys: PairingKeys, payload: PairingPayload): Promise<string> {
  const s = await getSodium();
  const nonce = randomBytes(24);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(s.from_string(JSON.stringify(payload)), s.from_string(payloadAd(keys.inviteId)), null, nonce, keys.payloadKey);
  return b64u(new Uint8Array(Buffer.concat([nonce, ct])));
}

/** Opens a payload received from the hub. Throws INVITE_INVALID when it does not open or is not a payload. */
export async function openPayload(keys: PairingKeys, sealed: string): Promise<PairingPayload> {
  const s = await getSodium();
  const bytes = fromB64u(sealed);
  let plain: Uint8Array;
  try {
    plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(24), s.from_string(payloadAd(keys.inviteId)), bytes.subarray(0, 24), keys.payloadKey);
  } catch {
    throw new AppError('INVITE_INVALID', "L'invitation reçue du hub ne s'ouvre pas avec ce code (altérée en chemin ?). Demandez un nouveau code.");
  }
  const parsed = pairingPayload.safeParse(JSON.parse(s.to_string(plain)));
  if (!parsed.success) throw new AppError('INVITE_INVALID', "L'invitation reçue est d'un format inconnu : mettez Solidariciel à jour sur ce poste.");
  return parsed.data;
}
