/**
 * Bank statements exported as CSV by French banks (docs/treasury.md « Relevés bancaires »): `;` separator (`,` and tab
 * also recognised), a few lines before the table (account number, period, balance) that are skipped, dates
 * dd/mm/yyyy (also dd/mm/yy and yyyy-mm-dd), amounts with a decimal comma and spaces or dots as thousands
 * separators, either one signed « Montant » column or « Débit » / « Crédit » columns. Text encoding detected as for
 * imports (UTF-8 with or without BOM, Windows-1252). A line that cannot be read gets a French message naming its
 * number; the others are kept.
 */
import type { StatementError, StatementLine } from '../../../shared/domain/ledger';
import { isCalendarDay } from '../../../shared/domain/dates';
import { decodeText, looksBinary } from '../imports/encoding';
import { detectSeparator, parseCsvRecords } from '../imports/csv';
import { chequeNumberIn } from './statementText';

export interface ParsedStatement {
  lines: (StatementLine & { line: number })[];
  errors: StatementError[];
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

interface Columns {
  date: number;
  labels: number[];
  amount: number | null;
  debit: number | null;
  credit: number | null;
  cheque: number | null;
}

/** Finds the columns in a header row, or null when the row is not a statement's header. */
function columnsOf(cells: string[]): Columns | null {
  const names = cells.map(fold);
  const find = (test: (n: string) => boolean) => {
    const i = names.findIndex(test);
    return i < 0 ? null : i;
  };
  const date = find((n) => /^date( d(e l)? ?operation| operation| comptable)?$/.test(n)) ?? find((n) => n.startsWith('date') && !n.includes('valeur'));
  const amount = find((n) => (n.startsWith('montant') || n === 'amount') && !n.includes('franc'));
  const debit = find((n) => n.startsWith('debit'));
  const credit = find((n) => n.startsWith('credit'));
  const labels = names.flatMap((n, i) => (/^(libelle|label|detail|intitule|nature|description|memo)/.test(n) ? [i] : []));
  const cheque = find((n) => /(cheque|chq)/.test(n) && !n.startsWith('montant'));
  if (date === null || labels.length === 0) return null;
  if (amount === null && (debit === null || credit === null)) return null;
  return { date, labels, amount, debit, credit, cheque };
}

/** `31/12/2026`, `31/12/26`, `31-12-2026`, `2026-12-31` → `2026-12-31`; anything else → null. */
export function statementDate(text: string): string | null {
  const s = text.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  let [y, mo, d] = [0, 0, 0];
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  if (!isCalendarDay(y, mo, d)) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A bank's amount in cents: `-1 234,56`, `1.234,56`, `+12,5`, `12,50 €`, `1234.56` (a lone dot followed by one or
 * two digits is a decimal point); '' → 0; anything else → null.
 */
export function statementAmount(text: string): number | null {
  let s = text.replace(/[\s\u00a0\u202f]/g, '').replace(/(€|EUR)$/i, '');
  if (s === '') return 0;
  let sign = 1;
  if (/^[-−]/.test(s)) [sign, s] = [-1, s.slice(1)];
  else if (s.startsWith('+')) s = s.slice(1);
  if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replaceAll('.', '');
  else if (/^\d+\.\d{1,2}$/.test(s)) s = s.replace('.', ',');
  const m = /^(\d+)(?:,(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? sign * cents : null;
}

/**
 * Reads a CSV bank statement. Throws nothing for a bad line (it lands in `errors` with its number); returns one
 * error at line 0 when the file has no recognisable header (« Date », « Libellé », « Montant » or « Débit »/« Crédit »).
 */
export function parseStatementCsv(bytes: Uint8Array): ParsedStatement {
  const { text } = decodeText(bytes);
  if (looksBinary(text)) return { lines: [], errors: [{ line: 0, message: 'Ce fichier n’est pas un relevé CSV lisible (contenu binaire).' }] };
  // The lines above the table (account, period) often have fewer `;`: detect the separator on the header itself.
  const rawLines = text.replace(/\r\n?/g, '\n').split('\n');
  const headerIndex = rawLines.findIndex((l) => columnsOf(l.split(detectSeparator(l))) !== null);
  if (headerIndex < 0) {
    return { lines: [], errors: [{ line: 0, message: 'En-tête du relevé introuvable : il faut des colonnes « Date », « Libellé » et « Montant » (ou « Débit » et « Crédit »).' }] };
  }
  const separator = detectSeparator(rawLines[headerIndex]!);
  const records = parseCsvRecords(rawLines.slice(headerIndex).join('\n'), separator);
  const cols = columnsOf(records[0]!.cells)!;
  const out: ParsedStatement = { lines: [], errors: [] };
  for (const r of records.slice(1)) {
    const line = r.line + headerIndex;
    const cell = (i: number | null) => (i === null ? '' : (r.cells[i] ?? '').trim());
    if (r.cells.every((c) => c.trim() === '')) continue;
    const dateText = cell(cols.date);
    const amountTexts = cols.amount !== null ? [cell(cols.amount)] : [cell(cols.debit), cell(cols.credit)];
    // A footer (« Solde au 31/12/2026 ; 1 234,56 ») has no date in the date column: not an operation.
    if (dateText === '' && /^(solde|total)/i.test(r.cells.find((c) => c.trim() !== '')?.trim() ?? '')) continue;
    const date = statementDate(dateText);
    if (!date) {
      out.errors.push({ line, message: `Ligne ${line} : date illisible « ${dateText} » (jj/mm/aaaa attendu). Ligne ignorée.` });
      continue;
    }
    const amounts = amountTexts.map(statementAmount);
    const bad = amounts.findIndex((a) => a === null);
    if (bad >= 0) {
      out.errors.push({ line, message: `Ligne ${line} : montant illisible « ${amountTexts[bad]} » (ex. 1 234,56 attendu). Ligne ignorée.` });
      continue;
    }
    const amountCents = cols.amount !== null ? amounts[0]! : Math.abs(amounts[1]!) - Math.abs(amounts[0]!);
    if (amountCents === 0) {
      out.errors.push({ line, message: `Ligne ${line} : montant absent ou nul. Ligne ignorée.` });
      continue;
    }
    const label = cols.labels.map(cell).filter((s) => s !== '').join(' ').replace(/\s+/g, ' ');
    out.lines.push({ line, date, amountCents, label, chequeNumber: cell(cols.cheque).replace(/\D/g, '') || chequeNumberIn(label), bankId: '' });
  }
  return out;
}
