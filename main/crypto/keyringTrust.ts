/**
 * The signature of keyring.json (docs/access.md "Keyring signature"; DESIGN.md "Keys", trust rule).
 *
 * keyring.json is written by anyone who can write the association folder, so the fields that decide where key
 * material goes count only as far as the association root key signed them: `attestation.signed` holds a digest of the
 * recovery slot (null when no verified one), the audit public key and the Argon2id floor, signed by the root secret
 * key (Ed25519, domain-separated message). Every device checks it against the root public key pinned in the unlocking
 * user's sealed bundle — never against `rootPublicKey` of the file or `meta.root_public_key` of the database.
 *
 * A field that does not match its signed value is refused (not used), field by field: a swapped recovery key refuses
 * the recovery slot (no escrow moves, no new escrow is sealed), and everything else keeps working.
 */
import { z } from 'zod';
import { kdfCost, type KdfCost } from './kdf';
import { sign, toB64, verify, fromB64 } from './identity';
import { getSodium } from './sodium';

const b64 = z.string().min(1).max(4096);

/** The values the root key vouches for. */
export const attestedValues = z.object({
  /** BLAKE2b-256 (base64) of the recovery slot (`recoveryDigest`); null when no recovery slot is vouched for. */
  recovery: b64.nullable(),
  auditPublicKey: b64.nullable(),
  /** No key slot or account request may use a cheaper Argon2id cost (docs/access.md). */
  kdfFloor: kdfCost,
  signedAt: z.string().min(1).max(64),
});
export type AttestedValues = z.infer<typeof attestedValues>;

export const attestationSchema = z.object({ signed: attestedValues, signature: b64 });
export type Attestation = z.infer<typeof attestationSchema>;

/** The fields of keyring.json the signature covers (structural: avoids a cycle with keyring.ts). */
export interface AttestedKeyring {
  associationId: string;
  recovery?: { kdf: { alg: string; opslimit: number; memlimit: number; salt: string }; dbKey: { nonce: string; ciphertext: string }; secretKey: { nonce: string; ciphertext: string }; publicKey: string; createdAt: string } | undefined;
  auditPublicKey?: string | undefined;
  attestation?: Attestation | undefined;
}

/** Why (part of) keyring.json is refused. */
export type KeyringProblem = 'unsigned' | 'signature' | 'recovery' | 'recoveryUnverified' | 'auditPublicKey';

/** What a device may use from keyring.json, once checked against the pinned root. */
export interface KeyringTrust {
  /** The recovery public key escrows may be sealed to; undefined when none is vouched for. */
  recoveryPublicKey: string | undefined;
  /** The audit public key as signed (undefined when unsigned or refused). */
  auditPublicKey: string | undefined;
  /** The signed Argon2id floor; undefined when the file is not (validly) signed. */
  floor: KdfCost | undefined;
  /** The signed values when the signature checks (kept when re-signing: a refused field is never "repaired"). */
  signed: AttestedValues | undefined;
  problems: KeyringProblem[];
}

const message = (associationId: string, v: AttestedValues) =>
  `solidariciel/v1/keyring|${associationId}|${JSON.stringify([v.recovery, v.auditPublicKey, v.kdfFloor.opslimit, v.kdfFloor.memlimit, v.signedAt])}`;

/** BLAKE2b-256 (base64) of every field of a recovery slot, in a fixed order. */
export async function recoveryDigest(r: NonNullable<AttestedKeyring['recovery']>): Promise<string> {
  const s = await getSodium();
  const canonical = JSON.stringify([r.kdf.alg, r.kdf.opslimit, r.kdf.memlimit, r.kdf.salt, r.dbKey.nonce, r.dbKey.ciphertext, r.secretKey.nonce, r.secretKey.ciphertext, r.publicKey, r.createdAt]);
  return s.to_base64(s.crypto_generichash(32, s.from_string(`solidariciel/v1/recovery-digest|${canonical}`), null));
}

/** Signs `values` with the root secret key (64 bytes). */
export async function signAttestation(associationId: string, rootSecretKey: Uint8Array, values: AttestedValues): Promise<Attestation> {
  return { signed: values, signature: await toB64(await sign(rootSecretKey, message(associationId, values))) };
}

/** True when `attestation` is the pinned root's signature of its values for this association. */
export async function attestationValid(associationId: string, attestation: Attestation | undefined, rootPublicKey: Uint8Array | undefined): Promise<boolean> {
  if (!attestation || !rootPublicKey) return false;
  const signature = await fromB64(attestation.signature).catch(() => null);
  return signature !== null && verify(rootPublicKey, message(associationId, attestation.signed), signature);
}

/**
 * Checks keyring.json against the root public key the user trusts (pinned in their bundle; undefined when they have
 * none yet: everything is then unverified). Never throws: the problems say what is refused.
 */
export async function checkKeyring(keyring: AttestedKeyring, rootPublicKey: Uint8Array | undefined): Promise<KeyringTrust> {
  const none: KeyringTrust = { recoveryPublicKey: undefined, auditPublicKey: undefined, floor: undefined, signed: undefined, problems: [] };
  // No attestation, or a user who trusts no root yet (an association from before the root key): nothing is vouched for.
  if (!keyring.attestation || !rootPublicKey) return { ...none, problems: ['unsigned'] };
  if (!(await attestationValid(keyring.associationId, keyring.attestation, rootPublicKey))) return { ...none, problems: ['signature'] };
  const signed = keyring.attestation.signed;
  const problems: KeyringProblem[] = [];
  let recoveryPublicKey: string | undefined;
  if (keyring.recovery) {
    if (signed.recovery === null) problems.push('recoveryUnverified');
    else if (signed.recovery !== (await recoveryDigest(keyring.recovery))) problems.push('recovery');
    else recoveryPublicKey = keyring.recovery.publicKey;
  }
  const auditOk = signed.auditPublicKey !== null && signed.auditPublicKey === keyring.auditPublicKey;
  if (keyring.auditPublicKey !== undefined && !auditOk) problems.push('auditPublicKey');
  return { recoveryPublicKey, auditPublicKey: auditOk ? signed.auditPublicKey! : undefined, floor: signed.kdfFloor, signed, problems };
}

const MESSAGES: Record<KeyringProblem, string> = {
  unsigned: "Le fichier keyring.json n'est pas encore signé par la clé racine de l'association : un administrateur doit ouvrir une session. D'ici là, aucune clé n'est déposée auprès du code de secours.",
  signature:
    "La signature du fichier keyring.json ne correspond pas à la clé racine de l'association : il a été modifié hors de l'application. Le code de secours et la clé du journal qu'il contient sont ignorés ; prévenez un administrateur.",
  recovery:
    "Le code de secours inscrit dans keyring.json n'est pas celui qu'un administrateur a signé : il est ignoré et aucune clé n'y est déposée. Un administrateur doit créer un nouveau code de secours (Utilisateurs › Nouveau code de secours).",
  recoveryUnverified:
    "Le code de secours de cette association n'a pas pu être vérifié : aucune nouvelle clé n'y est déposée. Un administrateur doit créer un nouveau code de secours (Utilisateurs › Nouveau code de secours).",
  auditPublicKey: "La clé du journal inscrite dans keyring.json n'est pas celle qu'un administrateur a signée : les connexions manquées enregistrées depuis sont illisibles.",
};

/** The French sentences shown for these problems (one per problem). */
export function keyringWarnings(problems: readonly KeyringProblem[]): string[] {
  return problems.map((p) => MESSAGES[p]);
}
