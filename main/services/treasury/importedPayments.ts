/**
 * Payments found in an imported HelloAsso export become dues payments (docs/treasury.md « HelloAsso »; issue 10 §2).
 *
 * - One payment per line with a « Référence commande »: its `source` is `helloasso:<référence>` (the n-th line of
 *   the same reference in the file: `helloasso:<référence>#n`), and a source already recorded (live) is skipped, so
 *   importing the same export again records nothing new.
 * - Lines whose « Statut du paiement » is not a success (Remboursé, Refusé, Annulé…) and gifts (a « Type » or
 *   « Campagne » naming a don) are left out: gifts belong to the gifts and receipts feature.
 * - The tariff (« Campagne », then « Tarif » / « Formule » when the export has one: `Adhésion 2026 › Réduit`) is
 *   mapped once to a fee type (`fee_tariffs`, source `helloasso`) and remembered. A tariff never seen is recorded
 *   unmapped — and mapped at once when the association has exactly one fee type; an unmapped tariff is reported
 *   once in the warnings, and its lines are recorded by a later import, once mapped (Trésorerie › Cotisations).
 *   An association with no fee type at all keeps no dues here: nothing is recorded, nothing is said.
 * - A tax receipt issued by HelloAsso (a column « Reçu fiscal », « Numéro de reçu », « Attestation »… with a value
 *   other than empty / non / false) is kept in `dues_payments.external_receipt` as `helloasso:<value>`.
 * Needs `treasury.write` (the import itself needs `people.import`): without it no payment is recorded and the
 * report says so in a warning.
 */
import type { Knex } from 'knex';
import type { ImportWarning } from '../../../shared/domain/imports';
import type { FeeTariff } from '../../../shared/domain/dues';
import { AppError } from '../../../shared/domain/errors';
import type { ServiceContext } from '../context';
import { DuesService } from './duesService';
import { helloAssoColumns, type PaidLine } from './helloAssoLines';

export type { PaidLine } from './helloAssoLines';
import { feeTypeById, feeTypeRows } from './feeTypes';

export const HELLOASSO = 'helloasso';


/**
 * Records the payments of `lines` (module comment) inside the import's transaction. Returns how many were recorded
 * and the warnings for lines left out (unmapped tariff, no amount or date).
 */
export async function recordImportedPayments(trx: Knex.Transaction, ctx: ServiceContext, headers: readonly string[], lines: readonly PaidLine[]): Promise<{ payments: number; warnings: ImportWarning[] }> {
  const warnings: ImportWarning[] = [];
  if (lines.length === 0) return { payments: 0, warnings };
  if (!ctx.access.has('treasury.write')) {
    return { payments: 0, warnings: [{ line: lines[0]!.line, field: 'amount', message: 'Paiements non enregistrés : il faut le droit « enregistrer cotisations, dons et écritures » (treasury.write).' }] };
  }
  const { col, cell, succeeded, isGift, externalReceipt: receiptOf } = helloAssoColumns(headers);
  // An association that keeps no dues here (no fee type yet) imports people only; a later import records them.
  if (col.reference < 0 || (await feeTypeRows(trx)).length === 0) return { payments: 0, warnings };
  const dues = new DuesService(ctx);
  const seen = new Map<string, number>();
  const unmapped = new Set<string>();
  let payments = 0;
  for (const l of lines) {
    const reference = cell(l, col.reference);
    if (!reference) continue;
    const n = (seen.get(reference) ?? 0) + 1;
    seen.set(reference, n);
    const source = `${HELLOASSO}:${reference}${n > 1 ? `#${n}` : ''}`;
    if (!succeeded(l) || isGift(l)) continue;
    if (await trx('dues_payments').where({ source }).whereNull('deleted_at').first('id')) continue;
    const tariff = [cell(l, col.campaign), cell(l, col.tariff)].filter(Boolean).join(' › ') || 'HelloAsso';
    const mapped = await tariffMapping(trx, ctx, tariff);
    if (!mapped) {
      if (unmapped.has(tariff)) continue;
      unmapped.add(tariff);
      warnings.push({ line: l.line, field: 'amount', message: `Paiement non enregistré : le tarif « ${tariff} » (cette ligne et les suivantes) n’est associé à aucun type de cotisation : associez-le dans Trésorerie › Cotisations, puis importez de nouveau le fichier.` });
      continue;
    }
    if (!l.payment.amountCents || !l.payment.date) {
      warnings.push({ line: l.line, field: 'amount', message: 'Paiement non enregistré : montant ou date du paiement absent.' });
      continue;
    }
    const receipt = receiptOf(l);
    const externalReceipt = receipt === null ? null : `${HELLOASSO}:${receipt}`;
    const fee = await feeTypeById(trx, mapped.feeTypeId);
    const category = mapped.category && fee?.amounts[mapped.category] !== undefined ? mapped.category : fee ? (Object.entries(fee.amounts).find(([, a]) => a === l.payment.amountCents)?.[0] ?? undefined) : undefined;
    await dues.pay({ personId: l.personId, feeTypeId: mapped.feeTypeId, paidOn: l.payment.date, amountCents: l.payment.amountCents, method: 'helloasso', note: `HelloAsso, commande ${reference}`, ...(category ? { category } : {}) }, source, externalReceipt, trx);
    payments++;
  }
  return { payments, warnings };
}

/** The fee type a tariff pays; records an unseen tariff (mapped at once when there is exactly one fee type). */
async function tariffMapping(trx: Knex.Transaction, ctx: ServiceContext, tariff: string): Promise<{ feeTypeId: string; category: string | null } | null> {
  const row = (await trx('fee_tariffs').where({ source: HELLOASSO, tariff }).whereNull('deleted_at').first('id', 'fee_type_id', 'category')) as { id: string; fee_type_id: string; category: string | null } | undefined;
  if (row?.fee_type_id && (await feeTypeById(trx, row.fee_type_id))) return { feeTypeId: row.fee_type_id, category: row.category };
  const fees = await feeTypeRows(trx);
  const only = fees.length === 1 ? fees[0]!.id : '';
  if (!row) await ctx.mutator.with(trx).insert('fee_tariffs', [{ source: HELLOASSO, tariff, fee_type_id: only, category: null }]);
  else if (only) await ctx.mutator.with(trx).update('fee_tariffs', row.id, { fee_type_id: only });
  if (only) await ctx.audit({ action: 'dues.tariffMap', targetType: 'fee_type', targetId: only, details: { source: HELLOASSO, tariff, automatic: true } }, trx);
  return only ? { feeTypeId: only, category: null } : null;
}

/** Every imported tariff and its fee type (null: not mapped yet). `treasury.read`. */
export async function listTariffs(ctx: ServiceContext): Promise<FeeTariff[]> {
  ctx.access.require('treasury.read');
  const rows = (await ctx.db('fee_tariffs').whereNull('deleted_at').orderBy('tariff').select('source', 'tariff', 'fee_type_id', 'category')) as { source: string; tariff: string; fee_type_id: string; category: string | null }[];
  return rows.map((r) => ({ source: r.source, tariff: r.tariff, feeTypeId: r.fee_type_id || null, category: r.category }));
}

/** Maps an imported tariff to a fee type (and category), remembered for every later import. `treasury.write`; audited. */
export async function mapTariff(ctx: ServiceContext, input: { source: string; tariff: string; feeTypeId: string; category?: string | undefined }): Promise<void> {
  ctx.access.require('treasury.write');
  await ctx.db.transaction(async (trx) => {
    const fee = await feeTypeById(trx, input.feeTypeId);
    if (!fee) throw new AppError('NOT_FOUND', 'Type de cotisation introuvable.');
    if (input.category && fee.amounts[input.category] === undefined) throw new AppError('VALIDATION', `Catégorie « ${input.category} » inconnue pour « ${fee.name} ».`);
    const m = ctx.mutator.with(trx);
    const row = (await trx('fee_tariffs').where({ source: input.source, tariff: input.tariff }).whereNull('deleted_at').first('id')) as { id: string } | undefined;
    const values = { fee_type_id: fee.id, category: input.category ?? null };
    if (row) await m.update('fee_tariffs', row.id, values);
    else await m.insert('fee_tariffs', [{ source: input.source, tariff: input.tariff, ...values }]);
    await ctx.audit({ action: 'dues.tariffMap', targetType: 'fee_type', targetId: fee.id, details: { source: input.source, tariff: input.tariff, category: input.category ?? null } }, trx);
  });
}
