/**
 * The FEC (fichier des écritures comptables), art. L47 A-I and A.47 A-1 of the Livre des procédures fiscales: one
 * line per accounting line, the 18 columns of art. A.47 A-1 in their order with a header line, a tab separator,
 * dates AAAAMMJJ, amounts with a decimal comma and no thousands separator, records ended by CR LF, the file named
 * `<SIREN>FEC<AAAAMMJJ>.txt` (AAAAMMJJ: the closing date of the financial year). Every entry must be balanced
 * (total debit = total credit); `fecText` refuses one that is not. Encoding: ISO 8859-15, one of those the BOI-CF-IOR-
 * 60-40-20 accepts (`fecBytes`).
 */
import iconv from 'iconv-lite';
import { AppError } from '../../../shared/domain/errors';

/** The 18 columns of art. A.47 A-1 LPF, in their order. */
export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

/** One line of an entry: an account and either a debit or a credit, in cents (≥ 0). */
export interface FecLine {
  account: string;
  accountLabel: string;
  debitCents: number;
  creditCents: number;
}

/** One entry (écriture): dates `YYYY-MM-DD`; `num` its number in the file's continuous sequence. */
export interface FecEntry {
  journalCode: string;
  journalLabel: string;
  num: string;
  date: string;
  pieceRef: string;
  pieceDate: string;
  label: string;
  validDate: string;
  lines: FecLine[];
}

/** `2026-03-05` → `20260305` (AAAAMMJJ). */
export function fecDate(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new AppError('VALIDATION', `FEC : date invalide « ${iso} » (AAAA-MM-JJ attendu).`);
  return iso.replaceAll('-', '');
}

/** 12345 → `123,45`; 0 → `0,00` (decimal comma, no thousands separator). */
export function fecAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new AppError('VALIDATION', `FEC : montant invalide (${cents} centimes).`);
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

/** A field's text: tabs and line breaks become spaces (they would split a column or a record), trimmed. */
export function fecText(value: string): string {
  return value.replace(/[\t\r\n]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The file name of art. A.47 A-1: `<SIREN>FEC<AAAAMMJJ>.txt`. Throws VALIDATION for a SIREN that is not 9 digits. */
export function fecFileName(siren: string, closingDate: string): string {
  if (!/^\d{9}$/.test(siren)) throw new AppError('VALIDATION', `SIREN invalide « ${siren} » : 9 chiffres attendus.`);
  return `${siren}FEC${fecDate(closingDate)}.txt`;
}

/**
 * The FEC's text: the header line then one record per line of each entry, in the order given (the caller sorts them
 * chronologically). Throws VALIDATION naming the entry when one is not balanced or has fewer than two lines.
 */
export function fecContent(entries: readonly FecEntry[]): string {
  const records: string[] = [FEC_COLUMNS.join('\t')];
  for (const e of entries) {
    const debit = e.lines.reduce((s, l) => s + l.debitCents, 0);
    const credit = e.lines.reduce((s, l) => s + l.creditCents, 0);
    if (e.lines.length < 2 || debit !== credit || debit === 0) {
      throw new AppError('VALIDATION', `FEC : l’écriture ${e.num} du ${e.date} n’est pas équilibrée (débit ${fecAmount(debit)}, crédit ${fecAmount(credit)}).`);
    }
    for (const l of e.lines) {
      records.push(
        [
          e.journalCode,
          e.journalLabel,
          e.num,
          fecDate(e.date),
          l.account,
          l.accountLabel,
          '',
          '',
          e.pieceRef || e.num,
          fecDate(e.pieceDate),
          e.label,
          fecAmount(l.debitCents),
          fecAmount(l.creditCents),
          '',
          '',
          fecDate(e.validDate),
          '',
          '',
        ]
          .map(fecText)
          .join('\t'),
      );
    }
  }
  return `${records.join('\r\n')}\r\n`;
}

/** `text` encoded in ISO 8859-15 (typographic quotes and dashes first folded to their ASCII forms). */
export function fecBytes(text: string): Buffer {
  const folded = text.replace(/[’‘]/g, "'").replace(/[«»“”]/g, '"').replace(/[–—]/g, '-').replace(/[\u00a0\u202f]/g, ' ');
  return iconv.encode(folded, 'iso-8859-15');
}
