/**
 * Legal holds: reasons the law gives to keep a person's data, which refuse an erasure while they apply
 * (RGPD art. 17-3-b and e: a legal obligation, or the establishment of legal claims). A small registry of checks; each
 * names the hold in a French sentence. Registered by default:
 * - `tax-receipt`: a tax receipt (reçu fiscal, CERFA 11580) issued to the person — the association must keep it
 *   6 years (Livre des procédures fiscales, art. L. 102 B). Receipts do not exist yet in Solidariciel: the check
 *   looks for a `tax_receipts` table and finds nothing until they land.
 * Tests and later features add their own with `registerLegalHold` (docs/erasure.md).
 */
import type { Knex } from 'knex';
import type { LegalHold } from '../../../shared/domain/erasure';

export interface LegalHoldCheck {
  id: string;
  /** The French reason when the hold applies to `personId`, else null. */
  check(db: Knex | Knex.Transaction, personId: string): Promise<string | null>;
}

const taxReceipt: LegalHoldCheck = {
  id: 'tax-receipt',
  async check(db, personId) {
    if (!(await db.schema.hasTable('tax_receipts'))) return null;
    const row = (await db('tax_receipts').where({ person_id: personId }).whereNull('deleted_at').first('id')) as { id: string } | undefined;
    return row ? 'un reçu fiscal a été émis à cette personne : il doit être conservé 6 ans (LPF art. L. 102 B)' : null;
  },
};

const registry = new Map<string, LegalHoldCheck>([[taxReceipt.id, taxReceipt]]);

/** Adds (or replaces) a hold check; returns a function that removes it. */
export function registerLegalHold(hold: LegalHoldCheck): () => void {
  registry.set(hold.id, hold);
  return () => {
    if (registry.get(hold.id) === hold) registry.delete(hold.id);
  };
}

/** The holds that apply to `personId` now (empty: erasure allowed). */
export async function legalHoldsOf(db: Knex | Knex.Transaction, personId: string): Promise<LegalHold[]> {
  const out: LegalHold[] = [];
  for (const hold of registry.values()) {
    const reason = await hold.check(db, personId);
    if (reason) out.push({ id: hold.id, reason });
  }
  return out;
}
