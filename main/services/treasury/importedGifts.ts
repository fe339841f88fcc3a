/**
 * Gifts found in an imported HelloAsso export (docs/treasury.md « HelloAsso »): the lines the dues import leaves out
 * because their « Type » or « Campagne » names a don become gifts, so that the receipts screen knows them and never
 * issues a second receipt for one HelloAsso already receipted.
 *
 * - Source `helloasso:<Référence commande>` (the n-th line of one reference: `#n`), numbered over every line of the
 *   file as the dues import numbers them; a source already recorded (live) is skipped: importing the same export
 *   again records nothing new.
 * - Only successful payments (« Statut du paiement » payé, validé…); amount and date must be there (else a warning).
 * - A « Reçu fiscal » / « Numéro de reçu » / « Attestation » cell other than empty / non / false: HelloAsso issued
 *   the receipt → `external_receipt = 1`, never receipted here.
 * - Paid online: method `card`, form « don manuel », nature « numéraire ».
 * Needs `treasury.write`; runs inside the import's transaction, called by the import next to the dues'
 * `recordImportedPayments` (main/services/imports/importService.ts).
 */
import type { Knex } from 'knex';
import type { ImportWarning } from '../../../shared/domain/imports';
import type { ServiceContext } from '../context';
import { GIFTS, GiftsService } from './giftsService';
import { helloAssoColumns, type PaidLine } from './helloAssoLines';


/** Records the gift lines of `lines` in `trx`. Returns how many gifts were recorded and the warnings. */
export async function recordImportedGifts(trx: Knex.Transaction, ctx: ServiceContext, headers: readonly string[], lines: readonly PaidLine[]): Promise<{ gifts: number; warnings: ImportWarning[] }> {
  const warnings: ImportWarning[] = [];
  const { col, cell, succeeded, isGift, externalReceipt } = helloAssoColumns(headers);
  if (col.reference < 0 || lines.length === 0) return { gifts: 0, warnings };
  if (!lines.some(isGift)) return { gifts: 0, warnings };
  if (!ctx.access.has('treasury.write')) {
    return { gifts: 0, warnings: [{ line: lines.find(isGift)!.line, field: 'amount', message: 'Dons non enregistrés : il faut le droit « enregistrer cotisations, dons et écritures » (treasury.write).' }] };
  }
  const service = new GiftsService(ctx);
  const seen = new Map<string, number>();
  let gifts = 0;
  for (const l of lines) {
    const reference = cell(l, col.reference);
    if (!reference) continue;
    const n = (seen.get(reference) ?? 0) + 1;
    seen.set(reference, n);
    if (!isGift(l)) continue;
    if (!succeeded(l)) continue;
    const source = `helloasso:${reference}${n > 1 ? `#${n}` : ''}`;
    if (await trx(GIFTS).where({ source }).whereNull('deleted_at').first('id')) continue;
    if (!l.payment.amountCents || !l.payment.date) {
      warnings.push({ line: l.line, field: 'amount', message: 'Don non enregistré : montant ou date du paiement absent.' });
      continue;
    }
    await service.add({ personId: l.personId, amountCents: l.payment.amountCents, givenOn: l.payment.date, method: 'card', form: 'manual', nature: 'cash' }, { source, externalReceipt: externalReceipt(l) !== null }, trx);
    gifts++;
  }
  return { gifts, warnings };
}
