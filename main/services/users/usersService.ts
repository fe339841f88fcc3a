/**
 * Users who log in to the association. Each has a row in `users` and a key slot in keyring.json sealing the
 * database key under their own password. Only administrators add users (roles and groups: the access-rights issue).
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import type { User } from '../../../shared/domain/user';
import { calibratedCost, type KdfCost } from '../../crypto/kdf';
import { makeSlot, openSlot, readKeyring, sameUserName, withSlot, writeKeyring } from '../../crypto/keyring';
import type { OpenAssociation } from '../association/associationStore';
import type { ServiceContext } from '../context';

interface UserRow {
  id: string;
  name: string;
  display_name: string;
  is_admin: number;
  disabled: number;
}

const fromRow = (r: UserRow): User => ({ id: r.id, name: r.name, displayName: r.display_name, isAdmin: r.is_admin === 1, disabled: r.disabled === 1 });

export class UsersService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly association: OpenAssociation,
    private readonly cost?: KdfCost,
  ) {}

  async list(): Promise<User[]> {
    const rows = (await this.ctx.db('users').whereNull('deleted_at').orderBy('name').select('*')) as UserRow[];
    return rows.map(fromRow);
  }

  /**
   * Adds a user with their own password (administrators only). Throws FORBIDDEN, ALREADY_EXISTS (same name,
   * case-insensitive). The key slot is written before the row, so a crash leaves at worst an unused slot.
   */
  async add(input: { name: string; displayName?: string | undefined; password: string; isAdmin: boolean }): Promise<string> {
    if (!this.ctx.user.isAdmin) throw new AppError('FORBIDDEN', 'Seul un administrateur peut ajouter un utilisateur.');
    const existing = await this.list();
    if (existing.some((u) => sameUserName(u.name, input.name))) {
      throw new AppError('ALREADY_EXISTS', `Un utilisateur « ${input.name} » existe déjà.`);
    }
    const id = uuidv7();
    const slot = await makeSlot(this.association.associationId, { id, name: input.name }, input.password, this.association.dbKey, this.cost ?? (await calibratedCost()));
    // No user row has this name (checked above), so a slot with it is an orphan of an interrupted addition: drop it,
    // or unlock could pick the stale slot.
    const current = await readKeyring(this.association.dir);
    const keyring = withSlot({ ...current, slots: current.slots.filter((s) => !sameUserName(s.userName, input.name)) }, slot);
    await writeKeyring(this.association.dir, keyring);
    this.association.keyring = keyring;
    await this.ctx.mutator.insert('users', [{ id, name: input.name, display_name: input.displayName || input.name, is_admin: input.isAdmin ? 1 : 0, disabled: 0 }]);
    return id;
  }

  /** Changes the current user's password: checks the current one, re-seals their slot. Nothing else is re-encrypted. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const keyring = await readKeyring(this.association.dir);
    const { slot } = await openSlot(keyring, this.ctx.user.name, currentPassword).catch(() => {
      throw new AppError('WRONG_CREDENTIALS', 'Le mot de passe actuel est incorrect.');
    });
    const fresh = await makeSlot(keyring.associationId, { id: slot.userId, name: slot.userName }, newPassword, this.association.dbKey, this.cost ?? (await calibratedCost()));
    const next = withSlot(keyring, fresh);
    await writeKeyring(this.association.dir, next);
    this.association.keyring = next;
  }
}
