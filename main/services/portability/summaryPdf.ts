/**
 * The readable summary of a person's export (`resume.pdf`, docs/portability.md): identity, memberships and groups,
 * consents, tasks, the notes the exporting user may read, and the list of papers. A4, Helvetica (pdf-lib's standard
 * fonts encode WinAnsi: a character outside it is printed as « ? »), lines wrapped at the page width, new pages as
 * needed.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { DOCUMENT_TYPE_LABELS_FR } from '../../../shared/domain/document';
import type { PersonExport } from '../../../shared/domain/portability';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

const KIND_FR: Record<string, string> = { member: 'adhérent·e', volunteer: 'bénévole', beneficiary: 'personne accompagnée' };
const STATUS_FR: Record<string, string> = { todo: 'à faire', in_progress: 'en cours', done: 'faite' };

/** dd/mm/yyyy of an ISO date or instant. */
const fr = (iso: string | null) => (iso ? iso.slice(0, 10).split('-').reverse().join('/') : '—');

/** Writes lines top to bottom on A4 pages, wrapping at the page width and adding pages as needed (also reminder letters). */
export class Writer {
  private page: PDFPage;
  private y = A4[1] - MARGIN;
  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(A4);
  }

  private safe(text: string, font: PDFFont): string {
    const set = new Set(font.getCharacterSet());
    return [...text.replace(/[\r\t]/g, ' ')].map((c) => (set.has(c.codePointAt(0) as number) ? c : '?')).join('');
  }

  private wrap(text: string, font: PDFFont, size: number): string[] {
    const width = A4[0] - 2 * MARGIN;
    const out: string[] = [];
    for (const para of this.safe(text, font).split('\n')) {
      let line = '';
      for (const word of para.split(' ')) {
        const next = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
        else {
          out.push(line);
          line = word;
        }
      }
      out.push(line);
    }
    return out;
  }

  line(text: string, opts: { size?: number; bold?: boolean; gap?: number } = {}): void {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    for (const l of this.wrap(text, font, size)) {
      if (this.y < MARGIN + size) {
        this.page = this.doc.addPage(A4);
        this.y = A4[1] - MARGIN;
      }
      this.page.drawText(l, { x: MARGIN, y: this.y - size, size, font, color: rgb(0.1, 0.1, 0.1) });
      this.y -= size * 1.4;
    }
    this.y -= opts.gap ?? 0;
  }

  heading(text: string): void {
    this.y -= 8;
    this.line(text, { size: 13, bold: true, gap: 2 });
  }

  /** Leaves `points` of blank space. */
  space(points: number): void {
    this.y -= points;
  }

  /** Starts a new page (one letter per person). */
  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
}

/** The summary PDF's bytes. `data` is the export's JSON content (already what the user may read). */
export async function summaryPdf(data: PersonExport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Données de ${data.person.firstName} ${data.person.lastName}`);
  doc.setCreator('Solidariciel');
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  const p = data.person;
  w.line(`${p.firstName} ${p.lastName}`, { size: 18, bold: true, gap: 4 });
  w.line(`Export de ses données par ${data.source.association} (${data.source.exportedBy}), le ${fr(data.exportedAt)}.`);
  w.line('Ce document résume les données enregistrées ; le fichier personne.json les contient sous une forme lisible par un autre logiciel.', { size: 9 });
  w.heading('Identité');
  const rows: [string, string | null][] = [
    ['Civilité', p.civility],
    ['Date de naissance', p.birthDate ? fr(p.birthDate) : null],
    ['Courriel', p.email],
    ['Téléphone', [p.phone, p.phone2].filter(Boolean).join(', ') || null],
    ['Adresse', [p.addressLine, [p.postalCode, p.city].filter(Boolean).join(' '), p.country].filter(Boolean).join(', ') || null],
    ['Statut', p.kinds.map((k) => KIND_FR[k] ?? k).join(', ') || null],
    ['Numéro d’adhérent', p.memberNumber],
    ['Adhésion', p.membershipStart || p.membershipEnd ? `du ${fr(p.membershipStart)} au ${fr(p.membershipEnd)}` : null],
    ['Compétences', p.skills],
    ['Disponibilités', p.availability],
    ['Remarques', p.notes],
  ];
  for (const [label, value] of rows) if (value) w.line(`${label} : ${value}`);
  w.heading('Groupes');
  w.line(data.groups.length ? data.groups.join(', ') : 'Aucun.');
  w.heading('Consentements');
  if (data.consents.length === 0) w.line('Aucun.');
  for (const c of data.consents) w.line(`${c.purpose} — donné le ${fr(c.givenOn)}${c.withdrawnOn ? `, retiré le ${fr(c.withdrawnOn)}` : ''}`);
  w.heading('Tâches');
  if (data.tasks.length === 0) w.line('Aucune.');
  for (const t of data.tasks) w.line(`${t.title} (${STATUS_FR[t.status] ?? t.status}${t.dueDate ? `, échéance ${fr(t.dueDate)}` : ''})${t.description ? ` : ${t.description}` : ''}`);
  w.heading('Notes de suivi');
  if (data.notes.length === 0) w.line('Aucune note lisible par la personne qui a fait l’export.');
  for (const n of data.notes) {
    w.line(`${fr(n.createdAt)} — ${n.authorName}`, { bold: true });
    w.line(n.text, { gap: 4 });
  }
  w.heading('Pièces du coffre-fort');
  if (data.papers.length === 0) w.line('Aucune.');
  for (const d of data.papers) w.line(`${d.title ?? DOCUMENT_TYPE_LABELS_FR[d.type]} — ${d.pages} page(s)${d.expiresOn ? `, expire le ${fr(d.expiresOn)}` : ''} : ${d.file}`);
  return doc.save();
}
