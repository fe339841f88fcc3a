/**
 * Tax receipts (reçus fiscaux, CERFA n° 11580*05; art. 200, 238 bis and 978 CGI; docs/treasury.md « Dons et reçus
 * fiscaux »):
 * - `issue`: one receipt for one gift, or a yearly summary (« cumul YYYY ») of a donor's gifts of that year not yet
 *   on a receipt. The number is given in the transaction that writes the receipt and marks its gifts
 *   (receiptNumbering.ts): a gift is never on two live receipts. What the receipt says (donor, beneficiary, gifts,
 *   boxes, amount) is sealed in the row at issue, so a reprint shows the same receipt even after the donor's record
 *   or the settings changed. `treasury.issueReceipts`.
 * - `cancel`: never a deletion; the number stays, the PDF prints « ANNULÉ » and the reason, the gifts may go on a
 *   new receipt. `treasury.issueReceipts`.
 * - `list`, `summary` (art. 222 bis CGI: count and total of the receipts issued in a year, cancelled ones excluded),
 *   `pdf`: `treasury.read`. Every issue, cancel and print is in the audit trail.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { paymentBox, type ReceiptSummary, type TaxReceipt } from '../../../shared/domain/gift';
import { parseReceiptNumber } from '../../../shared/domain/receiptNumber';
import { today, type ServiceContext } from '../context';
import { receiptPdf, type ReceiptDonor, type ReceiptIssuer, type ReceiptPdfData } from './cerfaPdf';
import { GIFTS, GiftsService, receiptable, revokedDevices, type GiftRow, type GiftSecret } from './giftsService';
import { insertNumbered, localDeviceId } from './receiptNumbering';
import { readReceiptSettings, requireComplete } from './receiptSettings';
import { TreasuryScope } from './treasuryScope';

export const RECEIPTS = 'tax_receipts';

/** What a receipt says, sealed in its row at issue. */
interface ReceiptSecret {
  amountCents: number;
  donor: ReceiptDonor;
  issuer: ReceiptIssuer;
  gifts: { id: string; on: string; amountCents: number }[];
  forms: ReceiptPdfData['forms'];
  natures: ReceiptPdfData['natures'];
  boxes: ReceiptPdfData['boxes'];
  cancelReason?: string;
}

interface ReceiptRow {
  id: string;
  person_id: string;
  number: string;
  year: number;
  kind: 'gift' | 'yearly';
  issued_on: string;
  status: 'issued' | 'cancelled';
  cancelled_on: string | null;
  ciphertext: string;
  key_wraps: string;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

export class ReceiptsService {
  private readonly treasury: TreasuryScope;
  private readonly gifts: GiftsService;
  constructor(private readonly ctx: ServiceContext) {
    this.treasury = new TreasuryScope(ctx.scopes);
    this.gifts = new GiftsService(ctx);
  }

  /**
   * Issues a receipt for `{ giftId }` or `{ personId, year }` (cumul). Returns its id and number.
   * @throws AppError FORBIDDEN, NOT_FOUND, VALIDATION (settings incomplete, donor's address missing, gift already
   * receipted or receipted by HelloAsso, gift recorded on another PC, nothing to summarise).
   */
  async issue(req: { giftId: string } | { personId: string; year: number }): Promise<{ id: string; number: string }> {
    this.ctx.access.require('treasury.issueReceipts');
    const settings = await readReceiptSettings(this.ctx.db);
    requireComplete(settings);
    const deviceId = await localDeviceId(this.ctx.db);
    const issuedOn = today(this.ctx.clock);
    const id = uuidv7();
    const out = await this.ctx.db.transaction(async (trx) => {
      const revoked = await revokedDevices(trx);
      const rows = await this.giftsFor(trx, req);
      const refused = rows.filter((g) => !receiptable(g, deviceId, revoked));
      if ('giftId' in req && refused.length > 0) throw new AppError('VALIDATION', refusal(refused[0]!));
      const gifts = rows.filter((g) => receiptable(g, deviceId, revoked));
      if (gifts.length === 0) {
        throw new AppError('VALIDATION', 'year' in req ? `Aucun don de ${req.year} à récapituler pour cette personne (déjà sur un reçu, reçu émis par HelloAsso, ou enregistré sur un autre poste).` : 'Aucun don à reçu.');
      }
      const personId = gifts[0]!.person_id;
      const donor = await this.donor(trx, personId);
      const opened: (GiftSecret & { id: string; on: string })[] = [];
      for (const g of gifts) {
        const s = await this.gifts.open(g);
        if (!s) throw new AppError('FORBIDDEN', "Vous ne détenez pas la clé de la trésorerie : le montant du don n'est pas lisible.");
        opened.push({ ...s, id: g.id, on: g.given_on });
      }
      const secret: ReceiptSecret = {
        amountCents: opened.reduce((sum, g) => sum + g.amountCents, 0),
        donor,
        issuer: settings,
        gifts: opened.map((g) => ({ id: g.id, on: g.on, amountCents: g.amountCents })),
        forms: uniq(opened.map((g) => g.form)),
        natures: uniq(opened.map((g) => g.nature)),
        boxes: uniq(opened.filter((g) => g.nature === 'cash').map((g) => paymentBox(g.method))),
      };
      const m = this.ctx.mutator.with(trx);
      const n = await insertNumbered(trx, m, deviceId, Number(issuedOn.slice(0, 4)), id, async () => ({
        person_id: personId,
        kind: 'giftId' in req ? 'gift' : 'yearly',
        issued_on: issuedOn,
        status: 'issued',
        cancelled_on: null,
        ...(await this.treasury.sealTreasury(trx, m, RECEIPTS, id, { ...secret })),
        created_by: this.ctx.user.id,
      }));
      for (const g of gifts) await m.update(GIFTS, g.id, { receipt_id: id });
      await this.ctx.audit({ action: 'receipt.issue', targetType: 'person', targetId: personId, details: { number: n.number, gifts: gifts.length } }, trx);
      return { id, number: n.number };
    });
    return out;
  }

  private async giftsFor(trx: Knex.Transaction, req: { giftId: string } | { personId: string; year: number }): Promise<GiftRow[]> {
    if ('giftId' in req) {
      const g = (await trx(GIFTS).where({ id: req.giftId }).whereNull('deleted_at').first()) as GiftRow | undefined;
      if (!g) throw new AppError('NOT_FOUND', `Don introuvable (${req.giftId}).`);
      return [g];
    }
    if (!(await trx('people').where({ id: req.personId }).whereNull('deleted_at').first('id'))) throw new AppError('NOT_FOUND', `Donateur introuvable (personne ${req.personId}).`);
    return (await trx(GIFTS)
      .where({ person_id: req.personId })
      .whereNull('deleted_at')
      .where('given_on', '>=', `${req.year}-01-01`)
      .where('given_on', '<=', `${req.year}-12-31`)
      .orderBy('given_on')) as GiftRow[];
  }

  private async donor(trx: Knex.Transaction, personId: string): Promise<ReceiptDonor> {
    const p = (await trx('people').where({ id: personId }).first('first_name', 'last_name', 'address_line', 'postal_code', 'city')) as
      | { first_name: string; last_name: string; address_line: string | null; postal_code: string | null; city: string | null }
      | undefined;
    if (!p) throw new AppError('NOT_FOUND', `Donateur introuvable (personne ${personId}).`);
    const name = `${p.first_name} ${p.last_name}`.trim();
    if (!p.address_line || !p.postal_code || !p.city) throw new AppError('VALIDATION', `Adresse du donateur incomplète (${name}) : le reçu fiscal doit porter son adresse, code postal et commune. Complétez sa fiche.`);
    return { lastName: p.last_name, firstName: p.first_name, address: p.address_line, postalCode: p.postal_code, city: p.city };
  }

  private async row(number: string): Promise<ReceiptRow> {
    const parsed = parseReceiptNumber(number);
    const r = parsed ? ((await this.ctx.db(RECEIPTS).where({ number: number.trim().toUpperCase() }).first()) as ReceiptRow | undefined) : undefined;
    if (!r) throw new AppError('NOT_FOUND', `Reçu fiscal introuvable : « ${number} ».`);
    return r;
  }

  private async open(r: ReceiptRow): Promise<ReceiptSecret | null> {
    return (await this.treasury.openTreasury<Record<string, unknown>>(RECEIPTS, r.id, r.ciphertext, r.key_wraps)) as ReceiptSecret | null;
  }

  /**
   * Cancels a receipt: status `cancelled`, the day and the reason; the number is kept and its gifts may go on a new
   * receipt. @throws AppError FORBIDDEN, NOT_FOUND, VALIDATION (already cancelled).
   */
  async cancel(number: string, reason: string): Promise<TaxReceipt> {
    this.ctx.access.require('treasury.issueReceipts');
    const r = await this.row(number);
    if (r.status === 'cancelled') throw new AppError('VALIDATION', `Le reçu ${r.number} est déjà annulé.`);
    const secret = await this.open(r);
    if (!secret) throw new AppError('FORBIDDEN', "Vous ne détenez pas la clé de la trésorerie : ce reçu n'est pas lisible.");
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const sealed = await this.treasury.sealTreasury(trx, m, RECEIPTS, r.id, { ...secret, cancelReason: reason.trim() });
      await m.update(RECEIPTS, r.id, { status: 'cancelled', cancelled_on: today(this.ctx.clock), ...sealed });
      for (const g of secret.gifts) {
        const cur = (await trx(GIFTS).where({ id: g.id }).first('receipt_id')) as { receipt_id: string | null } | undefined;
        if (cur?.receipt_id === r.id) await m.update(GIFTS, g.id, { receipt_id: null });
      }
      await this.ctx.audit({ action: 'receipt.cancel', targetType: 'person', targetId: r.person_id, details: { number: r.number, reason: reason.trim() } }, trx);
    });
    return this.toReceipt(await this.row(r.number));
  }

  private async toReceipt(r: ReceiptRow): Promise<TaxReceipt> {
    const p = (await this.ctx.db('people').where({ id: r.person_id }).first('first_name', 'last_name')) as { first_name: string; last_name: string } | undefined;
    const s = await this.open(r);
    return {
      id: r.id,
      number: r.number,
      personId: r.person_id,
      personName: p ? `${p.first_name} ${p.last_name}`.trim() : '',
      kind: r.kind,
      year: r.year,
      issuedOn: r.issued_on,
      status: r.status,
      cancelledOn: r.cancelled_on,
      amountCents: s?.amountCents ?? null,
    };
  }

  /** The receipts numbered in `year`, by number. @throws AppError FORBIDDEN. */
  async list(year: number): Promise<TaxReceipt[]> {
    this.ctx.access.require('treasury.read');
    const rows = (await this.ctx.db(RECEIPTS).where({ year }).whereNull('deleted_at').orderBy(['series', 'seq'])) as ReceiptRow[];
    const out: TaxReceipt[] = [];
    for (const r of rows) out.push(await this.toReceipt(r));
    return out;
  }

  /**
   * Art. 222 bis CGI: the number of receipts issued in `year` and their total in cents, cancelled ones excluded.
   * @throws AppError FORBIDDEN (no `treasury.read`, or amounts not readable with the keys held).
   */
  async summary(year: number): Promise<ReceiptSummary> {
    const items = (await this.list(year)).filter((r) => r.status === 'issued');
    if (items.some((r) => r.amountCents === null)) throw new AppError('FORBIDDEN', "Vous ne détenez pas la clé de la trésorerie : les montants des reçus ne sont pas lisibles.");
    return { year, count: items.length, totalCents: items.reduce((s, r) => s + (r.amountCents ?? 0), 0) };
  }

  /** The receipt's PDF (audited as printed). @throws AppError FORBIDDEN, NOT_FOUND. */
  async pdf(number: string): Promise<{ fileName: string; pdf: Uint8Array }> {
    this.ctx.access.require('treasury.read');
    const r = await this.row(number);
    const s = await this.open(r);
    if (!s) throw new AppError('FORBIDDEN', "Vous ne détenez pas la clé de la trésorerie : ce reçu n'est pas lisible.");
    const pdf = await receiptPdf({
      number: r.number,
      issuedOn: r.issued_on,
      issuer: s.issuer,
      donor: s.donor,
      amountCents: s.amountCents,
      gifts: s.gifts,
      cumulYear: r.kind === 'yearly' ? Number(s.gifts[0]!.on.slice(0, 4)) : null,
      forms: s.forms,
      natures: s.natures,
      boxes: s.boxes,
      cancelled: r.status === 'cancelled' ? { on: r.cancelled_on ?? r.issued_on, reason: s.cancelReason ?? '' } : null,
    });
    await this.ctx.audit({ action: 'receipt.print', targetType: 'person', targetId: r.person_id, details: { number: r.number } });
    return { fileName: `recu-fiscal-${r.number}.pdf`, pdf };
  }
}

function refusal(g: GiftRow): string {
  if (g.external_receipt) return 'Ce don a déjà son reçu fiscal, émis par HelloAsso : un second reçu est refusé.';
  if (g.receipt_id) return 'Ce don figure déjà sur un reçu fiscal : un don ne va jamais sur deux reçus.';
  return "Ce don a été enregistré sur un autre poste : c'est ce poste qui émet son reçu (sa série de numéros), tant qu'il n'est pas révoqué.";
}
