/**
 * Visibility enforced by cryptography (DESIGN.md "Keys", issue 3 §5; docs/access.md).
 *
 * - Every user has an X25519 key pair (public key in `users.public_key`, secret key only in their key slot).
 * - Every group scope (`group:<id>`) has one X25519 key pair per **epoch** (`scope_key_pairs`); its secret key is
 *   sealed to each member's public key and signed (Ed25519) by whoever granted it (`scope_key_grants`). Removing a
 *   member (or disabling a user) starts a new epoch sealed to the remaining members only: new content is out of the
 *   removed member's reach.
 * - A record narrower than the association (a note, task or paper visible to groups, to users or to its writer
 *   only) is encrypted with a random record key (XChaCha20-Poly1305, AD = table/id); the record key is sealed to the
 *   latest public key of each group chosen, to each user chosen, and always to the writer (`key_wraps`).
 *
 * - Every user's public keys and every epoch's key pair are certified by the association root key; only certified
 *   keys are used, checked against the root public key pinned in the current user's own sealed bundle.
 *
 * So a colleague who opens the database (or a decrypted copy) without being in the scope finds only ciphertext.
 */
import { randomFillSync } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Visibility } from '../../../shared/domain/access';
import { AppError } from '../../../shared/domain/errors';
import { open, seal, sealedBox, wipe } from '../../crypto/aead';
import { boxPublicKeyOf, fromB64, newBoxKeyPair, openSealed, sealTo, sign, toB64, verify, type BoxKeyPair, type UserKeys } from '../../crypto/identity';
import type { Mutator } from '../../db/mutations';
import { RootKey, type RootWork } from './rootKey';
import { verifiedAccess } from './verifiedAccess';

export const keyWraps = z.array(z.object({ s: z.string().min(1), e: z.number().int().min(1).optional(), k: z.string().min(1) }));
export type KeyWrap = z.infer<typeof keyWraps>[number];

export const groupScope = (groupId: string) => `group:${groupId}`;
const userScope = (userId: string) => `user:${userId}`;
const grantMessage = (scope: string, epoch: number, userId: string, sealed: string) => `solidariciel/v1/grant|${scope}|${epoch}|${userId}|${sealed}`;
/** The associated data binding a sealed record to its row (table and id). */
export const recordAd = (table: string, id: string) => `solidariciel/v1/record/${table}/${id}`;

interface GrantRow {
  key_scope: string;
  epoch: number;
  user_id: string;
  sealed_secret: string;
  granted_by: string;
  signature: string;
}

/** The encrypted form of a record's confidential fields, as stored in `ciphertext` and `key_wraps`. */
export interface SealedRecord {
  ciphertext: string;
  key_wraps: string;
}

export class ScopeKeys {
  /** Opened scope secret keys, by `scope#epoch`. Wiped at lock. */
  private readonly held = new Map<string, BoxKeyPair>();
  /** The association root key: certifies users' keys and epochs (main/services/access/rootKey.ts). */
  readonly root: RootKey;

  constructor(
    private readonly db: Knex,
    private readonly userId: string,
    private readonly keys: UserKeys,
    associationId: string,
  ) {
    this.root = new RootKey(db, keys, associationId);
  }

  /**
   * At a root holder's unlock, does the work `RootKey.pendingWork` found: certifies the users whose public keys have
   * never had a certificate (keys made at a version 1 upgrade: trust on first use, the database as it is now), gives
   * epoch 1 to groups that have no certified epoch, and hands the root secret to users.manage holders who lack it —
   * except to a user certified in this same pass (their keys were trusted on first use a moment ago; they receive it
   * at a later unlock or administrator action, after the `keys.certified` entry naming them). Users whose keys changed
   * since their certificate (`work.unconfirmed`) are NOT certified here: they get nothing until an administrator
   * confirms their keys (`users:confirmKeys`). Returns what it did.
   */
  async completeRoot(trx: Knex.Transaction, mutator: Mutator, work: RootWork): Promise<{ certified: string[]; groups: string[]; rootGrants: string[] }> {
    const done = { certified: [] as string[], groups: [] as string[], rootGrants: [] as string[] };
    if (!this.root.held) return done;
    for (const id of work.uncertified) if (await this.root.certifyUser(trx, mutator, id)) done.certified.push(id);
    for (const gid of work.groupsWithoutKey) {
      await this.newEpoch(trx, mutator, groupScope(gid), await this.members(trx, gid), 'created');
      done.groups.push(gid);
    }
    done.rootGrants = await this.root.grant(trx, mutator, work.holdersWithoutGrant.filter((h) => !done.certified.includes(h)));
    return done;
  }

  /**
   * Opens every grant made to the current user whose signature checks out and whose epoch's key pair is certified by the
   * pinned root (and matches the opened secret); ignores the others.
   */
  async load(): Promise<void> {
    await this.root.load(this.userId);
    const grants = (await this.db('scope_key_grants').where({ user_id: this.userId }).whereNull('deleted_at')) as GrantRow[];
    const signers = await this.signKeys(grants.map((g) => g.granted_by));
    const pairs = await this.pairKeys();
    const me: BoxKeyPair = { publicKey: this.keys.boxPublicKey, secretKey: this.keys.boxSecretKey };
    for (const g of grants) {
      const signer = signers.get(g.granted_by);
      const pair = pairs.get(`${g.key_scope}#${g.epoch}`);
      if (!signer || !pair || !(await this.root.validScopeCert(g.key_scope, g.epoch, pair.publicKey, pair.cert))) continue;
      const expected = pair.publicKey;
      // A damaged row (not base64) is ignored like a bad signature: one broken grant must not stop the unlock.
      const signature = await fromB64(g.signature).catch(() => null);
      if (!signature || !(await verify(signer, grantMessage(g.key_scope, g.epoch, g.user_id, g.sealed_secret), signature))) continue;
      const sealed = await fromB64(g.sealed_secret).catch(() => null);
      const secret = sealed ? await openSealed(me, sealed) : null;
      if (!secret || secret.length !== 32) continue;
      const publicKey = await boxPublicKeyOf(secret);
      if ((await toB64(publicKey)) !== expected) continue;
      this.held.set(`${g.key_scope}#${g.epoch}`, { publicKey, secretKey: secret });
    }
  }

  /**
   * The members of a group who may receive its keys: signed memberships of signed, enabled users
   * (main/services/access/verifiedAccess.ts). A membership or status written in the database by anyone else is not one.
   */
  async members(db: Knex | Knex.Transaction, groupId: string): Promise<string[]> {
    return [...((await verifiedAccess(db, this.root)).members.get(groupId) ?? [])];
  }

  /** True when the current user holds the key of `scope` at `epoch` (or at its latest epoch). */
  holds(scope: string, epoch?: number): boolean {
    if (epoch !== undefined) return this.held.has(`${scope}#${epoch}`);
    return [...this.held.keys()].some((k) => k.startsWith(`${scope}#`));
  }

  /** Forgets every opened key (lock). */
  async wipe(): Promise<void> {
    for (const kp of this.held.values()) await wipe(kp.secretKey);
    this.held.clear();
    await this.root.wipe();
  }

  /**
   * Starts a new epoch of `scope`: a fresh key pair certified by the root key, sealed to `memberIds` (those with a
   * certified public key), signed by the current user. The current user keeps it only if they are a member. Returns
   * the new epoch. Throws VALIDATION when the current user does not hold the root key (an uncertified epoch would be
   * ignored by everyone, and a rotation must not silently leave new content readable by a removed member).
   */
  async newEpoch(trx: Knex.Transaction, mutator: Mutator, scope: string, memberIds: readonly string[], reason: string): Promise<number> {
    if (!this.root.held) {
      throw new AppError('VALIDATION', "Seul un administrateur qui détient la clé racine de l'association peut créer ou renouveler la clé d'un groupe : ouvrez une session d'administrateur.");
    }
    const last = (await trx('scope_key_pairs').where({ key_scope: scope }).max({ e: 'epoch' }).first()) as { e: number | null } | undefined;
    const epoch = (last?.e ?? 0) + 1;
    const kp = await newBoxKeyPair();
    const publicKey = await toB64(kp.publicKey);
    const cert = await this.root.certifyEpoch(scope, epoch, publicKey);
    await mutator.with(trx).insert('scope_key_pairs', [{ key_scope: scope, epoch, public_key: publicKey, created_by: this.userId, reason, cert }]);
    await this.grant(trx, mutator, scope, epoch, kp.secretKey, memberIds);
    if (memberIds.includes(this.userId)) this.held.set(`${scope}#${epoch}`, kp);
    else await wipe(kp.secretKey);
    return epoch;
  }

  /** Seals the secret key of `scope#epoch` to each user (skipping those without a public key), signed by the current user. */
  private async grant(trx: Knex.Transaction, mutator: Mutator, scope: string, epoch: number, secret: Uint8Array, userIds: readonly string[]): Promise<number> {
    if (userIds.length === 0) return 0;
    const rows = [];
    for (const id of new Set(userIds)) {
      // Only to a public key certified by the pinned root: a key replaced in the database gets nothing.
      const publicKey = await this.root.certifiedKey(trx, id);
      if (!publicKey) continue;
      const sealed = await toB64(await sealTo(publicKey, secret));
      const signature = await toB64(await sign(this.keys.signSecretKey, grantMessage(scope, epoch, id, sealed)));
      rows.push({ key_scope: scope, epoch, user_id: id, sealed_secret: sealed, granted_by: this.userId, signature });
    }
    if (rows.length > 0) await mutator.with(trx).insert('scope_key_grants', rows);
    return rows.length;
  }

  /**
   * Gives `userIds` every epoch of `scope` the current user holds (a member added to a group reads its history).
   * Returns false when the current user holds none (the caller then starts a new epoch for the new members).
   */
  async grantHeld(trx: Knex.Transaction, mutator: Mutator, scope: string, userIds: readonly string[]): Promise<boolean> {
    let any = false;
    for (const [key, kp] of this.held) {
      const [s, e] = key.split('#') as [string, string];
      if (s !== scope) continue;
      any = true;
      const have = (await trx('scope_key_grants').where({ key_scope: s, epoch: Number(e) }).whereIn('user_id', [...userIds]).whereNull('deleted_at').pluck('user_id')) as string[];
      await this.grant(trx, mutator, s, Number(e), kp.secretKey, userIds.filter((u) => !have.includes(u)));
    }
    return any;
  }

  /**
   * Completes what others could not: members of a group whose keys the current user holds, who lack a grant for an
   * epoch (added by an administrator outside the group, or who had no key pair yet). Returns the grants written.
   */
  async completeGrants(trx: Knex.Transaction, mutator: Mutator): Promise<number> {
    let written = 0;
    const signed = this.held.size > 0 ? await verifiedAccess(trx, this.root) : null;
    for (const [key, kp] of this.held) {
      const [scope, e] = key.split('#') as [string, string];
      if (!scope.startsWith('group:') || !signed) continue;
      const members = [...(signed.members.get(scope.slice('group:'.length)) ?? [])];
      const have = (await trx('scope_key_grants').where({ key_scope: scope, epoch: Number(e) }).whereNull('deleted_at').pluck('user_id')) as string[];
      const missing = members.filter((m) => !have.includes(m));
      if (missing.length > 0) written += await this.grant(trx, mutator, scope, Number(e), kp.secretKey, missing);
    }
    return written;
  }

  /** Seals `recordKey` to every scope of `visibility`, and always to the writer. Throws VALIDATION for an unknown or empty group or user. */
  async wrap(trx: Knex.Transaction, mutator: Mutator, visibility: Visibility, recordKey: Uint8Array): Promise<KeyWrap[]> {
    const wraps: KeyWrap[] = [{ s: userScope(this.userId), k: await toB64(await sealTo(this.keys.boxPublicKey, recordKey)) }];
    if (visibility.kind === 'groups') {
      for (const gid of visibility.groupIds) {
        const group = (await trx('groups').where({ id: gid }).whereNull('deleted_at').first('name')) as { name: string } | undefined;
        if (!group) throw new AppError('VALIDATION', `Groupe introuvable (${gid}) : choisissez un groupe existant.`);
        const scope = groupScope(gid);
        if ((await activeMembers(trx, gid)).length === 0) throw new AppError('VALIDATION', `Le groupe « ${group.name} » n'a aucun membre : personne ne pourrait lire ce contenu.`);
        // The latest epoch certified by the pinned root: a newer epoch written into the database by someone else is ignored.
        const latest = await this.root.latestCertified(trx, scope);
        if (!latest) throw new AppError('VALIDATION', `La clé du groupe « ${group.name} » n'est pas encore certifiée : un administrateur doit ouvrir une session.`);
        wraps.push({ s: scope, e: latest.epoch, k: await toB64(await sealTo(await fromB64(latest.publicKey), recordKey)) });
      }
    }
    if (visibility.kind === 'users') {
      for (const uid of visibility.userIds) {
        if (uid === this.userId) continue;
        const u = (await trx('users').where({ id: uid }).whereNull('deleted_at').first('name', 'public_key', 'disabled')) as
          | { name: string; public_key: string | null; disabled: number }
          | undefined;
        if (!u) throw new AppError('VALIDATION', `Utilisateur introuvable (${uid}).`);
        if (u.disabled) throw new AppError('VALIDATION', `Le compte de ${u.name} est désactivé : choisissez une autre personne.`);
        if (!u.public_key) throw new AppError('VALIDATION', `${u.name} n'a pas encore ouvert de session avec cette version : impossible de lui destiner un contenu chiffré.`);
        const publicKey = await this.root.certifiedKey(trx, uid);
        if (!publicKey) throw new AppError('VALIDATION', `La clé de ${u.name} n'est pas encore certifiée : un administrateur doit ouvrir une session.`);
        wraps.push({ s: userScope(uid), k: await toB64(await sealTo(publicKey, recordKey)) });
      }
    }
    return wraps;
  }

  /** Opens the record key from its wraps with a key the current user holds; null when none fits. */
  async unwrap(wraps: readonly KeyWrap[]): Promise<Uint8Array | null> {
    for (const w of wraps) {
      let pair: BoxKeyPair | undefined;
      if (w.s === userScope(this.userId)) pair = { publicKey: this.keys.boxPublicKey, secretKey: this.keys.boxSecretKey };
      else if (w.e !== undefined) pair = this.held.get(`${w.s}#${w.e}`);
      if (!pair) continue;
      const key = await openSealed(pair, await fromB64(w.k).catch(() => new Uint8Array()));
      if (key && key.length === 32) return key;
    }
    return null;
  }

  /** Encrypts `fields` (JSON) of the record `table/id` for `visibility` (narrower than everyone). */
  async sealRecord(trx: Knex.Transaction, mutator: Mutator, visibility: Visibility, table: string, id: string, fields: Record<string, unknown>): Promise<SealedRecord> {
    const key = new Uint8Array(32);
    randomFillSync(key);
    try {
      const wraps = await this.wrap(trx, mutator, visibility, key);
      const box = await seal(key, new TextEncoder().encode(JSON.stringify(fields)), recordAd(table, id));
      return { ciphertext: JSON.stringify(box), key_wraps: JSON.stringify(wraps) };
    } finally {
      await wipe(key);
    }
  }

  /** Decrypts a record sealed by `sealRecord`; null when the current user holds no key for it or it was altered. */
  async openRecord<T extends Record<string, unknown>>(table: string, id: string, ciphertext: string | null, wrapsJson: string | null): Promise<T | null> {
    if (!ciphertext || !wrapsJson) return null;
    const wraps = parseWraps(wrapsJson);
    const box = sealedBox.safeParse(safeParse(ciphertext));
    if (!wraps || !box.success) return null;
    const key = await this.unwrap(wraps);
    if (!key) return null;
    try {
      const plain = await open(key, box.data, recordAd(table, id));
      return plain ? (JSON.parse(new TextDecoder().decode(plain)) as T) : null;
    } finally {
      await wipe(key);
    }
  }

  private async signKeys(userIds: string[]): Promise<Map<string, Uint8Array>> {
    const rows = (await this.db('users').whereIn('id', [...new Set(userIds)]).whereNotNull('sign_public_key').select('id', 'sign_public_key')) as { id: string; sign_public_key: string }[];
    const out = new Map<string, Uint8Array>();
    for (const r of rows) {
      const key = await fromB64(r.sign_public_key).catch(() => null);
      if (key) out.set(r.id, key);
    }
    return out;
  }

  private async pairKeys(): Promise<Map<string, { publicKey: string; cert: string | null }>> {
    const rows = (await this.db('scope_key_pairs').whereNull('deleted_at').select('key_scope', 'epoch', 'public_key', 'cert')) as {
      key_scope: string;
      epoch: number;
      public_key: string;
      cert: string | null;
    }[];
    // Several rows for one scope#epoch (an inserted duplicate): keep a certified one.
    const out = new Map<string, { publicKey: string; cert: string | null }>();
    for (const r of rows) {
      const key = `${r.key_scope}#${r.epoch}`;
      if (!out.has(key) || (await this.root.validScopeCert(r.key_scope, r.epoch, r.public_key, r.cert))) out.set(key, { publicKey: r.public_key, cert: r.cert });
    }
    return out;
  }
}

/** Active (not disabled, not deleted) members of a group, as the bare rows say (unsigned: never to hand keys over). */
export async function activeMembers(db: Knex | Knex.Transaction, groupId: string): Promise<string[]> {
  return ((await db('group_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.group_id', groupId)
    .whereNull('m.deleted_at')
    .whereNull('u.deleted_at')
    .where('u.disabled', 0)
    .distinct('m.user_id')) as { user_id: string }[]).map((r) => r.user_id);
}

/** Parses a `key_wraps` column; null when malformed. */
export function parseWraps(json: string): KeyWrap[] | null {
  const r = keyWraps.safeParse(safeParse(json));
  return r.success ? r.data : null;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The `scope_id` column of a row written with `v` (routing for sync, DESIGN.md "Data model rules"): 'association',
 * or a canonical description of the groups or users it is sealed to ('groups:<id>,<id>', 'users:<id>,…', 'user:<writer>').
 */
export function scopeIdOf(v: Visibility, writerId: string): string {
  if (v.kind === 'everyone') return 'association';
  if (v.kind === 'groups') return `groups:${[...v.groupIds].sort().join(',')}`;
  if (v.kind === 'users') return `users:${[...new Set([...v.userIds, writerId])].sort().join(',')}`;
  return `user:${writerId}`;
}
