/**
 * Money (docs/treasury.md « Montants »): every amount is an integer number of euro cents, everywhere (database,
 * contract, CLI, files), so that no sum ever carries a floating-point rounding error.
 *
 * - `parseAmount` reads what people type: « 123,45 », « 123.45 », « 1 234,50 », « 1 234,50 € », « 12 » — digits
 *   grouped by thousands with a space (ordinary, no-break U+00A0 or narrow no-break U+202F), at most two decimals
 *   after a comma or a point. Anything else (« 1.234,50 », « 12,345 », « -5 », « 12 euros ») is refused with a
 *   French message: an ambiguous amount is never guessed.
 * - `formatCents` writes « 1 234,50 € » as fr-FR `Intl.NumberFormat` does (narrow no-break space U+202F between
 *   thousands, no-break space U+00A0 before the euro sign), built from the integer so no float is involved.
 */
import { z } from 'zod';

/** The largest amount accepted: 999 999 999,99 € (in cents), far below Number.MAX_SAFE_INTEGER. */
export const MAX_CENTS = 99_999_999_999;

/** What a typed amount is: its cents, or a French sentence saying why it was refused. */
export type ParsedAmount = { ok: true; cents: number } | { ok: false; message: string };

const SPACES = /[\u0020\u00a0\u202f]/;
const GROUPED = /^\d{1,3}(?:[\u0020\u00a0\u202f]\d{3})+$/;

/**
 * Reads an amount typed in euros into cents (integer ≥ 0). `label` names the field in the message
 * (« Montant : … »). Examples: « 123,45 » → 12345; « 1 234,5 » → 123450; « 0,07 » → 7; « 1.234,50 » → refused.
 */
export function parseAmount(text: string, label = 'Montant'): ParsedAmount {
  const refuse = (why: string): ParsedAmount => ({ ok: false, message: `${label} : ${why}` });
  const s = text.trim().replace(/[\u0020\u00a0\u202f]*€$/, '').trim();
  if (s === '') return refuse('montant obligatoire (par exemple 123,45).');
  if (s.startsWith('-')) return refuse(`« ${text.trim()} » est négatif : saisissez un montant positif.`);
  const m = /^([\d\u0020\u00a0\u202f]+)(?:[,.](\d{1,2}))?$/.exec(s);
  const bad = refuse(`« ${text.trim()} » n'est pas un montant en euros (écrivez par exemple 123,45 ou 1 234,50).`);
  if (!m) {
    if (/^[\d\u0020\u00a0\u202f]+[,.]\d{3,}$/.test(s)) return refuse(`« ${text.trim()} » a plus de deux décimales (centimes).`);
    return bad;
  }
  const whole = m[1]!;
  if (SPACES.test(whole) && !GROUPED.test(whole)) return bad;
  const euros = Number(whole.replace(/[\u0020\u00a0\u202f]/g, ''));
  const cents = euros * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return refuse(`« ${text.trim()} » dépasse le plus grand montant accepté (999 999 999,99 €).`);
  return { ok: true, cents };
}

/** Like `parseAmount`, but throws an Error with the French message (for the CLI and services' callers). */
export function amountToCents(text: string, label?: string): number {
  const r = parseAmount(text, label);
  if (!r.ok) throw new Error(r.message);
  return r.cents;
}

const grouping = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });

/**
 * « 1 234,50 € » for 123450 (U+202F between thousands, U+00A0 before €, as fr-FR Intl formats currency). Negative
 * amounts get a minus sign (a balance). `withSymbol: false` gives « 1 234,50 ». Throws on a non-integer.
 */
export function formatCents(cents: number, { withSymbol = true }: { withSymbol?: boolean } = {}): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`montant en centimes attendu (entier), reçu ${String(cents)}`);
  const abs = Math.abs(cents);
  const text = `${cents < 0 ? '-' : ''}${grouping.format(Math.trunc(abs / 100))},${String(abs % 100).padStart(2, '0')}`;
  return withSymbol ? `${text}\u00a0€` : text;
}

/** « 123,45 » (no grouping, no symbol): the form a CSV cell or an input field holds. */
export function centsToInput(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`montant en centimes attendu (entier), reçu ${String(cents)}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** A zod schema for an amount in cents (integer, 0 … MAX_CENTS). */
export const cents = z.number().int('montant en centimes (entier) attendu').min(0, 'montant positif attendu').max(MAX_CENTS);

/** A zod schema reading a typed amount (« 123,45 ») into cents, with `label` in the message. */
export const typedAmount = (label = 'Montant') =>
  z.string().transform((s, ctx) => {
    const r = parseAmount(s, label);
    if (r.ok) return r.cents;
    ctx.addIssue({ code: 'custom', message: r.message });
    return z.NEVER;
  });
