/**
 * The cheque deposit slip (bordereau de remise de chèques) handed to the bank with the cheques: the association and its
 * account, the slip's number and date, one row per cheque (number, bank, drawer, amount), the count and the total,
 * a signature box. A4 portrait PDF built with pdf-lib's standard Helvetica (WinAnsi: French accents, « € »).
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { typedDateOf } from '../../../shared/domain/dates';

export interface SlipCheque {
  chequeNumber: string;
  chequeBank: string;
  drawer: string;
  amountCents: number;
}

export interface DepositSlip {
  associationName: string;
  /** The account the cheques are paid into, as the treasurer typed it (may be ''). */
  accountLabel: string;
  number: string;
  /** `YYYY-MM-DD`. */
  date: string;
  cheques: SlipCheque[];
}

/** 123456 → `1 234,56 €` (plain spaces: the standard fonts have no narrow no-break space). */
export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  const units = String(Math.floor(a / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${units},${String(a % 100).padStart(2, '0')} €`;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const ROW = 18;

/** Cuts `s` so that it fits `width` points in `font` at `size`. */
function fit(s: string, font: PDFFont, size: number, width: number): string {
  let t = s;
  while (t.length > 1 && font.widthOfTextAtSize(t, size) > width) t = t.slice(0, -1);
  return t === s ? s : `${t.slice(0, -1)}…`;
}

/** The slip's PDF bytes. Long lists continue on further pages (the header repeated); the total is on the last. */
export async function depositSlipPdf(slip: DepositSlip): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Bordereau de remise de chèques n° ${slip.number}`);
  doc.setCreator('Solidariciel');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const cols = [MARGIN, MARGIN + 100, MARGIN + 250, MARGIN + 410];
  const text = (page: PDFPage, s: string, x: number, y: number, f = font, size = 10) => page.drawText(s, { x, y, font: f, size, color: rgb(0, 0, 0) });
  let page = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const header = () => {
    text(page, 'Bordereau de remise de chèques', MARGIN, y, bold, 16);
    y -= 24;
    text(page, fit(slip.associationName, font, 11, 495), MARGIN, y, font, 11);
    y -= 16;
    if (slip.accountLabel) {
      text(page, fit(`Compte : ${slip.accountLabel}`, font, 10, 495), MARGIN, y);
      y -= 16;
    }
    text(page, `Remise n° ${slip.number} du ${typedDateOf(slip.date)}`, MARGIN, y);
    y -= 26;
    ['N° du chèque', 'Banque', 'Tireur', 'Montant'].forEach((h, i) => text(page, h, cols[i]!, y, bold));
    y -= 6;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.5 });
    y -= ROW - 4;
  };
  header();
  for (const c of slip.cheques) {
    if (y < MARGIN + 120) {
      page = doc.addPage(A4);
      y = A4[1] - MARGIN;
      header();
    }
    text(page, fit(c.chequeNumber || '—', font, 10, 95), cols[0]!, y);
    text(page, fit(c.chequeBank || '—', font, 10, 145), cols[1]!, y);
    text(page, fit(c.drawer || '—', font, 10, 155), cols[2]!, y);
    const amount = euros(c.amountCents);
    text(page, amount, A4[0] - MARGIN - font.widthOfTextAtSize(amount, 10), y);
    y -= ROW;
  }
  page.drawLine({ start: { x: MARGIN, y: y + ROW - 6 }, end: { x: A4[0] - MARGIN, y: y + ROW - 6 }, thickness: 0.5 });
  const total = euros(slip.cheques.reduce((s, c) => s + c.amountCents, 0));
  text(page, `Nombre de chèques : ${slip.cheques.length}`, MARGIN, y - 4, bold);
  text(page, `Total : ${total}`, A4[0] - MARGIN - bold.widthOfTextAtSize(`Total : ${total}`, 10), y - 4, bold);
  y -= 50;
  text(page, 'Date et signature du remettant :', MARGIN, y);
  page.drawRectangle({ x: MARGIN, y: y - 70, width: 240, height: 60, borderWidth: 0.5, borderColor: rgb(0, 0, 0) });
  return doc.save();
}
