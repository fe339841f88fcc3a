/**
 * Turns the rows of a `RawTable` into people ready to be matched and stored, with a French error per rejected
 * row and a French warning per value left empty. Pure: no database, no clock (today is given).
 */
import { AppError } from '../../../shared/domain/errors';
import type { ColumnMapping, ImportField, ImportIssue, ImportWarning } from '../../../shared/domain/imports';
import { personInput } from '../../../shared/domain/person';
import type { PersonInput, PersonInputDraft, PersonKind } from '../../../shared/domain/person';
import { isoIfValid, parseFrenchDate } from './dates';
import type { DateKind } from './dates';
import { cleanName, splitFullNameLastFirst } from './names';
import { collapseSpaces } from './text';
import type { ImportRecord, NormalizeOptions, NormalizeResult, RawRow, RawTable } from './types';
import { normalizeEmail, normalizePhone, normalizePostalCode, parseAmountCents, parseCivility } from './values';
import type { Parsed } from './values';

/** French names of the fields, as used in warnings. */
const LABELS: Record<string, string> = {
  civility: 'civilité',
  firstName: 'prénom',
  lastName: 'nom',
  birthDate: 'date de naissance',
  email: 'adresse e-mail',
  phone: 'téléphone',
  phone2: 'second téléphone',
  addressLine: 'adresse',
  postalCode: 'code postal',
  city: 'ville',
  country: 'pays',
  memberNumber: 'numéro d’adhérent',
  membershipStart: 'date d’adhésion',
  membershipEnd: 'date de fin d’adhésion',
  notes: 'commentaire',
  amount: 'montant',
  paymentDate: 'date du paiement',
  kinds: 'catégorie',
};

const quote = (v: string) => {
  const s = collapseSpaces(v);
  return `« ${s.length > 60 ? `${s.slice(0, 59)}…` : s} »`;
};

/** Free text kept on one line: each line trimmed and collapsed, lines joined with `, `; empty → null. */
function oneLine(v: string): string | null {
  const s = v
    .split(/\r\n|\r|\n/)
    .map(collapseSpaces)
    .filter((l) => l !== '')
    .join(', ');
  return s === '' ? null : s;
}

/** Multi-line text (notes): line ends unified to `\n`, trimmed; empty → null. */
function multiLine(v: string): string | null {
  const s = v.replace(/\r\n?/g, '\n').trim();
  return s === '' ? null : s;
}

/** Normalises one row; returns the record, or null after pushing an error. */
function normalizeRow(
  row: RawRow,
  columns: ColumnMapping,
  options: Required<NormalizeOptions>,
  errors: ImportIssue[],
  warnings: ImportWarning[],
): ImportRecord | null {
  const { line } = row;
  const get = (field: ImportField): string => {
    for (let i = 0; i < columns.length; i++) {
      const cell = row.cells[i] ?? '';
      if (columns[i] === field && cell.trim() !== '') return cell;
    }
    return '';
  };
  const warn = (field: string, raw: string, why = 'invalide') =>
    warnings.push({ line, field, message: `Ligne ${line} : ${LABELS[field] ?? field} ${quote(raw)} ${why}, champ laissé vide.` });
  const take = <T>(field: string, raw: string, parsed: Parsed<T>): T | null => {
    if (parsed.ok) return parsed.value;
    warn(field, raw);
    return null;
  };
  const date = (field: ImportField, kind: DateKind): string | null => {
    const raw = get(field);
    const value = take(field, raw, parseFrenchDate(raw, kind, options.today));
    if (value !== null && kind === 'birth' && value > options.today) {
      warn(field, raw, 'dans le futur');
      return null;
    }
    return value;
  };

  const split = splitFullNameLastFirst(get('fullNameLastFirst'));
  const lastName = cleanName(get('lastName')) || split.lastName;
  const firstName = cleanName(get('firstName')) || split.firstName;
  if (lastName === '' && firstName === '') {
    errors.push({ line, message: `Ligne ${line} : nom et prénom absents, ligne ignorée.` });
    return null;
  }
  const country = oneLine(get('country'));
  const draft: PersonInputDraft = {
    civility: take('civility', get('civility'), parseCivility(get('civility'))),
    firstName,
    lastName,
    birthDate: date('birthDate', 'birth'),
    email: take('email', get('email'), normalizeEmail(get('email'))),
    phone: take('phone', get('phone'), normalizePhone(get('phone'))),
    phone2: take('phone2', get('phone2'), normalizePhone(get('phone2'))),
    addressLine: oneLine(get('addressLine')),
    postalCode: normalizePostalCode(get('postalCode'), country),
    city: oneLine(get('city')),
    country,
    memberNumber: oneLine(get('memberNumber')),
    kinds: options.defaultKinds,
    membershipStart: date('membershipStart', 'event'),
    membershipEnd: date('membershipEnd', 'event'),
    notes: multiLine(get('notes')),
  };
  const person = checkPerson(draft, line, warnings);
  if (!person) {
    errors.push({ line, message: `Ligne ${line} : personne refusée par les règles de saisie, ligne ignorée.` });
    return null;
  }
  const hasPayment = columns.includes('amount') || columns.includes('paymentDate');
  const amountCents = take('amount', get('amount'), parseAmountCents(get('amount')));
  const paymentDate = date('paymentDate', 'event');
  const payment = hasPayment && (amountCents !== null || paymentDate !== null) ? { date: paymentDate, amountCents } : null;
  return { line, person, payment };
}

/**
 * Runs `personInput` on the draft; each field it still refuses becomes a warning and is emptied (names are cut
 * to 200 characters, kinds reset to `member`), then it is checked again. Null if it cannot be made valid.
 */
function checkPerson(draft: PersonInputDraft, line: number, warnings: ImportWarning[]): PersonInput | null {
  const current: Record<string, unknown> = { ...draft };
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = personInput.safeParse(current);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const field = String(issue.path[0] ?? '');
      const raw = typeof current[field] === 'string' ? (current[field] as string) : '';
      warnings.push({ line, field, message: `Ligne ${line} : ${LABELS[field] ?? field} ${quote(raw)} refusé (${issue.message}), champ corrigé.` });
      if (field === 'firstName' || field === 'lastName') current[field] = raw.slice(0, 200);
      else if (field === 'kinds') current[field] = ['member'];
      else current[field] = null;
    }
  }
  return null;
}

/**
 * Normalises every row of `table` with the confirmed `columns` mapping.
 *
 * Per row (`line` as in the file): names trimmed, ALL-CAPS names title-cased, `fullNameLastFirst` split
 * (explicit last/first-name columns win); no name at all → an error and no record. Dates (`parseFrenchDate`;
 * two-digit birth years never after `today`, other dates nearest to `today`), e-mail (lower-case), phones
 * (`06 10 86 90 00`), civility and amounts (integer cents) are parsed; an invalid or future-birth value is left
 * null with a warning `{ line, field, message }`. Every person passes `personInput.parse`; `kinds` is
 * `defaultKinds` (default `['member']`). `payment` is set when an amount or payment-date column is mapped and the
 * row has one of them. When two columns carry the same field, the first non-empty cell wins.
 *
 * @throws AppError `VALIDATION` when `options.today` is not a `YYYY-MM-DD` date or `columns` has not one entry
 *   per header.
 */
export function normalizeRecords(table: RawTable, columns: ColumnMapping, options: NormalizeOptions): NormalizeResult {
  const [y, m, d] = options.today.split('-').map(Number);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.today) || !isoIfValid(y ?? 0, m ?? 0, d ?? 0)) {
    throw new AppError('VALIDATION', `Date du jour invalide : ${options.today} (AAAA-MM-JJ attendu).`);
  }
  if (columns.length !== table.headers.length) {
    throw new AppError(
      'VALIDATION',
      `Le choix des colonnes compte ${columns.length} colonnes, le fichier en a ${table.headers.length}.`,
    );
  }
  const defaultKinds: PersonKind[] = [...new Set<PersonKind>(options.defaultKinds ?? ['member'])];
  const errors: ImportIssue[] = [];
  const warnings: ImportWarning[] = [];
  const records: ImportRecord[] = [];
  for (const row of table.rows) {
    const record = normalizeRow(row, columns, { today: options.today, defaultKinds }, errors, warnings);
    if (record) records.push(record);
  }
  return { rows: table.rows.length, records, errors, warnings };
}
