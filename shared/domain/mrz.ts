/**
 * Machine-readable zones (MRZ) of identity papers, read from OCR text: a passport (TD3, 2 × 44), a new French
 * identity card or a residence permit (TD1, 3 × 30), an old French identity card (2 × 36). Parsing and check digits
 * are the npm package `mrz`'s; this module finds the lines in noisy OCR text, mends what OCR commonly gets wrong only
 * when the check digits then agree, and says what the paper means for the vault (type, expiry). docs/mrz.md.
 *
 * Rules followed: ICAO Doc 9303 part 3 (check digits, 7-3-1 weights, §4.9; dates), part 4 (TD3: machine readable
 * passports), part 5 (TD1: machine readable official travel documents, including residence permits); the old French
 * card's 2 × 36 layout (arrêté du 22 octobre 1987, carte nationale d'identité « sécurisée »).
 * Pure: no Node import, no clock read (`today` is passed). Nothing here keeps the MRZ: callers get its meaning only.
 */
import { parse, type Details, type ParseResult } from 'mrz';
import { z } from 'zod';
import { isoDate } from './common';
import { documentType, type DocumentType } from './document';
import { birthDateFromMrz, expiryDateFromMrz, issueMonthFromFrenchId, suggestFrenchIdExpiry } from './mrzDates';

/** The paper types that carry an MRZ (the form reads files only when no type or one of these is chosen). */
export const MRZ_PAPER_TYPES: readonly DocumentType[] = ['passeport', 'carte_identite', 'titre_sejour'];

export const MRZ_KINDS = ['TD1', 'TD3', 'FRENCH_NATIONAL_ID'] as const;
export type MrzKind = (typeof MRZ_KINDS)[number];

/** What a paper's MRZ says, as the add-paper form uses it. Holds no MRZ line and no document number. */
export const mrzReading = z.object({
  kind: z.enum(MRZ_KINDS),
  /** Our paper type: passport, identity card or residence permit. */
  documentType,
  /** The expiry printed in the MRZ; null for the old French card (it has none) or when unreadable. */
  expiresOn: isoDate.nullable(),
  /** Old French card only: the expiry suggested from its issue month (mrzDates.ts `suggestFrenchIdExpiry`). */
  suggestedExpiresOn: isoDate.optional(),
  /** Old French card only: 10 or 15 years, for the form to say why. */
  suggestedYears: z.union([z.literal(10), z.literal(15)]).optional(),
  /** Old French card only: month of issue `YYYY-MM` (the MRZ gives no day, so no issue date is prefilled). */
  issuedMonth: z.string().regex(/^\d{4}-\d{2}$/).optional(),
  lastName: z.string().max(60),
  firstNames: z.string().max(60),
  birthDate: isoDate.nullable(),
  /** Every check digit and field agrees (after the fix-ups below). Prefill only from a valid reading. */
  valid: z.boolean(),
  /** French, one per refused field (« TD3 : champ refusé, chiffre de contrôle global (ligne 2, colonne 44). »). */
  errors: z.array(z.string().max(200)).max(40),
});
export type MrzReading = z.infer<typeof mrzReading>;

/** Line counts and lengths of each kind (ICAO Doc 9303 part 4 §4.2.2, part 5 §4.2.2). */
const SHAPES: readonly { kind: MrzKind; lines: number; length: number }[] = [
  { kind: 'TD3', lines: 2, length: 44 },
  { kind: 'TD1', lines: 3, length: 30 },
  { kind: 'FRENCH_NATIONAL_ID', lines: 2, length: 36 },
];

/** Letters OCR engines put for the filler `<` of OCR-B (tesseract's models read `<<` as `K`, `X`, `«`…). */
const FILLER_LOOKALIKES = '[KXSEC]';
const BETWEEN_FILLERS = new RegExp(`(?<=<)${FILLER_LOOKALIKES}{1,8}(?=<)`, 'g');
const FILLER_TAIL = new RegExp(`<(?:<|${FILLER_LOOKALIKES})*$`);

/**
 * Fillers misread as letters, put back: a run of look-alikes (`K X S E C`) between two fillers (`<K<` → `<<<`) and a
 * line's tail made of fillers and look-alikes only. A single letter between fillers in a name (an initial `<K<`) is
 * lost: names are not covered by check digits, so the form shows what was read and the person's record decides.
 */
export function repairFillers(line: string): string {
  const between = line.replace(BETWEEN_FILLERS, (m) => '<'.repeat(m.length));
  return between.replace(FILLER_TAIL, (m) => (/<.*<|<{2}/.test(m) ? '<'.repeat(m.length) : m));
}

/**
 * A line brought to `length` by widening or narrowing its longest run of fillers (the last of equal runs): OCR loses
 * and adds fillers, never digits. Up to 8 characters off; a line with no run to change is returned as it is.
 */
function fitLength(line: string, length: number): string {
  const diff = length - line.length;
  if (diff === 0 || Math.abs(diff) > 8) return line;
  let best: { at: number; len: number } | null = null;
  for (const m of line.matchAll(/<+/g)) {
    if (!best || m[0].length >= best.len) best = { at: m.index, len: m[0].length };
  }
  if (!best) return diff > 0 ? line.padEnd(length, '<') : line;
  if (diff < 0 && best.len <= -diff) return line;
  const run = '<'.repeat(best.len + diff);
  return line.slice(0, best.at) + run + line.slice(best.at + best.len);
}

/**
 * One OCR line made MRZ-shaped: upper case, spaces dropped, guillemets and angle quotes read as fillers `<`, any other
 * character outside `A–Z 0–9 <` dropped, misread fillers repaired (`repairFillers`), then brought to `length` by its
 * longest run of fillers (`fitLength`). `«` stands for `<<` (OCR joins two fillers) unless `<` fits better.
 */
export function cleanMrzLine(raw: string, length: number): string {
  return fitLength(normalizeMrzLine(raw, length), length);
}

/** `cleanMrzLine` before its length is fitted. */
function normalizeMrzLine(raw: string, length: number): string {
  const base = raw.toUpperCase().replace(/[\s\u00a0]+/g, '');
  const wide = repairFillers(base.replace(/«|»/g, '<<').replace(/[‹›]/g, '<').replace(/[^A-Z0-9<]/g, ''));
  const narrow = repairFillers(base.replace(/[«»‹›]/g, '<').replace(/[^A-Z0-9<]/g, ''));
  return Math.abs(wide.length - length) <= Math.abs(narrow.length - length) ? wide : narrow;
}

/** Characters OCR doubles (one glyph read as two look-alikes: `0O`, `1I`, `B8`). */
const LOOKALIKE_CLASS: Record<string, number> = { '0': 1, O: 1, D: 1, Q: 1, '1': 2, I: 2, L: 2, '8': 3, B: 3, '5': 4, S: 4, '2': 5, Z: 5, '6': 6, G: 6 };

/**
 * Other readings of a line longer than `length`: one character of a doubled look-alike pair dropped (`0O75123` →
 * `075123`), then fitted. Tried only under the check digits (`readMrz`).
 */
function doubledVariants(raw: string, length: number): string[] {
  const line = normalizeMrzLine(raw, length);
  if (line.length <= length) return [];
  const out = new Set<string>();
  for (let j = 0; j + 1 < line.length; j++) {
    const [a, b] = [LOOKALIKE_CLASS[line.charAt(j)], LOOKALIKE_CLASS[line.charAt(j + 1)]];
    if (a && a === b) for (const drop of [j, j + 1]) out.add(fitLength(line.slice(0, drop) + line.slice(drop + 1), length));
  }
  out.delete(cleanMrzLine(raw, length));
  return [...out].filter((l) => l.length === length);
}

/** Lines of OCR text that can be MRZ lines: long enough and mostly MRZ characters (at least one `<`). */
function candidates(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.replace(/\s/g, '').length >= 27 && /[<«»‹›]/.test(l));
}

/** How each kind's first line starts (ICAO Doc 9303 part 4 §4.2.2.1, part 5 §4.2.2.1; `IDFRA` for the old card). */
const FIRST_LINE: Record<MrzKind, RegExp> = { TD3: /^P/, TD1: /^[IAC]/, FRENCH_NATIONAL_ID: /^IDFRA/ };

/** A line's characters as `cleanMrzLine` keeps them, before its length is fitted (to compare kinds). */
const rawLength = (l: string) => l.replace(/[^A-Za-z0-9<«»‹›]/g, '').length;

/**
 * Finds the MRZ in OCR text: among runs of consecutive candidate lines, the one that fits a kind best (first line
 * starting as the kind's does, line lengths closest to the kind's, at most 8 characters off each), cleaned by
 * `cleanMrzLine`. Returns `{ kind, lines, variants }` (`variants[i]`: other readings of line i, see `doubledVariants`)
 * or null when no run fits.
 */
export function findMrzLines(text: string): { kind: MrzKind; lines: string[]; variants: string[][] } | null {
  const raw = candidates(text);
  let best: { kind: MrzKind; lines: string[]; variants: string[][]; off: number } | null = null;
  for (const shape of SHAPES) {
    for (let i = 0; i + shape.lines <= raw.length; i++) {
      const window = raw.slice(i, i + shape.lines);
      const off = window.reduce((n, l) => n + Math.abs(rawLength(l) - shape.length), 0);
      if (best && off >= best.off) continue;
      const lines = window.map((l) => cleanMrzLine(l, shape.length));
      if (lines.every((l) => l.length === shape.length) && FIRST_LINE[shape.kind].test(lines[0] ?? '')) {
        best = { kind: shape.kind, lines, variants: window.map((l) => doubledVariants(l, shape.length)), off };
      }
    }
  }
  return best ? { kind: best.kind, lines: best.lines, variants: best.variants } : null;
}

const NUMERIC = new Set(['birthDate', 'expirationDate', 'issueDate', 'birthDateCheckDigit', 'expirationDateCheckDigit', 'documentNumberCheckDigit', 'personalNumberCheckDigit', 'compositeCheckDigit']);
const ALPHABETIC = new Set(['lastName', 'firstName', 'issuingState', 'nationality', 'documentCode', 'sex']);
/** Alphanumeric fields with a check digit of their own: the only ones where look-alikes are tried (see `mend`). */
const CHECKED: Record<string, string> = { documentNumber: 'documentNumberCheckDigit', personalNumber: 'personalNumberCheckDigit' };
/**
 * OCR confusions mended: O and 0, I and 1 (OCR-B tells them apart, ICAO Doc 9303 part 3 §4.2; OCR engines do not);
 * in numeric fields, where no letter may stand, also B/8, S/5, Z/2, G/6 and D/Q for 0.
 */
const TO_DIGIT: Record<string, string> = { O: '0', I: '1', D: '0', Q: '0', B: '8', S: '5', Z: '2', G: '6' };
/** In alphabetic fields (names, codes), where no digit may stand. */
const TO_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '8': 'B', '5': 'S', '2': 'Z', '6': 'G' };
/** What a character of an alphanumeric field (document number, optional data) may have been, most likely first. */
const LOOKALIKES: Record<string, string> = { '0': 'OQD', O: '0QD', Q: 'O0', D: '0O', '1': 'I', I: '1' };

function setChar(lines: string[], line: number, col: number, c: string): void {
  const l = lines[line] ?? '';
  lines[line] = l.slice(0, col) + c + l.slice(col + 1);
}

/**
 * The lines with OCR slips mended by field type: digits in numeric fields (dates, check digits) and letters in
 * alphabetic ones (names, codes), where the other kind may not stand; then, only in a document or personal number
 * whose own check digit fails, one look-alike swapped (`0`/`O`/`Q`/`D`, `1`/`I`) when exactly one such swap makes
 * that check digit and every other one agree. Dates are never guessed, and a field whose check digit already agrees
 * is never touched, so a spoiled composite or date check digit stays refused. Returns the valid parse, or null.
 */
function mend(lines: readonly string[], raw: ParseResult): ParseResult | null {
  const fixed = [...lines];
  for (const d of raw.details) {
    const r = d.ranges[0];
    if (!d.field || !r) continue;
    for (let col = r.start; col < r.end; col++) {
      const c = fixed[r.line]?.[col] ?? '';
      if (NUMERIC.has(d.field) && TO_DIGIT[c]) setChar(fixed, r.line, col, TO_DIGIT[c]);
      else if (ALPHABETIC.has(d.field) && TO_LETTER[c]) setChar(fixed, r.line, col, TO_LETTER[c]);
    }
  }
  const plain = parseLines(fixed);
  if (!plain || plain.valid) return plain?.valid ? plain : null;
  const failing = (field: string) => plain.details.find((d) => d.field === CHECKED[field])?.valid === false;
  const ambiguous: { line: number; col: number; alts: string }[] = [];
  for (const d of plain.details) {
    const r = d.ranges[0];
    if (!d.field || !r || !CHECKED[d.field] || !failing(d.field)) continue;
    for (let col = r.start; col < r.end; col++) {
      const alts = LOOKALIKES[fixed[r.line]?.[col] ?? ''];
      if (alts) ambiguous.push({ line: r.line, col, alts });
    }
  }
  // One look-alike swapped at a time; kept only when exactly one swap makes every check digit agree (two would mean
  // the check digits cannot tell: the reading stays refused).
  const valid: ParseResult[] = [];
  for (const a of ambiguous) {
    for (const alt of a.alts) {
      const next = [...fixed];
      setChar(next, a.line, a.col, alt);
      const result = parseLines(next);
      if (result?.valid) valid.push(result);
    }
  }
  if (valid.length === 1) return valid[0]!;
  return null;
}

/** The first valid parse among the lines with one or more of their `variants` put in (at most 16 combinations). */
function mendVariants(found: { lines: string[]; variants: string[][] }): ParseResult | null {
  let combos: string[][] = [found.lines];
  found.variants.forEach((alts, i) => {
    combos = combos.flatMap((c) => [c, ...alts.map((a) => c.map((l, j) => (j === i ? a : l)))]).slice(0, 16);
  });
  for (const lines of combos.slice(1)) {
    const parsed = parseLines(lines);
    const result = parsed?.valid ? parsed : parsed ? mend(lines, parsed) : null;
    if (result?.valid) return result;
  }
  return null;
}

function parseLines(lines: readonly string[]): ParseResult | null {
  try {
    return parse(lines, { autocorrect: false });
  } catch {
    return null;
  }
}

/** French names of the fields, for errors. */
const FIELD_FR: Record<string, string> = {
  documentCode: 'code du document',
  issuingState: "État d'émission",
  documentNumber: 'numéro du document',
  documentNumberCheckDigit: 'chiffre de contrôle du numéro du document',
  birthDate: 'date de naissance',
  birthDateCheckDigit: 'chiffre de contrôle de la date de naissance',
  expirationDate: "date d'expiration",
  expirationDateCheckDigit: "chiffre de contrôle de la date d'expiration",
  issueDate: 'date de délivrance',
  compositeCheckDigit: 'chiffre de contrôle global',
  personalNumberCheckDigit: 'chiffre de contrôle du numéro personnel',
  lastName: 'nom',
  firstName: 'prénoms',
  nationality: 'nationalité',
  sex: 'sexe',
};

function errorsOf(details: readonly Details[], kind: MrzKind): string[] {
  return details
    .filter((d) => !d.valid)
    .map((d) => {
      const what = FIELD_FR[d.field ?? ''] ?? d.label;
      const r = d.ranges[0];
      const cols = r ? (r.end - r.start === 1 ? `colonne ${r.end}` : `colonnes ${r.start + 1} à ${r.end}`) : '';
      const where = r ? ` (ligne ${r.line + 1}, ${cols})` : '';
      return `${kind === 'FRENCH_NATIONAL_ID' ? 'Ancienne carte' : kind} : champ refusé, ${what}${where}.`;
    });
}

/**
 * Our paper type for a document code (ICAO Doc 9303 part 4 §4.2.2.1, part 5 §4.2.2.1): `P…` → passport; for a TD1,
 * a second letter `R` (residence: `IR`, `AR`, `CR`) → residence permit, anything else (`ID`, `I<`, `IO`…) → identity
 * card; the old French card is an identity card.
 */
export function paperTypeOf(kind: MrzKind, documentCode: string): DocumentType {
  if (kind === 'FRENCH_NATIONAL_ID') return 'carte_identite';
  if (kind === 'TD3') return documentCode.startsWith('P') ? 'passeport' : 'autre';
  return documentCode.charAt(1) === 'R' ? 'titre_sejour' : 'carte_identite';
}

const cut = (s: string | null | undefined) => (s ?? '').replace(/</g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60);

/**
 * Reads the MRZ in OCR `text` (several lines; anything around it is ignored). `today` (ISO) puts birth years in their
 * century. Returns null when no MRZ-shaped lines are found; otherwise a reading whose `valid` is false, with French
 * `errors`, when a check digit or a field is wrong even after the fix-ups (O/0, I/1, B/8…) (such a reading must not prefill).
 */
export function readMrz(text: string, today: string): MrzReading | null {
  const found = findMrzLines(text);
  if (!found) return null;
  const raw = parseLines(found.lines);
  if (!raw) return null;
  const result = raw.valid ? raw : (mend(found.lines, raw) ?? mendVariants(found) ?? raw);
  const f = result.fields;
  const birthDate = f.birthDate ? birthDateFromMrz(f.birthDate, today) : null;
  const reading: MrzReading = {
    kind: found.kind,
    documentType: paperTypeOf(found.kind, (f.documentCode ?? found.lines[0]?.slice(0, 2) ?? '').replace(/</g, '')),
    expiresOn: f.expirationDate ? expiryDateFromMrz(f.expirationDate) : null,
    lastName: cut(f.lastName),
    firstNames: cut(f.firstName),
    birthDate,
    valid: result.valid,
    errors: errorsOf(result.details, found.kind),
  };
  if (found.kind === 'FRENCH_NATIONAL_ID' && f.issueDate) {
    const month = issueMonthFromFrenchId(f.issueDate);
    const suggestion = month ? suggestFrenchIdExpiry(month, birthDate) : null;
    if (month) reading.issuedMonth = month;
    if (suggestion) {
      reading.suggestedExpiresOn = suggestion.expiresOn;
      reading.suggestedYears = suggestion.years;
    }
  }
  return mrzReading.parse(reading);
}
