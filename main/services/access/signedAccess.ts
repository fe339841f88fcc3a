/**
 * Writing signed access decisions (docs/access.md "Signed access decisions"): every change to a user's role or
 * status, a role's permissions or a group membership is signed by the association root key of the administrator
 * making it, with a fresh revision (an HLC), and written with all its deciding columns at once (so that a per-column
 * merge on another device keeps them together with their signature). Without the root key the change is refused.
 *
 * `adoptUnsigned` signs the rows written before signatures existed, once, at the first unlock of a root holder; that
 * it happened is then kept in every user's sealed bundle (`UserKeys.accessAdopted`), never in the database.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { signAccess, signedColumnsOf, verifyAccess, type SignedRow, type SignedTable } from '../../crypto/accessRecords';
import type { Mutator, Row } from '../../db/mutations';
import { fromB64 } from '../../crypto/identity';
import { parsePermissions } from './access';
import type { RootKey } from './rootKey';

/** The root secret key of the session, or VALIDATION with a French sentence saying who can make this change. */
function rootSecret(root: RootKey): Uint8Array {
  const secret = root.sign;
  if (!secret) {
    throw new AppError('VALIDATION', "Seul un administrateur qui détient la clé racine de l'association peut changer les rôles, les groupes ou le statut des comptes : ouvrez une session d'administrateur.");
  }
  return secret;
}

/** `row` with a fresh revision and its signature (`access_rev`, `access_sig`). Throws VALIDATION without the root key. */
export async function signRow(root: RootKey, mutator: Mutator, table: SignedTable, row: Row): Promise<Row> {
  const secret = rootSecret(root);
  const withRev = { ...row, access_rev: mutator.stamp() };
  return { ...withRev, access_sig: await signAccess(secret, root.associationId, table, withRev) };
}

/**
 * Changes the deciding columns of one existing row (`change` among SIGNED_COLUMNS of `table`), signed, with every
 * deciding column written together. Throws VALIDATION without the root key. Returns false when the row is missing.
 */
export async function updateSigned(trx: Knex.Transaction, mutator: Mutator, root: RootKey, table: SignedTable, id: string, change: Row): Promise<boolean> {
  const current = (await trx(table).where({ id }).first()) as Row | undefined;
  if (!current) return false;
  const signed = await signRow(root, mutator, table, { ...current, ...change });
  const written: Row = {};
  for (const c of signedColumnsOf(table)) written[c] = signed[c] ?? null;
  await mutator.with(trx).update(table, id, { ...change, ...written }, signedColumnsOf(table));
  return true;
}

/** Inserts signed memberships (one id each, made here). Throws VALIDATION without the root key. */
export async function insertMemberships(trx: Knex.Transaction, mutator: Mutator, root: RootKey, rows: { group_id: string; user_id: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const signed: Row[] = [];
  for (const r of rows) signed.push(await signRow(root, mutator, 'group_members', { id: uuidv7(), ...r, deleted_at: null }));
  await mutator.with(trx).insert('group_members', signed);
}

/** Ends a membership: a signed tombstone. Throws VALIDATION without the root key. */
export async function endMembership(trx: Knex.Transaction, mutator: Mutator, root: RootKey, id: string, now: string): Promise<void> {
  await updateSigned(trx, mutator, root, 'group_members', id, { deleted_at: now });
}

/** What adoption did: rows signed, and users left unsigned because their state looked forged. */
export interface Adoption {
  users: number;
  roles: number;
  memberships: number;
  suspicious: { id: string; name: string; reason: 'rootWithoutGrant' | 'slotWithheld' }[];
}

/** True when some user row carries a valid signature of the root `root` trusts (adoption happened: only the root signs). */
export async function accessSigned(db: Knex | Knex.Transaction, root: Pick<RootKey, 'publicKey' | 'associationId'>): Promise<boolean> {
  if (!root.publicKey) return false;
  const users = (await db('users').select('id', 'role_id', 'disabled', 'deleted_at', 'access_rev', 'access_sig')) as SignedRow[];
  for (const u of users) if (await verifyAccess(root.publicKey, root.associationId, 'users', u)) return true;
  return false;
}

/** A crypto_box_seal of a 64-byte Ed25519 secret key: 48 bytes of overhead. */
const SEALED_ROOT_BYTES = 48 + 64;

/** True when `sealed` could be a real root grant (base64 of SEALED_ROOT_BYTES bytes), not a placeholder. */
async function couldBeGrant(sealed: string): Promise<boolean> {
  const bytes = await fromB64(sealed).catch(() => null);
  return bytes !== null && bytes.length === SEALED_ROOT_BYTES;
}

/**
 * Rows written before signed decisions (an association made or last opened by an earlier version): at the first
 * unlock of a root holder — when no user row carries a valid signature yet, and the unlocking user's sealed bundle
 * does not record an adoption (`adoptedBefore`: then unsigned rows are only refused, by name, never signed) — the
 * current state is signed, after a check: an enabled user whose role holds `users.manage` but who has no live root
 * grant that could be real (a role_id changed in the database, never acted on by an administrator; a placeholder
 * grant counts for nothing), or whose slot an administrator withheld (disabled, then enabled again outside the app),
 * is left unsigned, with their memberships, and named in the audit entry. Returns null when there was nothing to
 * adopt (or no root key in this session, or an adoption already recorded).
 */
export async function adoptUnsigned(trx: Knex.Transaction, mutator: Mutator, root: RootKey, adoptedBefore: boolean): Promise<Adoption | null> {
  if (!root.held || adoptedBefore) return null;
  if (await accessSigned(trx, root)) return null;
  const users = (await trx('users').select('id', 'name', 'role_id', 'disabled', 'deleted_at')) as Row[];
  const roles = (await trx('roles').select('id', 'permissions', 'deleted_at')) as Row[];
  const managers = new Set(roles.filter((r) => r['deleted_at'] === null && parsePermissions(r['permissions'] as string).includes('users.manage')).map((r) => r['id']));
  const grantRows = (await trx('root_key_grants').whereNull('deleted_at').select('user_id', 'sealed')) as { user_id: string; sealed: string }[];
  const granted = new Set<string>();
  for (const g of grantRows) if (typeof g.sealed === 'string' && (await couldBeGrant(g.sealed))) granted.add(g.user_id);
  const withheld = new Set((await trx('withheld_slots').pluck('user_id')) as string[]);
  const done: Adoption = { users: 0, roles: 0, memberships: 0, suspicious: [] };
  const refused = new Set<string>();
  for (const u of users) {
    const id = String(u['id']);
    const active = u['deleted_at'] === null && Number(u['disabled']) !== 1;
    const reason = !active ? null : managers.has(u['role_id'] as string) && !granted.has(id) ? 'rootWithoutGrant' : withheld.has(id) ? 'slotWithheld' : null;
    if (reason) {
      done.suspicious.push({ id, name: String(u['name']), reason });
      refused.add(id);
      continue;
    }
    await updateSigned(trx, mutator, root, 'users', id, {});
    done.users++;
  }
  for (const r of roles) {
    await updateSigned(trx, mutator, root, 'roles', String(r['id']), {});
    done.roles++;
  }
  const members = (await trx('group_members').select('id', 'user_id')) as { id: string; user_id: string }[];
  for (const m of members) {
    if (refused.has(m.user_id)) continue;
    await updateSigned(trx, mutator, root, 'group_members', m.id, {});
    done.memberships++;
  }
  return done;
}
