/** Fee type rows (`fee_types`, migration 0100) ⇄ domain, read with the stored JSON checked (DESIGN.md "Boundaries"). */
import type { Knex } from 'knex';
import { feeAmounts, feePeriod, type FeeType } from '../../../shared/domain/dues';

export interface FeeTypeRow {
  id: string;
  name: string;
  amounts: string;
  period: string;
}

type Db = Knex | Knex.Transaction;

/** Live fee types by name (`withDeleted`: tombstoned ones too, to name old payments). */
export async function feeTypeRows(db: Db, withDeleted = false): Promise<FeeTypeRow[]> {
  const q = db('fee_types').orderBy('name').select('id', 'name', 'amounts', 'period');
  if (!withDeleted) q.whereNull('deleted_at');
  return (await q) as FeeTypeRow[];
}

/** One fee type, or null (unknown, deleted unless `withDeleted`). */
export async function feeTypeById(db: Db, id: string, withDeleted = false): Promise<FeeType | null> {
  const q = db('fee_types').where({ id });
  if (!withDeleted) q.whereNull('deleted_at');
  const row = (await q.first('id', 'name', 'amounts', 'period')) as FeeTypeRow | undefined;
  return row ? rowToFeeType(row) : null;
}

/** A row as a FeeType; damaged JSON or period (written by another version, or by hand) reads as no amount / `once`. */
export function rowToFeeType(r: FeeTypeRow): FeeType {
  let amounts: Record<string, number> = {};
  try {
    const parsed = feeAmounts.safeParse(JSON.parse(r.amounts));
    if (parsed.success) amounts = parsed.data;
  } catch {
    // left empty
  }
  const period = feePeriod.safeParse(r.period);
  return { id: r.id, name: r.name, amounts, period: period.success ? period.data : 'once' };
}
