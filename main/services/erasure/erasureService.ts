/**
 * Erasing a person (RGPD art. 17, docs/erasure.md): their record, notes, tasks, consents, group placements, papers
 * and the papers' blobs are removed; each paper's key goes with its row (crypto-shredding: a copy holding only the
 * ciphertext — the hub, an old backup's vault — can no longer open it); the register of erased ids travels by sync
 * and the hub deletes the blobs. Administrators only (`users.manage`), two-step: the caller types the person's name.
 * Refused while a legal hold applies (legalHolds.ts). The audit trail records who erased whom (the id) and when,
 * with counts, never the erased data. Archiving (people:archive) stays the soft option.
 */
import { AppError } from '../../../shared/domain/errors';
import type { EraseResult, LegalHold } from '../../../shared/domain/erasure';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { eraseRecords, reapplyErasures, type ErasureEntry } from '../../db/erasure';
import type { Mutator } from '../../db/mutations';
import { VAULT_DIR } from '../association/associationStore';
import { BlobStore } from '../../vault/blobStore';
import type { ServiceContext } from '../context';
import { legalHoldsOf } from './legalHolds';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** The person's name as the confirmation must spell it: « Prénom Nom » (accents, case and spaces do not matter). */
export function confirmationName(p: { first_name: string; last_name: string }): string {
  return `${p.first_name} ${p.last_name}`.replace(/\s+/g, ' ').trim();
}

export class ErasureService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly vaultDir: string,
  ) {}

  private async person(personId: string): Promise<{ first_name: string; last_name: string }> {
    const p = (await this.ctx.db('people').where({ id: personId }).first('first_name', 'last_name')) as { first_name: string; last_name: string } | undefined;
    if (!p) throw new AppError('NOT_FOUND', `Personne introuvable (id ${personId}) : déjà effacée, ou jamais enregistrée ici.`);
    return p;
  }

  /** The legal holds that would refuse this person's erasure now. Throws FORBIDDEN, NOT_FOUND. */
  async holds(personId: string): Promise<LegalHold[]> {
    this.ctx.access.require('users.manage');
    await this.person(personId);
    return legalHoldsOf(this.ctx.db, personId);
  }

  /**
   * Erases the person. `confirmName` must be their « Prénom Nom » (second step of the confirmation).
   * @throws AppError FORBIDDEN (not an administrator), NOT_FOUND, VALIDATION (the name typed differs), LEGAL_HOLD.
   */
  async erase(personId: string, confirmName: string): Promise<EraseResult> {
    this.ctx.access.require('users.manage');
    const p = await this.person(personId);
    if (fold(confirmName) !== fold(confirmationName(p))) {
      throw new AppError('VALIDATION', 'Confirmation refusée : le nom tapé ne correspond pas à celui de la personne. Rien n’a été effacé.');
    }
    const holds = await legalHoldsOf(this.ctx.db, personId);
    if (holds.length > 0) {
      throw new AppError('LEGAL_HOLD', `Effacement refusé tant qu’une obligation de conservation s’applique : ${holds.map((h) => h.reason).join(' ; ')}. Vous pouvez archiver la personne.`);
    }
    const erasedAt = this.ctx.clock.now().toISOString();
    const removed = await this.ctx.db.transaction(async (trx) => {
      const r = await eraseRecords(trx, [personId], this.ctx.mutator, erasedAt);
      await this.ctx.audit({ action: 'person.erase', targetType: 'person', targetId: personId, details: { counts: r.counts } }, trx);
      return r;
    });
    await removeBlobs(this.vaultDir, removed.blobNames);
    return { personId, counts: removed.counts, papers: removed.blobNames.length };
  }
}

/** Deletes erased papers' blobs from a vault folder (missing ones are fine). */
export async function removeBlobs(vaultDir: string, names: readonly string[]): Promise<void> {
  const store = new BlobStore(vaultDir);
  for (const name of names) await store.remove(name);
}


/**
 * Re-applies erasures to an association restored from a backup (the backup feature's afterRestore hook): the register
 * `entries` (from the live database, the destination's `erasures.json`, or both) is merged into the restored database,
 * every record it names is removed, and the erased papers' blobs leave `associationDir/vault`.
 * `mutator`: the restored session's, so the register travels again when the folder re-joins a hub (optional).
 */
export async function reapplyErasuresToAssociation(db: Knex, associationDir: string, entries: readonly ErasureEntry[], mutator: Mutator | null = null): Promise<{ removed: number; papers: number }> {
  const r = await reapplyErasures(db, entries, mutator);
  await removeBlobs(join(associationDir, VAULT_DIR), r.blobNames);
  return { removed: r.removed, papers: r.blobNames.length };
}
