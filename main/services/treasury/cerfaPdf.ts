/**
 * The tax receipt as a PDF laid out after CERFA n° 11580*05 « Reçu au titre des dons à certains organismes d'intérêt
 * général » (art. 200, 238 bis and 978 of the Code général des impôts): every field of the form — numéro d'ordre, the
 * beneficiary (name, SIREN or RNA, address, object, kind-of-organisation box), the donor (name, address), the amount
 * in figures and in French words, the date of payment, the boxes of the articles, forme, nature and mode, the place,
 * date and signature line. A cancelled receipt keeps its number and prints « ANNULÉ » across the page and the reason.
 * Drawn with pdf-lib's standard Helvetica (WinAnsi: French accents, « », Œ); one A4 page, a second for a long list of
 * gifts in a yearly (« cumul ») receipt. Pure: data in, bytes out.
 */
import { PDFDocument, StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { amountInWords } from '../../../shared/domain/amountWords';
import { typedDateOf as formatDay } from '../../../shared/domain/dates';
import {
  CGI_ARTICLES,
  GIFT_FORMS,
  GIFT_FORM_LABELS_FR,
  GIFT_NATURES,
  GIFT_NATURE_LABELS_FR,
  ORG_KINDS,
  ORG_KIND_LABELS_FR,
  PAYMENT_BOXES,
  PAYMENT_BOX_LABELS_FR,
  type CgiArticle,
  type GiftForm,
  type GiftNature,
  type OrgKind,
  type PaymentBox,
} from '../../../shared/domain/gift';
import { formatCents } from '../../../shared/domain/money';

const formatEurosPlain = (cents: number) => formatCents(cents, { withSymbol: false });

export interface ReceiptIssuer {
  name: string;
  /** SIREN (9 digits) or RNA (W + 9 digits). */
  sirenOrRna: string;
  address: string;
  postalCode: string;
  city: string;
  object: string;
  orgKind: OrgKind;
  /** Free text after « Autre organisme » or the RUP decree's dates. */
  orgKindDetail: string;
  articles: CgiArticle[];
  signatoryName: string;
  signatoryTitle: string;
  place: string;
}

export interface ReceiptDonor {
  lastName: string;
  firstName: string;
  address: string;
  postalCode: string;
  city: string;
}

export interface ReceiptPdfData {
  number: string;
  /** ISO day of issue. */
  issuedOn: string;
  issuer: ReceiptIssuer;
  donor: ReceiptDonor;
  amountCents: number;
  /** The gifts on the receipt (one, or a year's for a « cumul »): ISO day and cents. */
  gifts: { on: string; amountCents: number }[];
  /** Set for a yearly summary receipt. */
  cumulYear: number | null;
  forms: GiftForm[];
  natures: GiftNature[];
  boxes: PaymentBox[];
  cancelled: { on: string; reason: string } | null;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 42;
const INK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  private room(h: number): void {
    if (this.y - h < MARGIN) {
      this.page = this.doc.addPage(A4);
      this.y = A4[1] - MARGIN;
    }
  }
  /** Wrapped text from x to the right margin. */
  text(s: string, o: { size?: number; bold?: boolean; x?: number; color?: typeof INK } = {}): void {
    const size = o.size ?? 9;
    const font = o.bold ? this.bold : this.font;
    const x = o.x ?? MARGIN;
    const width = A4[0] - MARGIN - x;
    for (const line of wrap(s, font, size, width)) {
      this.room(size + 3);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: o.color ?? INK });
      this.y -= size + 3;
    }
  }
  /** A box, ticked or not, then its label. */
  box(label: string, ticked: boolean, x = MARGIN, size = 8): void {
    this.room(size + 4);
    this.page.drawRectangle({ x, y: this.y - size, width: size, height: size, borderColor: INK, borderWidth: 0.8 });
    if (ticked) this.page.drawText('X', { x: x + 1.3, y: this.y - size + 1.2, size: size - 1, font: this.bold, color: INK });
    const lines = wrap(label, this.font, size, A4[0] - MARGIN - x - size - 6);
    for (const line of lines) {
      this.page.drawText(line, { x: x + size + 5, y: this.y - size, size, font: this.font, color: INK });
      this.y -= size + 3;
    }
  }
  gap(h = 6): void {
    this.y -= h;
  }
  rule(): void {
    this.room(8);
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 2 }, end: { x: A4[0] - MARGIN, y: this.y - 2 }, thickness: 0.6, color: GREY });
    this.y -= 8;
  }
  heading(s: string): void {
    this.gap(4);
    this.text(s, { bold: true, size: 10 });
    this.rule();
  }
}

function wrap(s: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const para of s.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && font.widthOfTextAtSize(next, size) > width) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

/** Characters Helvetica's WinAnsi encoding cannot draw are replaced by « ? » (a name typed in another script). */
function winAnsi(s: string): string {
  return s.replace(/[\u202f\u00a0]/g, ' ').replace(/[’‘]/g, "'").replace(/[^\n\x20-\x7e\u00a0-\u00ffŒœŠšŽžŸ€…–—“”•«»]/g, '?');
}

/** The receipt's PDF bytes. */
export async function receiptPdf(d: ReceiptPdfData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsi(`Reçu fiscal ${d.number}`));
  doc.setSubject("Reçu au titre des dons à certains organismes d'intérêt général (CERFA n° 11580*05)");
  doc.setProducer('Solidariciel');
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  const t = (s: string, o?: Parameters<Writer['text']>[1]) => w.text(winAnsi(s), o);
  const first = w.page;

  t('CERFA n° 11580*05', { size: 8, color: GREY });
  t("Reçu au titre des dons à certains organismes d'intérêt général", { bold: true, size: 14 });
  t('Articles 200, 238 bis et 978 du code général des impôts (CGI)', { size: 9 });
  w.gap(4);
  t(`Numéro d'ordre du reçu : ${d.number}`, { bold: true, size: 11 });

  w.heading('Bénéficiaire des versements');
  t(`Nom ou dénomination : ${d.issuer.name}`);
  t(`SIREN ou RNA : ${d.issuer.sirenOrRna}`);
  t(`Adresse : ${d.issuer.address}, ${d.issuer.postalCode} ${d.issuer.city}`);
  t(`Objet : ${d.issuer.object}`);
  t('Cochez la case concernée :', { size: 8, color: GREY });
  for (const k of ORG_KINDS) {
    const detail = k === d.issuer.orgKind && d.issuer.orgKindDetail ? ` : ${d.issuer.orgKindDetail}` : '';
    w.box(winAnsi(ORG_KIND_LABELS_FR[k] + detail), k === d.issuer.orgKind, MARGIN, 7);
  }

  w.heading('Donateur');
  t(`Nom : ${d.donor.lastName}    Prénoms : ${d.donor.firstName}`);
  t(`Adresse : ${d.donor.address}`);
  t(`Code postal : ${d.donor.postalCode}    Commune : ${d.donor.city}`);

  w.heading('Versement');
  t("Le bénéficiaire reconnaît avoir reçu au titre des dons et versements ouvrant droit à réduction d'impôt, la somme de :");
  t(`${formatEurosPlain(d.amountCents)} euros`, { bold: true, size: 11 });
  t(`Somme en toutes lettres : ${amountInWords(d.amountCents)}`);
  if (d.cumulYear !== null) {
    t(`Reçu récapitulatif (cumul ${d.cumulYear}) : ${d.gifts.length} versement(s) de l'année ${d.cumulYear}.`);
    const days = d.gifts.map((g) => g.on).sort();
    t(`Dates des versements : du ${formatDay(days[0]!)} au ${formatDay(days[days.length - 1]!)} (détail en fin de reçu)`);
  } else t(`Date du versement ou du don : ${formatDay(d.gifts[0]!.on)}`);
  w.gap(2);
  t("Le bénéficiaire certifie sur l'honneur que les dons et versements qu'il reçoit ouvrent droit à la réduction d'impôt prévue à l'article :");
  for (const a of CGI_ARTICLES) w.box(`${a} du CGI`, d.issuer.articles.includes(a));
  t('Forme du don :', { bold: true });
  for (const f of GIFT_FORMS) w.box(winAnsi(GIFT_FORM_LABELS_FR[f]), d.forms.includes(f));
  t('Nature du don :', { bold: true });
  for (const n of GIFT_NATURES) w.box(winAnsi(GIFT_NATURE_LABELS_FR[n]), d.natures.includes(n));
  t('En cas de don en numéraire, mode de versement du don :', { bold: true });
  for (const b of PAYMENT_BOXES) w.box(winAnsi(PAYMENT_BOX_LABELS_FR[b]), d.boxes.includes(b));

  w.gap(8);
  t(`Fait à ${d.issuer.place}, le ${formatDay(d.issuedOn)}`);
  t(`${d.issuer.signatoryName}${d.issuer.signatoryTitle ? `, ${d.issuer.signatoryTitle}` : ''}`);
  t('Signature : ______________________________');

  if (d.cumulYear !== null) {
    w.heading(`Détail des versements (cumul ${d.cumulYear})`);
    for (const g of [...d.gifts].sort((a, b) => a.on.localeCompare(b.on))) t(`${formatDay(g.on)}    ${formatEurosPlain(g.amountCents)} euros`);
  }
  if (d.cancelled) {
    for (const p of doc.getPages()) {
      p.drawText('ANNULÉ', { x: 120, y: 300, size: 110, font: w.bold, color: rgb(0.8, 0, 0), opacity: 0.35, rotate: degrees(35) });
    }
    w.page = first;
    w.y = A4[1] - MARGIN;
    w.text(winAnsi(`ANNULÉ le ${formatDay(d.cancelled.on)} : ${d.cancelled.reason}`), { bold: true, size: 9, x: 300, color: rgb(0.8, 0, 0) });
  }
  return doc.save();
}
