/**
 * Turns the rows of a `RawTable` into people ready to be matched and stored, with a French error per rejected
 * row and a French warning per value left empty. Pure: no database, no clock (today is given).
 */
import { AppError } from '../../../shared/domain/errors';
import type { ColumnMapping, ImportField, ImportIssue, ImportWarning } from '../../../shared/domain/imports';
import { PERSON_KINDS, personInput } from '../../../shared/domain/person';
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

/** For each field, the indexes of the columns mapped to it, in file order. */
type FieldColumns = Partial<Record<ImportField, number[]>>;

/** Normalises one row; returns the record, or null after pushing an error. */
function normalizeRow(
  row: RawRow,
  fieldColumns: FieldColumns,
  hasPayment: boolean,
  options: Required<NormalizeOptions>,
  errors: ImportIssue[],
  warnings: ImportWarning[],
): ImportRecord | null {
  const { line } = row;
  const get = (field: ImportField): string => {
    const indexes = fieldColumns[field];
    if (indexes === undefined) return '';
    for (const i of indexes) {
      const cell = row.cells[i] ?? '';
      if (cell.trim() !== '') return cell;
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
  const civilityRaw = get('civility');
  const emailRaw = get('email');
  const phoneRaw = get('phone');
  const phone2Raw = get('phone2');
  // Every key of personInput, in its order (the order zod would give: mergeFill reports changed fields in it).
  const draft: PersonInput = {
    civility: take('civility', civilityRaw, parseCivility(civilityRaw)),
    firstName,
    lastName,
    birthDate: date('birthDate', 'birth'),
    email: take('email', emailRaw, normalizeEmail(emailRaw)),
    phone: take('phone', phoneRaw, normalizePhone(phoneRaw)),
    phone2: take('phone2', phone2Raw, normalizePhone(phone2Raw)),
    addressLine: oneLine(get('addressLine')),
    postalCode: normalizePostalCode(get('postalCode'), country),
    city: oneLine(get('city')),
    country,
    memberNumber: oneLine(get('memberNumber')),
    kinds: options.defaultKinds.slice(),
    membershipStart: date('membershipStart', 'event'),
    membershipEnd: date('membershipEnd', 'event'),
    skills: null,
    availability: null,
    notes: multiLine(get('notes')),
    householdId: null,
  };
  const person = alreadyValid(draft) ? draft : checkPerson(draft, line, warnings);
  if (!person) {
    errors.push({ line, message: `Ligne ${line} : personne refusée par les règles de saisie, ligne ignorée.` });
    return null;
  }
  const amountRaw = get('amount');
  const amountCents = take('amount', amountRaw, parseAmountCents(amountRaw));
  const paymentDate = date('paymentDate', 'event');
  const payment = hasPayment && (amountCents !== null || paymentDate !== null) ? { date: paymentDate, amountCents } : null;
  return { line, person, payment };
}

/** Maximum lengths of personInput's text fields (shared/domain/person.ts). */
const MAX_LENGTH: Partial<Record<keyof PersonInput, number>> = {
  firstName: 200,
  lastName: 200,
  email: 254,
  phone: 40,
  phone2: 40,
  addressLine: 300,
  postalCode: 20,
  city: 120,
  country: 80,
  memberNumber: 40,
  notes: 10_000,
};
const TEXT_FIELDS = Object.keys(MAX_LENGTH) as (keyof PersonInput)[];

/**
 * True when `personInput.parse(draft)` would succeed and return a copy of `draft` (so zod can be skipped): what
 * normalizeRow builds is valid by construction — civility from parseCivility, dates from isoIfValid, e-mail
 * checked by normalizeEmail with personInput's own zod rule, kinds from options, other text collapsed or trimmed,
 * empty → null — except for lengths, checked here with the trimming. Anything else goes through `checkPerson`.
 * tests/unit/imports/normalizeFast.test.ts holds this to `personInput.parse` on fixtures and random rows.
 */
function alreadyValid(p: PersonInput): boolean {
  for (const key of TEXT_FIELDS) {
    const v = p[key] as string | null;
    if (v === null) {
      if (key === 'firstName' || key === 'lastName') return false;
      continue;
    }
    if (v.length > (MAX_LENGTH[key] as number) || v !== v.trim() || (v === '' && key !== 'firstName' && key !== 'lastName')) return false;
  }
  return p.kinds.length <= 3 && p.kinds.every((k) => (PERSON_KINDS as readonly string[]).includes(k));
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
  const normalizer = createRowNormalizer(table, columns, options);
  const records: ImportRecord[] = [];
  for (const row of table.rows) {
    const record = normalizer.normalize(row);
    if (record) records.push(record);
  }
  return { rows: table.rows.length, records, errors: normalizer.errors, warnings: normalizer.warnings };
}

/** `normalizeRecords` one row at a time (imports normalise a chunk while the previous one is written). */
export interface RowNormalizer {
  /** The record of `row`, or null (an error was added). Rows must be given in file order. */
  normalize(row: RawRow): ImportRecord | null;
  /** Issues so far, in row order: the same as `normalizeRecords` gives once every row went through. */
  readonly errors: ImportIssue[];
  readonly warnings: ImportWarning[];
}

/** Checks `options` and `columns` as `normalizeRecords` does (same errors), then normalises rows on demand. */
export function createRowNormalizer(table: RawTable, columns: ColumnMapping, options: NormalizeOptions): RowNormalizer {
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
  const fieldColumns: FieldColumns = {};
  columns.forEach((field, i) => {
    if (field !== null) (fieldColumns[field] ??= []).push(i);
  });
  const hasPayment = columns.includes('amount') || columns.includes('paymentDate');
  const errors: ImportIssue[] = [];
  const warnings: ImportWarning[] = [];
  const resolved = { today: options.today, defaultKinds };
  return {
    errors,
    warnings,
    normalize: (row) => normalizeRow(row, fieldColumns, hasPayment, resolved, errors, warnings),
  };
}
