/**
 * Normalisation of single French values found in imported cells: amounts, phone numbers, e-mails, civilities.
 * Each parser returns `{ ok: true, value }` (value null for an empty cell) or `{ ok: false }` for a value that
 * must be left empty and reported as a warning.
 */
import { z } from 'zod';
import { collapseSpaces } from './text';

export type Parsed<T> = { ok: true; value: T | null } | { ok: false };

const EMPTY = { ok: true, value: null } as const;
const INVALID = { ok: false } as const;

/**
 * An amount in euros → integer cents. Accepts `15`, `15,00`, `15,5`, `"15,00 €"`, `15.00`, `1 234,50` (plain,
 * no-break or narrow no-break spaces), `1.234,50`, `1,234.50`, `EUR 15`, a leading minus. With both `.` and `,`
 * present the last one is the decimal mark; a mark repeated between 3-digit groups (`1.234.567`) groups thousands.
 * A lone mark before three digits (`1.234`, `15,005`: thousands or a typo?) is ambiguous, hence invalid, like
 * more than two decimals, letters or several numbers. Computed on digits, never through floats.
 */
export function parseAmountCents(input: string): Parsed<number> {
  let s = input.replace(/[\s\u00a0\u202f]+/g, '').replace(/€|eur(os?)?/gi, '');
  if (s === '') return input.trim() === '' ? EMPTY : INVALID;
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let intPart = s;
  let decPart = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const mark = lastDot > lastComma ? '.' : ',';
    const grouped = mark === '.' ? /^\d{1,3}(,\d{3})*$/ : /^\d{1,3}(\.\d{3})*$/;
    const [i = '', d = '', ...more] = s.split(mark);
    if (more.length > 0 || !grouped.test(i)) return INVALID;
    intPart = i.replace(/[.,]/g, '');
    decPart = d;
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const parts = s.split(mark);
    if (parts.length === 2 && /^\d{1,2}$/.test(parts[1] ?? '')) {
      intPart = parts[0] ?? '';
      decPart = parts[1] ?? '';
    } else if (parts.length > 2 && /^\d{1,3}$/.test(parts[0] ?? '') && parts.slice(1).every((p) => /^\d{3}$/.test(p))) {
      intPart = parts.join('');
    } else {
      return INVALID;
    }
  }
  if (!/^\d+$/.test(intPart) || !/^\d{0,2}$/.test(decPart)) return INVALID;
  const cents = Number(intPart) * 100 + Number(decPart.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) return INVALID;
  return { ok: true, value: negative ? -cents : cents };
}

/**
 * A phone number: keeps digits and a leading `+` (spaces, dots, dashes, slashes, brackets dropped).
 * French numbers are grouped by two: `06.10.86.90.00` → `06 10 86 90 00`; `+33 6 10 86 90 00`, `+33 (0)6…`
 * and `0033 6…` → `+33 6 10 86 90 00`; nine digits starting 1–9 (a spreadsheet dropped the leading zero)
 * → `0` added. Other numbers are kept as `+` and digits. Fewer than 6 or more than 15 digits, or letters
 * → invalid.
 */
export function normalizePhone(input: string): Parsed<string> {
  const s = input.trim();
  if (s === '') return EMPTY;
  if (!/^\+?[\d\s.\-/()\u00a0]+$/.test(s)) return INVALID;
  let digits = s.replace(/\(0\)/g, '').replace(/\D/g, '');
  let plus = s.startsWith('+');
  if (!plus && digits.startsWith('00')) {
    digits = digits.slice(2);
    plus = true;
  }
  if (digits.length < 6 || digits.length > 15) return INVALID;
  const pairs = (d: string) => d.replace(/(\d{2})(?=\d)/g, '$1 ');
  if (!plus && digits.length === 9 && /^[1-9]/.test(digits)) digits = `0${digits}`;
  if (!plus && digits.length === 10 && digits.startsWith('0')) return { ok: true, value: pairs(digits) };
  if (plus && digits.length === 11 && digits.startsWith('33')) {
    return { ok: true, value: `+33 ${digits.slice(2, 3)} ${pairs(digits.slice(3))}` };
  }
  return { ok: true, value: `${plus ? '+' : ''}${digits}` };
}

const emailCheck = z.string().email();

/** An e-mail: trimmed, lower-cased, checked with the same zod rule as `personInput`; invalid → `{ ok: false }`. */
export function normalizeEmail(input: string): Parsed<string> {
  const s = input.trim().toLowerCase();
  if (s === '') return EMPTY;
  return emailCheck.safeParse(s).success ? { ok: true, value: s } : INVALID;
}

/** A civility: `M`, `M.`, `Mr`, `Monsieur` → `M`; `Mme`, `Madame`, `Mlle`, `Mademoiselle` → `Mme`; `Mx` → `Mx`. */
export function parseCivility(input: string): Parsed<'M' | 'Mme' | 'Mx'> {
  const s = collapseSpaces(input).toLowerCase().replace(/\.$/, '');
  if (s === '') return EMPTY;
  if (['m', 'mr', 'monsieur', 'homme', 'h'].includes(s)) return { ok: true, value: 'M' };
  if (['mme', 'madame', 'mlle', 'mademoiselle', 'femme', 'f'].includes(s)) return { ok: true, value: 'Mme' };
  if (s === 'mx') return { ok: true, value: 'Mx' };
  return INVALID;
}

/**
 * A postal code, trimmed with spaces collapsed; a 4-digit code (a spreadsheet dropped the leading zero of
 * `01000`…`09999`) gets its zero back unless `country` names a country other than France.
 */
export function normalizePostalCode(input: string, country: string | null): string | null {
  const s = collapseSpaces(input);
  if (s === '') return null;
  const french = country === null || /^fr(ance)?$/i.test(country.trim());
  return french && /^\d{4}$/.test(s) ? `0${s}` : s;
}
