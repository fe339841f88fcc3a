/**
 * Users who log in to the association. Each has a row in `users` (role, status, public keys) and a key slot in
 * keyring.json. Administrators (`users.manage`) add users, approve or refuse account requests made on the office PC,
 * change roles and groups, and disable accounts — at once: the slot leaves keyring.json (kept inside the database to
 * re-enable) and the keys of the user's groups rotate for new content.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import type { AccountRequest, User } from '../../../shared/domain/user';
import { belowFloor, calibratedCost, kdfFloor, type KdfCost } from '../../crypto/kdf';
import { verifyAccess, type SignedRow } from '../../crypto/accessRecords';
import { checkKeyring, type KeyringTrust } from '../../crypto/keyringTrust';
import { wipe } from '../../crypto/aead';
import { newUserKeys } from '../../crypto/identity';
import { keySlotSchema, makeSlot, openSlot, readKeyring, sameUserName, slotFromRequest, updateKeyring, withSlot, type Keyring } from '../../crypto/keyring';
import type { OpenAssociation } from '../association/associationStore';
import type { ServiceContext } from '../context';
import { setUserGroups } from './membership';
import { parsePermissions } from '../access/access';
import { signRow, updateSigned } from '../access/signedAccess';
import { verifiedAccess } from '../access/verifiedAccess';
import { keyFingerprint } from '../../crypto/fingerprint';
import { syncTreasuryKeys } from '../treasury/treasuryScope';

interface UserRow {
  id: string;
  name: string;
  display_name: string;
  disabled: number;
  role_id: string;
  role_name: string | null;
  role_permissions: string | null;
}

export class UsersService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly association: OpenAssociation,
    private readonly cost?: KdfCost,
  ) {}

  /** Every user with role, groups and status (`users.manage`; anyone may list names: see `directory`). */
  async list(): Promise<User[]> {
    this.ctx.access.require('users.manage');
    return this.rows();
  }

  /** Active users' names, for anyone unlocked (choosing who may read a note, whom a task is for). */
  async directory(): Promise<{ id: string; name: string; displayName: string }[]> {
    const rows = (await this.ctx.db('users').whereNull('deleted_at').where('disabled', 0).orderBy('name').select('id', 'name', 'display_name')) as { id: string; name: string; display_name: string }[];
    return rows.map((r) => ({ id: r.id, name: r.name, displayName: r.display_name }));
  }

  private async rows(where?: { id: string }): Promise<User[]> {
    const q = this.ctx.db('users as u').leftJoin('roles as r', 'r.id', 'u.role_id').whereNull('u.deleted_at').orderBy('u.name');
    if (where) q.where('u.id', where.id);
    const rows = (await q.select('u.id', 'u.name', 'u.display_name', 'u.disabled', 'u.role_id', 'r.name as role_name', 'r.permissions as role_permissions')) as UserRow[];
    const members = (await this.ctx.db('group_members').whereNull('deleted_at').select('user_id', 'group_id')) as { user_id: string; group_id: string }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      displayName: r.display_name,
      isAdmin: parsePermissions(r.role_permissions).includes('users.manage'),
      disabled: r.disabled === 1,
      roleId: r.role_id,
      roleName: r.role_name ?? r.role_id,
      groupIds: [...new Set(members.filter((m) => m.user_id === r.id).map((m) => m.group_id))],
    }));
  }

  /**
   * Adds a user with their own password, role and groups (`users.manage`). Throws FORBIDDEN, ALREADY_EXISTS (same
   * name, any case, among users and requests), VALIDATION (unknown role or group). The slot is written before the
   * row, so a crash leaves at worst an unused slot (replaced by the next addition of that name).
   */
  async add(input: { name: string; displayName?: string | undefined; password: string; roleId: string; groupIds: string[] }): Promise<string> {
    this.ctx.access.require('users.manage');
    await this.checkNameFree(input.name);
    await this.checkRole(input.roleId);
    const id = uuidv7();
    const keyring = await readKeyring(this.association.dir);
    const trust = await this.trust(keyring);
    // The newcomer's bundle pins the root key this administrator trusts (their own pin), not the database's.
    const keys = await newUserKeys();
    keys.rootPublicKey = this.ctx.scopes.root.publicKey;
    // …and carries the adoption of signed access decisions this administrator's bundle records (never adopted again).
    keys.accessAdopted = this.association.keys.accessAdopted === true;
    const slot = await makeSlot(keyring.associationId, { id, name: input.name }, input.password, this.association.dbKey, this.cost ?? (await calibratedCost()), {
      keys,
      recoveryPublicKey: trust.recoveryPublicKey,
    });
    await wipe(keys.boxSecretKey, keys.signSecretKey);
    await this.saveKeyring((k) => withSlot({ ...k, slots: k.slots.filter((s) => !sameUserName(s.userName, input.name)) }, slot));
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const row = { id, name: input.name, display_name: input.displayName || input.name, is_admin: input.roleId === 'admin' ? 1 : 0, role_id: input.roleId, disabled: 0, deleted_at: null, public_key: slot.publicKey ?? null, sign_public_key: slot.signPublicKey ?? null };
      // Role and status signed by the root key (docs/access.md "Signed access decisions").
      await m.insert('users', [await signRow(this.ctx.scopes.root, this.ctx.mutator, 'users', row)]);
      // The keys were just made here: certified by the root key before any group key is sealed to them.
      await this.ctx.scopes.root.certifyUser(trx, this.ctx.mutator, id);
      const rootGranted = await this.ctx.scopes.root.syncGrants(trx, this.ctx.mutator);
      await setUserGroups(this.ctx, trx, id, input.groupIds);
      await this.treasuryKeys(trx, id);
      await this.ctx.audit({ action: 'user.add', targetType: 'user', targetId: id, details: { name: input.name, roleId: input.roleId, groupIds: input.groupIds, ...(rootGranted.length ? { rootGranted } : {}) } }, trx);
    });
    return id;
  }

  /** Accounts requested on this PC and not yet approved (`users.manage`). */
  async requests(): Promise<AccountRequest[]> {
    this.ctx.access.require('users.manage');
    const keyring = await readKeyring(this.association.dir);
    return keyring.requests.map((r) => ({ id: r.id, name: r.userName, displayName: r.displayName, requestedAt: r.requestedAt }));
  }

  /**
   * Approves a request with a role and groups: the user row is written, the database key sealed to their public key.
   * Throws VALIDATION for a request whose Argon2id cost is below the signed floor (anyone can write a request into
   * keyring.json; a weak one would guard the database key with a password cheap to guess: docs/access.md).
   */
  async approve(requestId: string, roleId: string, groupIds: string[]): Promise<string> {
    this.ctx.access.require('users.manage');
    await this.checkRole(roleId);
    const keyring = await readKeyring(this.association.dir);
    const request = keyring.requests.find((r) => r.id === requestId);
    if (!request) throw new AppError('NOT_FOUND', 'Demande de compte introuvable (déjà traitée ?).');
    const floor = (await this.trust(keyring)).floor ?? (await kdfFloor(this.cost));
    if (belowFloor(request.kdf, floor)) {
      throw new AppError(
        'VALIDATION',
        `La demande de compte de « ${request.userName} » protège son mot de passe par un calcul Argon2id trop faible (${request.kdf.opslimit} passe(s), ${Math.round(request.kdf.memlimit / 1024)} Kio ; minimum ${floor.opslimit} passes, ${Math.round(floor.memlimit / 1024)} Kio) : elle n'a pas été faite par Solidariciel. Refusez-la et demandez à la personne de refaire sa demande.`,
      );
    }
    await this.checkNameFree(request.userName, requestId);
    const slot = await slotFromRequest(request, this.association.dbKey);
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const row = { id: request.id, name: request.userName, display_name: request.displayName, is_admin: roleId === 'admin' ? 1 : 0, role_id: roleId, disabled: 0, deleted_at: null, public_key: request.publicKey, sign_public_key: request.signPublicKey };
      await m.insert('users', [await signRow(this.ctx.scopes.root, this.ctx.mutator, 'users', row)]);
      // The keys the newcomer sealed in their request (keyring.json), certified by the approving root holder.
      await this.ctx.scopes.root.certifyUser(trx, this.ctx.mutator, request.id);
      const rootGranted = await this.ctx.scopes.root.syncGrants(trx, this.ctx.mutator);
      await setUserGroups(this.ctx, trx, request.id, groupIds);
      await this.treasuryKeys(trx, request.id);
      await this.ctx.audit({ action: 'user.approve', targetType: 'user', targetId: request.id, details: { name: request.userName, roleId, groupIds, ...(rootGranted.length ? { rootGranted } : {}) } }, trx);
    });
    await this.saveKeyring((k) => withSlot({ ...k, requests: k.requests.filter((r) => r.id !== requestId) }, slot));
    return request.id;
  }

  /** Refuses a request: it leaves keyring.json. */
  async reject(requestId: string): Promise<void> {
    this.ctx.access.require('users.manage');
    const keyring = await readKeyring(this.association.dir);
    const request = keyring.requests.find((r) => r.id === requestId);
    if (!request) throw new AppError('NOT_FOUND', 'Demande de compte introuvable (déjà traitée ?).');
    await this.saveKeyring((k) => ({ ...k, requests: k.requests.filter((r) => r.id !== requestId) }));
    await this.ctx.audit({ action: 'user.reject', targetType: 'user', targetId: requestId, details: { name: request.userName } });
  }

  /**
   * Changes a user's role, groups and/or status. Disabling takes effect at once: the slot leaves keyring.json (their
   * password opens nothing) and their groups' keys rotate. An administrator cannot disable or demote themselves
   * (the association would be left without one).
   */
  async update(id: string, change: { roleId?: string | undefined; groupIds?: string[] | undefined; disabled?: boolean | undefined }): Promise<User> {
    this.ctx.access.require('users.manage');
    const [user] = await this.rows({ id });
    if (!user) throw new AppError('NOT_FOUND', 'Utilisateur introuvable.');
    if (change.roleId !== undefined) await this.checkRole(change.roleId);
    if (id === this.ctx.user.id && (change.disabled === true || (change.roleId !== undefined && change.roleId !== user.roleId))) {
      throw new AppError('VALIDATION', 'Vous ne pouvez pas désactiver votre propre compte ni changer votre propre rôle : demandez-le à un autre administrateur.');
    }
    const disabling = change.disabled === true && !user.disabled;
    const enabling = change.disabled === false && user.disabled;
    await this.ctx.db.transaction(async (trx) => {
      const row: Record<string, string | number> = {};
      if (change.roleId !== undefined && change.roleId !== user.roleId) Object.assign(row, { role_id: change.roleId, is_admin: change.roleId === 'admin' ? 1 : 0 });
      if (disabling || enabling) row['disabled'] = disabling ? 1 : 0;
      // Role and status signed by the root key: a change without it is refused (docs/access.md "Signed access decisions").
      // An enabled user whose row fails the check (refused at unlock) is signed again by an administrator's update.
      const unsigned = !(await verifiedAccess(trx, this.ctx.scopes.root)).activeUsers.has(id) && !user.disabled && !disabling;
      if (Object.keys(row).length > 0 || unsigned) {
        await this.refuseUnsignedRole(trx, user.name, id, row['role_id'] !== undefined || disabling);
        await updateSigned(trx, this.ctx.mutator, this.ctx.scopes.root, 'users', id, row);
      }
      const rootGranted = row['role_id'] !== undefined || disabling || enabling ? await this.ctx.scopes.root.syncGrants(trx, this.ctx.mutator) : [];
      if (change.groupIds !== undefined || disabling) await setUserGroups(this.ctx, trx, id, change.groupIds ?? user.groupIds, disabling);
      if (row['role_id'] !== undefined || disabling || enabling) await this.treasuryKeys(trx, id);
      await this.ctx.audit({ action: 'user.update', targetType: 'user', targetId: id, details: { name: user.name, ...change, ...(rootGranted.length ? { rootGranted } : {}) } }, trx);
    });
    // After the change is committed (a refused change, e.g. an unknown group, must not withhold the slot): from here
    // the row already says disabled, which unlocking checks, and the slot leaves keyring.json.
    if (disabling) await this.withholdSlot(id);
    if (enabling) await this.restoreSlot(id);
    if (id === this.ctx.user.id) await this.ctx.access.reload(this.ctx.db);
    return (await this.rows({ id }))[0]!;
  }

  /** The treasury keys follow the signed roles (docs/treasury.md « Chiffrement »); audited when they moved. */
  private async treasuryKeys(trx: Knex.Transaction, userId: string): Promise<void> {
    const change = await syncTreasuryKeys(trx, this.ctx.scopes, this.ctx.mutator);
    if (change.epoch !== null || change.granted.length > 0) await this.ctx.audit({ action: 'treasury.keys', targetType: 'user', targetId: userId, details: { ...change } }, trx);
  }

  /**
   * Certifies the public keys now in `userId`'s row after the administrator compared their fingerprint with the person
   * (« clés à confirmer »: keys changed since their certificate — a recovery reset without escrow, or a colleague who
   * wrote their own keys into this row). Needs `users.manage` and the root key; audited as `keys.confirmed` with the
   * fingerprint. The user then receives the root grant their signed role gives, and group keys at the next unlock of a
   * member. Returns the fingerprint certified.
   */
  async confirmKeys(userId: string): Promise<string> {
    this.ctx.access.require('users.manage');
    if (!this.ctx.scopes.root.held) {
      throw new AppError('VALIDATION', "Seul un administrateur qui détient la clé racine de l'association peut confirmer les clés d'un utilisateur : ouvrez une session d'administrateur.");
    }
    const u = (await this.ctx.db('users').where({ id: userId }).whereNull('deleted_at').first('name', 'public_key', 'sign_public_key')) as
      | { name: string; public_key: string | null; sign_public_key: string | null }
      | undefined;
    if (!u) throw new AppError('NOT_FOUND', 'Utilisateur introuvable.');
    if (!u.public_key || !u.sign_public_key) throw new AppError('VALIDATION', `${u.name} n'a pas encore ouvert de session avec cette version : aucune clé à confirmer.`);
    const fingerprint = keyFingerprint(u.public_key, u.sign_public_key);
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.scopes.root.certifyUser(trx, this.ctx.mutator, userId);
      const rootGranted = await this.ctx.scopes.root.syncGrants(trx, this.ctx.mutator);
      await this.treasuryKeys(trx, userId);
      await this.ctx.audit({ action: 'keys.confirmed', targetType: 'user', targetId: userId, details: { name: u.name, fingerprint, ...(rootGranted.length ? { rootGranted } : {}) } }, trx);
    });
    return fingerprint;
  }

  /** Changes the current user's password: checks the current one, re-seals their slot (same keys). Nothing else is re-encrypted. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const keyring = await readKeyring(this.association.dir);
    const { slot, keys } = await openSlot(keyring, this.ctx.user.name, currentPassword).catch(() => {
      throw new AppError('WRONG_CREDENTIALS', 'Le mot de passe actuel est incorrect.');
    });
    // The escrow is re-sealed only to a recovery key the root key signed; otherwise the slot keeps its escrow (same keys).
    const recoveryPublicKey = (await this.trust(keyring)).recoveryPublicKey;
    const fresh = await makeSlot(keyring.associationId, { id: slot.userId, name: slot.userName }, newPassword, this.association.dbKey, this.cost ?? (await calibratedCost()), {
      keys,
      recoveryPublicKey,
      keepEscrowOf: slot,
    });
    await this.saveKeyring((k) => withSlot(k, fresh));
    await this.ctx.audit({ action: 'user.passwordChange', targetType: 'user', targetId: slot.userId, details: fresh.escrowTo ? { escrowTo: fresh.escrowTo } : {} });
  }

  /**
   * Refuses to sign a user row again with the role it holds when that row fails the root signature check: the role
   * may have been written into the database by a colleague, and the administrator's edit (groups, enabling) must not
   * turn it into a signed decision (DESIGN.md "Keys", trust rule; docs/access.md "Signed access decisions"). A role
   * the administrator chooses explicitly (`explicit`: a role change) or a disabling passes. Throws VALIDATION.
   */
  private async refuseUnsignedRole(trx: Knex.Transaction, name: string, id: string, explicit: boolean): Promise<void> {
    if (explicit) return;
    const current = (await trx('users').where({ id }).first('id', 'role_id', 'disabled', 'deleted_at', 'access_rev', 'access_sig')) as SignedRow | undefined;
    const root = this.ctx.scopes.root;
    if (!current || (await verifyAccess(root.publicKey, root.associationId, 'users', current))) return;
    throw new AppError(
      'VALIDATION',
      `Le rôle de « ${name} » inscrit dans la base n'est pas signé par un administrateur (il a pu être modifié hors de l'application) : il n'est pas repris tel quel. ` +
        'Choisissez explicitement un autre rôle pour ce compte et enregistrez ; vous pourrez ensuite lui redonner le rôle voulu.',
    );
  }

  /** keyring.json checked against the root key pinned in the current user's bundle (docs/access.md "Keyring signature"). */
  private trust(keyring: Keyring): Promise<KeyringTrust> {
    return checkKeyring(keyring, this.ctx.scopes.root.publicKey);
  }

  /** Applies `change` to the latest keyring.json (one change at a time: `updateKeyring`). */
  private async saveKeyring(change: (current: Keyring) => Keyring | Promise<Keyring>): Promise<void> {
    this.association.keyring = await updateKeyring(this.association.dir, change);
  }

  private async withholdSlot(id: string): Promise<void> {
    await this.saveKeyring(async (keyring) => {
      const slot = keyring.slots.find((s) => s.userId === id);
      if (!slot) return keyring;
      await this.ctx.db('withheld_slots').insert({ user_id: id, slot: JSON.stringify(slot), withheld_at: this.ctx.clock.now().toISOString() }).onConflict('user_id').merge();
      return { ...keyring, slots: keyring.slots.filter((s) => s.userId !== id) };
    });
  }

  private async restoreSlot(id: string): Promise<void> {
    const row = (await this.ctx.db('withheld_slots').where({ user_id: id }).first('slot')) as { slot: string } | undefined;
    if (!row) return;
    const slot = keySlotSchema.parse(JSON.parse(row.slot));
    await this.saveKeyring((k) => withSlot(k, slot));
    await this.ctx.db('withheld_slots').where({ user_id: id }).delete();
  }

  private async checkNameFree(name: string, exceptRequestId?: string): Promise<void> {
    const users = (await this.ctx.db('users').whereNull('deleted_at').pluck('name')) as string[];
    const keyring = await readKeyring(this.association.dir);
    const requested = keyring.requests.filter((r) => r.id !== exceptRequestId).map((r) => r.userName);
    if ([...users, ...requested].some((n) => sameUserName(n, name))) throw new AppError('ALREADY_EXISTS', `Un utilisateur « ${name} » existe déjà.`);
  }

  private async checkRole(roleId: string): Promise<void> {
    if (!(await this.ctx.db('roles').where({ id: roleId }).whereNull('deleted_at').first('id'))) {
      throw new AppError('VALIDATION', `Rôle inconnu : ${roleId}.`);
    }
  }
}
