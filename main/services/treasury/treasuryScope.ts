/**
 * The treasury scope (docs/treasury.md « Chiffrement »; DESIGN.md "Keys": a scope for the holders of a permission).
 *
 * Amounts and payment details (amount, method, cheque number and bank, note…) of dues, gifts and entries are readable
 * only by users whose role holds `treasury.read` — not by a social worker, a volunteer, the hub, nor someone opening
 * a decrypted copy of the database. The scope `treasury` has one X25519 key pair per epoch (`scope_key_pairs`,
 * certified by the association root key like a group's) whose secret key is sealed to every **signed** active user
 * whose **signed** role holds `treasury.read` (`scope_key_grants`, main/services/access/verifiedAccess.ts): a role
 * changed in the database by someone without the root key gives no key.
 *
 * - `syncTreasuryKeys` makes the grants follow the signed roles: epoch 1 made by the first root holder (at unlock or
 *   at any role change); users who gained `treasury.read` get every epoch the current user holds (history); a
 *   grantee of the latest epoch who lost it (role changed, disabled, removed) starts a new epoch sealed to the
 *   remaining holders (new content is out of their reach; what they could read before stays readable). Called at
 *   every unlock (main/core/sessionStart.ts) and after every user or role change (usersService, accessService).
 * - `TreasuryScope.sealTreasury(trx, mutator, table, id, fields)` → `{ ciphertext, key_wraps }`: a random record
 *   key encrypts `fields` (JSON, XChaCha20-Poly1305, AD `solidariciel/v1/record/<table>/<id>`), sealed to the latest
 *   certified treasury epoch and to the writer.
 * - `TreasuryScope.openTreasury(table, id, ciphertext, key_wraps)` → fields, or null when the current user holds no
 *   key for it (or it was altered).
 */
import { randomFillSync } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import { seal, wipe } from '../../crypto/aead';
import { fromB64, sealTo, toB64 } from '../../crypto/identity';
import type { Mutator } from '../../db/mutations';
import { recordAd, type KeyWrap, type ScopeKeys, type SealedRecord } from '../access/scopeKeys';
import { verifiedAccess, type VerifiedAccess } from '../access/verifiedAccess';

/** The scope id of the treasury keys in `scope_key_pairs` / `scope_key_grants` / `key_wraps`. */
export const TREASURY_SCOPE = 'treasury';

/** Signed, active users whose signed role holds `treasury.read`: they receive the treasury keys. */
export function treasuryHolders(v: VerifiedAccess): string[] {
  return [...v.activeUsers].filter(([, role]) => v.roles.get(role)?.includes('treasury.read')).map(([id]) => id);
}

/** What `syncTreasuryKeys` did: the epoch made (if any, with why) and the users who received a grant. */
export interface TreasuryKeyChange {
  epoch: number | null;
  reason: 'created' | 'rotated' | null;
  granted: string[];
}

/**
 * Makes the treasury grants follow the signed roles (see the module comment). Needs nothing of the caller but its
 * keys: what it cannot do (no root key to make or rotate an epoch, no epoch held to hand over) waits for someone who
 * can. Returns what changed, for the caller's audit entry.
 */
export async function syncTreasuryKeys(trx: Knex.Transaction, scopes: ScopeKeys, mutator: Mutator): Promise<TreasuryKeyChange> {
  const out: TreasuryKeyChange = { epoch: null, reason: null, granted: [] };
  const holders = treasuryHolders(await verifiedAccess(trx, scopes.root));
  const latest = await scopes.root.latestCertified(trx, TREASURY_SCOPE);
  if (!latest) {
    if (!scopes.root.held) return out;
    out.epoch = await scopes.newEpoch(trx, mutator, TREASURY_SCOPE, holders, 'created');
    out.reason = 'created';
    out.granted = await grantees(trx, out.epoch);
    return out;
  }
  const have = await grantees(trx, latest.epoch);
  if (have.some((u) => !holders.includes(u)) && scopes.root.held) {
    out.epoch = await scopes.newEpoch(trx, mutator, TREASURY_SCOPE, holders, 'rotated');
    out.reason = 'rotated';
  }
  const missing = holders.filter((u) => !have.includes(u));
  if (missing.length > 0 && (await scopes.grantHeld(trx, mutator, TREASURY_SCOPE, missing))) {
    const now = await grantees(trx, latest.epoch);
    out.granted = missing.filter((u) => now.includes(u));
  }
  return out;
}

async function grantees(db: Knex | Knex.Transaction, epoch: number): Promise<string[]> {
  return (await db('scope_key_grants').where({ key_scope: TREASURY_SCOPE, epoch }).whereNull('deleted_at').distinct('user_id').pluck('user_id')) as string[];
}

/** Seals and opens the confidential fields of treasury rows for the treasury scope (module comment). */
export class TreasuryScope {
  constructor(private readonly scopes: ScopeKeys) {}

  /** True when the current user holds a treasury key (they can read sealed amounts). */
  get readable(): boolean {
    return this.scopes.holds(TREASURY_SCOPE);
  }

  /**
   * Encrypts `fields` of the row `table/id` for the treasury holders and the writer. Throws VALIDATION when the
   * treasury has no certified key yet and the current user cannot make it (an administrator must unlock first).
   */
  async sealTreasury(trx: Knex.Transaction, mutator: Mutator, table: string, id: string, fields: Record<string, unknown>): Promise<SealedRecord> {
    let latest = await this.scopes.root.latestCertified(trx, TREASURY_SCOPE);
    if (!latest && this.scopes.root.held) {
      await syncTreasuryKeys(trx, this.scopes, mutator);
      latest = await this.scopes.root.latestCertified(trx, TREASURY_SCOPE);
    }
    if (!latest) throw new AppError('VALIDATION', "La clé de la trésorerie n'est pas encore créée : un administrateur doit ouvrir une session.");
    const key = new Uint8Array(32);
    randomFillSync(key);
    try {
      const wraps: KeyWrap[] = await this.scopes.wrap(trx, mutator, { kind: 'me' }, key);
      wraps.push({ s: TREASURY_SCOPE, e: latest.epoch, k: await toB64(await sealTo(await fromB64(latest.publicKey), key)) });
      const box = await seal(key, new TextEncoder().encode(JSON.stringify(fields)), recordAd(table, id));
      return { ciphertext: JSON.stringify(box), key_wraps: JSON.stringify(wraps) };
    } finally {
      await wipe(key);
    }
  }

  /** The fields sealed by `sealTreasury`, or null when the current user holds no key for them or they were altered. */
  async openTreasury<T extends Record<string, unknown>>(table: string, id: string, ciphertext: string | null, keyWraps: string | null): Promise<T | null> {
    return this.scopes.openRecord<T>(table, id, ciphertext, keyWraps);
  }
}
