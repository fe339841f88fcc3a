/**
 * The association root key (docs/access.md "Keys"): an Ed25519 key pair whose public key each user trusts as pinned
 * inside their own sealed bundle (never the database's copy), and whose secret key is sealed to the users whose role
 * has `users.manage` (`root_key_grants`). It certifies users' public keys (`users.key_cert`) and every group epoch
 * (`scope_key_pairs.cert`); ScopeKeys uses only certified keys, so keys written into the database by someone else are
 * ignored.
 */
import type { Knex } from 'knex';
import { signedRootHolders, verifiedAccess } from './verifiedAccess';
import { wipe } from '../../crypto/aead';
import { fromB64, openSealed, scopeCertMessage, sealTo, sign, signPublicKeyOf, toB64, userCertMessage, verify, type BoxKeyPair, type UserKeys } from '../../crypto/identity';
import type { Mutator } from '../../db/mutations';

interface UserKeyRow {
  id: string;
  public_key: string;
  sign_public_key: string;
  key_cert: string | null;
}

/**
 * What a root holder's unlock has left to do: users to certify (no certificate at all: trust on first use), users
 * whose keys changed since their certificate (« clés à confirmer »: never certified at unlock, only by an explicit
 * `users:confirmKeys`), groups without a certified epoch, holders without a grant.
 */
export interface RootWork {
  uncertified: string[];
  unconfirmed: string[];
  groupsWithoutKey: string[];
  holdersWithoutGrant: string[];
}

export class RootKey {
  /** The root secret key, when the current user holds a root grant. Wiped at lock. */
  private secret: Uint8Array | null = null;

  constructor(
    private readonly db: Knex,
    private readonly keys: UserKeys,
    readonly associationId: string,
  ) {}

  /** The root public key the current user trusts: the one pinned in their sealed bundle, never the database's. */
  get publicKey(): Uint8Array | undefined {
    return this.keys.rootPublicKey;
  }

  /** The root secret key when the current user holds it (to sign device certificates and revocations), else null. */
  get sign(): Uint8Array | null {
    return this.secret;
  }

  /** True when the current user opened the root secret key (they can certify keys). */
  get held(): boolean {
    return this.secret !== null;
  }

  /** Trusts `secretKey` as the root secret key for this session (the creator of the root key, who just made it). */
  async adopt(secretKey: Uint8Array): Promise<void> {
    const publicKey = await signPublicKeyOf(secretKey);
    this.keys.rootPublicKey ??= publicKey;
    if ((await toB64(publicKey)) !== (await toB64(this.keys.rootPublicKey))) return;
    this.secret = secretKey.slice();
  }

  /** Opens the current user's root grant, if any, keeping the secret only if it matches the pinned root public key. */
  async load(userId: string): Promise<void> {
    if (!this.keys.rootPublicKey) return;
    const rows = (await this.db('root_key_grants').where({ user_id: userId }).whereNull('deleted_at').select('sealed')) as { sealed: string }[];
    const pinned = await toB64(this.keys.rootPublicKey);
    const me: BoxKeyPair = { publicKey: this.keys.boxPublicKey, secretKey: this.keys.boxSecretKey };
    for (const r of rows) {
      const sealed = await fromB64(r.sealed).catch(() => null);
      const secret = sealed ? await openSealed(me, sealed) : null;
      if (!secret || secret.length !== 64) continue;
      if ((await toB64(await signPublicKeyOf(secret))) !== pinned) {
        await wipe(secret);
        continue;
      }
      this.secret = secret;
      return;
    }
  }

  /** Forgets the root secret (lock). */
  async wipe(): Promise<void> {
    if (this.secret) await wipe(this.secret);
    this.secret = null;
  }

  /** The root's certificate of one epoch of a scope key pair; null when the current user does not hold the root. */
  async certifyEpoch(scope: string, epoch: number, publicKey: string): Promise<string | null> {
    return this.secret ? toB64(await sign(this.secret, scopeCertMessage(this.associationId, scope, epoch, publicKey))) : null;
  }

  /**
   * Seals the root secret key to `userIds` (signed users.manage holders: `signedRootHolders`) that have a certified
   * public key and no grant yet. Returns the ids of the users who received one (for the audit entry).
   */
  async grant(trx: Knex.Transaction, mutator: Mutator, userIds: readonly string[]): Promise<string[]> {
    if (!this.secret || userIds.length === 0) return [];
    const have = (await trx('root_key_grants').whereIn('user_id', [...userIds]).whereNull('deleted_at').pluck('user_id')) as string[];
    const rows = [];
    for (const id of userIds.filter((u) => !have.includes(u))) {
      const publicKey = await this.certifiedKey(trx, id);
      if (!publicKey) continue;
      rows.push({ user_id: id, sealed: await toB64(await sealTo(publicKey, this.secret)) });
    }
    if (rows.length > 0) await mutator.with(trx).insert('root_key_grants', rows);
    return rows.map((r) => r.user_id);
  }

  /**
   * Makes the root grants follow the signed decisions: every user whose signed row and signed role give them
   * `users.manage` gets one (when the current user holds the root), the others lose theirs (a tombstone: whoever
   * opened it before may have kept the secret — docs/access.md). A role_id or permissions changed in the database
   * without a root signature gives nothing. Returns the ids of the users who received a grant.
   */
  async syncGrants(trx: Knex.Transaction, mutator: Mutator): Promise<string[]> {
    const holders = signedRootHolders(await verifiedAccess(trx, this));
    const stale = (await trx('root_key_grants').whereNull('deleted_at').whereNotIn('user_id', holders).pluck('id')) as string[];
    for (const id of stale) await mutator.with(trx).tombstone('root_key_grants', id);
    return this.grant(trx, mutator, holders);
  }

  /** Signs the current public keys of `userId` (as stored in `users`) with the root key. Returns false when not a root holder. */
  async certifyUser(trx: Knex.Transaction, mutator: Mutator, userId: string): Promise<boolean> {
    if (!this.secret) return false;
    const u = (await trx('users').where({ id: userId }).first('public_key', 'sign_public_key', 'key_cert')) as
      | { public_key: string | null; sign_public_key: string | null; key_cert: string | null }
      | undefined;
    if (!u?.public_key || !u.sign_public_key) return false;
    const cert = await toB64(await sign(this.secret, userCertMessage(this.associationId, userId, u.public_key, u.sign_public_key)));
    if (cert !== u.key_cert) await mutator.with(trx).update('users', userId, { key_cert: cert });
    return true;
  }

  /**
   * What a root holder's unlock has left to do (read-only; empty for anyone else). Call it before the unlock's write
   * transaction: most unlocks have nothing to do, and long reads inside that transaction make two unlocks at once more
   * likely to collide (SQLite cannot upgrade two readers to writers).
   */
  async pendingWork(db: Knex | Knex.Transaction): Promise<RootWork> {
    const work: RootWork = { uncertified: [], unconfirmed: [], groupsWithoutKey: [], holdersWithoutGrant: [] };
    if (!this.secret) return work;
    const users = (await db('users').whereNull('deleted_at').whereNotNull('public_key').whereNotNull('sign_public_key').select('id', 'public_key', 'sign_public_key', 'key_cert')) as UserKeyRow[];
    for (const u of users) {
      if (await this.validUserCert(u.id, u.public_key, u.sign_public_key, u.key_cert)) continue;
      // A certificate that no longer matches the row: the keys were replaced (a recovery reset without escrow, or a
      // colleague writing their own keys into this row). Never certified silently (docs/access.md "Keys").
      (u.key_cert ? work.unconfirmed : work.uncertified).push(u.id);
    }
    for (const gid of (await db('groups').whereNull('deleted_at').pluck('id')) as string[]) {
      if (!(await this.latestCertified(db, `group:${gid}`))) work.groupsWithoutKey.push(gid);
    }
    const holders = signedRootHolders(await verifiedAccess(db, this));
    const have = (await db('root_key_grants').whereIn('user_id', holders).whereNull('deleted_at').pluck('user_id')) as string[];
    work.holdersWithoutGrant = holders.filter((h) => !have.includes(h));
    return work;
  }

  /** The public key of `userId` if its certificate checks against the pinned root; null otherwise. */
  async certifiedKey(db: Knex | Knex.Transaction, userId: string): Promise<Uint8Array | null> {
    const u = (await db('users').where({ id: userId }).first('public_key', 'sign_public_key', 'key_cert')) as
      | { public_key: string | null; sign_public_key: string | null; key_cert: string | null }
      | undefined;
    if (!u?.public_key || !u.sign_public_key) return null;
    if (!(await this.validUserCert(userId, u.public_key, u.sign_public_key, u.key_cert))) return null;
    return fromB64(u.public_key).catch(() => null);
  }

  private async validUserCert(userId: string, publicKey: string, signPublicKey: string, cert: string | null): Promise<boolean> {
    return this.checks(cert, userCertMessage(this.associationId, userId, publicKey, signPublicKey));
  }

  /** True when `cert` is the pinned root's signature of this epoch's key pair. */
  async validScopeCert(scope: string, epoch: number, publicKey: string, cert: string | null): Promise<boolean> {
    return this.checks(cert, scopeCertMessage(this.associationId, scope, epoch, publicKey));
  }

  private async checks(cert: string | null, message: string): Promise<boolean> {
    if (!this.keys.rootPublicKey || !cert) return false;
    const signature = await fromB64(cert).catch(() => null);
    return signature !== null && verify(this.keys.rootPublicKey, message, signature);
  }

  /** The latest epoch of `scope` whose key pair is certified by the pinned root; null when it has none. */
  async latestCertified(db: Knex | Knex.Transaction, scope: string): Promise<{ epoch: number; publicKey: string } | null> {
    const rows = (await db('scope_key_pairs').where({ key_scope: scope }).whereNull('deleted_at').orderBy('epoch', 'desc').select('epoch', 'public_key', 'cert')) as {
      epoch: number;
      public_key: string;
      cert: string | null;
    }[];
    for (const r of rows) if (await this.validScopeCert(scope, r.epoch, r.public_key, r.cert)) return { epoch: r.epoch, publicKey: r.public_key };
    return null;
  }
}
