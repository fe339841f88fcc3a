/**
 * Renewal reminders (relances, docs/treasury.md « Relances »): a CSV for a mail merge (`;`-separated, UTF-8 with a
 * BOM so that spreadsheet programs read accents, one line per person) and a letter per person in one PDF (pdf-lib,
 * A4, a page each). Both need `treasury.read` and are audited (`dues.remindersExport`: format, count, never names).
 * The amount shown is the fee type's public tariff, never what the person paid.
 */
import Papa from 'papaparse';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { AppError } from '../../../shared/domain/errors';
import { DUES_STATUS_LABELS_FR, type DuesStatus, type FeeType, type PersonDues } from '../../../shared/domain/dues';
import { centsToInput, formatCents } from '../../../shared/domain/money';
import { typedDateOf as formatDateFr } from '../../../shared/domain/dates';
import { today, type ServiceContext } from '../context';
import { Writer } from '../portability/summaryPdf';
import { DuesService } from './duesService';
import { feeTypeRows, rowToFeeType } from './feeTypes';

interface Address {
  id: string;
  civility: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
}

export class Reminders {
  private readonly dues: DuesService;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly associationName: string,
  ) {
    this.dues = new DuesService(ctx);
  }

  /** The CSV of the people whose status is one of `statuses` (default: due soon and late). */
  async csv(statuses: readonly DuesStatus[] = ['due_soon', 'late']): Promise<{ fileName: string; csv: string }> {
    this.ctx.access.require('treasury.read');
    const people = (await this.dues.list()).filter((p) => statuses.includes(p.status));
    const addresses = await this.addresses(people.map((p) => p.personId));
    const fees = await this.lastFees(people.map((p) => p.personId));
    const rows = people.map((p) => {
      const a = addresses.get(p.personId);
      const fee = fees.get(p.personId);
      const amount = fee ? Object.values(fee.amounts)[0] : undefined;
      return [p.lastName, p.firstName, a?.civility ?? '', p.email ?? '', p.phone ?? '', a?.address_line ?? '', a?.postal_code ?? '', a?.city ?? '', DUES_STATUS_LABELS_FR[p.status], p.paidUntil ? formatDateFr(p.paidUntil) : '', fee?.name ?? '', amount !== undefined ? centsToInput(amount) : ''];
    });
    const header = ['Nom', 'Prénom', 'Civilité', 'Courriel', 'Téléphone', 'Adresse', 'Code postal', 'Ville', 'Statut', 'Payé jusqu’au', 'Cotisation', 'Montant'];
    const csv = `\ufeff${Papa.unparse([header, ...rows], { delimiter: ';', newline: '\r\n', quotes: false })}\r\n`;
    await this.ctx.audit({ action: 'dues.remindersExport', targetType: 'association', targetId: null, details: { format: 'csv', count: people.length, statuses } });
    return { fileName: `relances-cotisations-${today(this.ctx.clock)}.csv`, csv };
  }

  /** One letter per person of `personIds` (those the user may see), in the order given. Throws VALIDATION when none. */
  async letters(personIds: readonly string[]): Promise<{ fileName: string; pdf: Uint8Array }> {
    this.ctx.access.require('treasury.read');
    const byId = new Map((await this.dues.list()).map((p) => [p.personId, p]));
    const people = [...new Set(personIds)].map((id) => byId.get(id)).filter((p): p is PersonDues => p !== undefined);
    if (people.length === 0) throw new AppError('VALIDATION', 'Aucune personne à relancer parmi celles choisies.');
    const addresses = await this.addresses(people.map((p) => p.personId));
    const fees = await this.lastFees(people.map((p) => p.personId));
    const doc = await PDFDocument.create();
    doc.setTitle('Relances de cotisation');
    doc.setCreator('Solidariciel');
    const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
    const day = formatDateFr(today(this.ctx.clock));
    people.forEach((p, i) => {
      if (i > 0) w.newPage();
      const a = addresses.get(p.personId);
      w.line(this.associationName, { size: 14, bold: true, gap: 24 });
      w.line([a?.civility, p.firstName, p.lastName].filter(Boolean).join(' '));
      if (a?.address_line) w.line(a.address_line);
      if (a?.postal_code || a?.city) w.line([a.postal_code, a.city].filter(Boolean).join(' '));
      w.space(24);
      w.line(`Le ${day}`, { gap: 16 });
      w.line('Objet : renouvellement de votre cotisation', { bold: true, gap: 12 });
      w.line(`${a?.civility ? `${a.civility} ${p.lastName}` : `Bonjour ${p.firstName} ${p.lastName}`},`, { gap: 8 });
      w.line(letterBody(p, fees.get(p.personId)), { gap: 8 });
      w.line('Vous pouvez régler au bureau de l’association (espèces, chèque à son ordre) ou par virement. Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce courrier.', { gap: 16 });
      w.line('Avec nos remerciements pour votre soutien,', { gap: 24 });
      w.line(`Le trésorier ou la trésorière — ${this.associationName}`);
    });
    await this.ctx.audit({ action: 'dues.remindersExport', targetType: 'association', targetId: null, details: { format: 'pdf', count: people.length } });
    return { fileName: `lettres-relance-${today(this.ctx.clock)}.pdf`, pdf: await doc.save() };
  }

  private async addresses(ids: readonly string[]): Promise<Map<string, Address>> {
    const out = new Map<string, Address>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = (await this.ctx.db('people').whereIn('id', ids.slice(i, i + 500)).select('id', 'civility', 'address_line', 'postal_code', 'city')) as Address[];
      for (const r of rows) out.set(r.id, r);
    }
    return out;
  }

  /** The fee type of each person's latest payment (what they are asked to renew). */
  private async lastFees(ids: readonly string[]): Promise<Map<string, FeeType>> {
    const fees = new Map((await feeTypeRows(this.ctx.db)).map((r) => [r.id, rowToFeeType(r)]));
    const out = new Map<string, FeeType>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = (await this.ctx.db('dues_payments').whereIn('person_id', ids.slice(i, i + 500)).whereNull('deleted_at').orderBy('covers_from').select('person_id', 'fee_type_id')) as { person_id: string; fee_type_id: string }[];
      for (const r of rows) {
        const fee = fees.get(r.fee_type_id);
        if (fee) out.set(r.person_id, fee);
      }
    }
    return out;
  }
}

/** The paragraph saying where the person stands. */
function letterBody(p: PersonDues, fee: FeeType | undefined): string {
  const what = fee ? `votre cotisation « ${fee.name} »` : 'votre cotisation';
  const price = fee && Object.keys(fee.amounts).length > 0 ? ` Son montant est de ${Object.entries(fee.amounts).map(([c, a]) => `${formatCents(a)} (${c})`).join(', ')}.` : '';
  if (p.status === 'late' && p.paidUntil) return `Sauf erreur de notre part, ${what} est arrivée à échéance le ${formatDateFr(p.paidUntil)}. Nous vous invitons à la renouveler.${price}`;
  if (p.status === 'due_soon' && p.paidUntil) return `${capital(what)} arrive à échéance le ${formatDateFr(p.paidUntil)}. Pensez à la renouveler pour rester adhérent·e.${price}`;
  if (p.status === 'never') return `Sauf erreur de notre part, nous n’avons pas encore reçu ${what}.${price}`;
  return `Nous vous remercions de ${what}.${price}`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
