/**
 * Small text helpers shared by header matching and value normalisation.
 */

/** Removes accents: NFD then drops combining marks (`Né(e)` → `Ne(e)`, `œ` stays `œ`). */
export function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '');
}

/**
 * Normalises a column header for synonym matching: accents stripped, lower-case, `œ`/`æ` spelled out,
 * `n°` read as `numero`, every run of punctuation, symbols, underscores or spaces turned into one space, trimmed.
 * `Né(e) le` → `ne e le`; `Nom & prénom` → `nom prenom`; `email_adh` → `email adh`; `Cotisation €` → `cotisation`.
 */
export function normalizeHeader(header: string): string {
  return stripAccents(header)
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/\bn\s*[°º]/g, 'numero ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Trims and collapses every run of whitespace (tabs, newlines, no-break spaces) into one space. */
export function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
