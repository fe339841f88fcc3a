/**
 * Suggests which person field each column fills; the user confirms or corrects it on the mapping screen.
 */
import { IMPORT_FIELDS } from '../../../shared/domain/imports';
import type { ColumnMapping, ImportField, ImportShape } from '../../../shared/domain/imports';
import { FIELD_SYNONYMS, NON_PERSON_WORDS } from './synonyms';
import { normalizeHeader } from './text';

/** The best field for one normalised header and its score (0 = no match). Exact matches beat contained ones. */
function bestField(header: string): { field: ImportField | null; score: number } {
  const words = ` ${header} `;
  if (NON_PERSON_WORDS.some((w) => words.includes(` ${w} `))) return { field: null, score: 0 };
  let best: { field: ImportField | null; score: number } = { field: null, score: 0 };
  for (const field of IMPORT_FIELDS) {
    for (const syn of FIELD_SYNONYMS[field]) {
      const score = header === syn ? 1000 + syn.length : words.includes(` ${syn} `) ? syn.length : 0;
      if (score > best.score) best = { field, score };
    }
  }
  return best;
}

/**
 * Proposes a mapping: one entry per header, in order, a field or null.
 *
 * Headers are compared after `normalizeHeader` (case, accents, punctuation ignored) with the synonym lists of
 * `synonyms.ts` (nom / nom de famille, prénom, né(e) le / date de naissance, tél / portable / mobile,
 * mail / e-mail / courriel, cp / code postal, n° adhérent / numéro de membre, date d'inscription → membershipStart,
 * cotisation / montant → amount, date du paiement → paymentDate, observations / remarques → notes, …).
 * A field is given to one column only, the first one in file order; a second phone column falls back to `phone2`.
 * For HelloAsso the payer columns (`… payeur`) are served first, so they win over the participant's columns.
 */
export function suggestMapping(headers: readonly string[], shape: ImportShape): ColumnMapping {
  const normalized = headers.map(normalizeHeader);
  const order = normalized.map((_, i) => i);
  if (shape === 'helloasso') {
    const payer = (i: number) => (/\bpayeur\b/.test(normalized[i] ?? '') ? 0 : 1);
    order.sort((a, b) => payer(a) - payer(b) || a - b);
  }
  const mapping: ColumnMapping = headers.map(() => null);
  const taken = new Set<ImportField>();
  for (const i of order) {
    let { field } = bestField(normalized[i] ?? '');
    if (field === 'phone' && taken.has('phone')) field = 'phone2';
    if (field && !taken.has(field)) {
      mapping[i] = field;
      taken.add(field);
    }
  }
  return mapping;
}
