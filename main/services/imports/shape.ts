/**
 * Recognises which tool exported a file from its headers, so the mapping and the name rules can follow it.
 */
import type { ImportShape } from '../../../shared/domain/imports';
import { normalizeHeader } from './text';

/**
 * Guesses the exporting tool from the header cells (case, accents and punctuation ignored).
 *
 * - `helloasso`: a `Référence commande` column, or at least two `… payeur` columns (`Nom payeur`, `Email payeur`).
 * - `paheko`: a `Nom & prénom` column (one cell, last name first) or a `Numéro de membre` column.
 * - `galette`: at least two raw Galette columns (`nom_adh`, `prenom_adh`, `email_adh`, `ddn_adh`, …), or
 *   Galette's French labels `Nom`, `Prénom` and `Pseudo` together.
 * - `spreadsheet`: anything else (a hand-made table).
 * Checked in that order; never throws.
 */
export function detectShape(headers: readonly string[]): ImportShape {
  const norm = headers.map(normalizeHeader);
  const has = (h: string) => norm.includes(h);
  if (has('reference commande') || norm.filter((h) => /\bpayeur$/.test(h)).length >= 2) return 'helloasso';
  if (has('nom prenom') || has('nom et prenom') || has('numero de membre')) return 'paheko';
  const galetteRaw = headers.filter((h) => /^[a-z0-9_]+_adh$/i.test(h.trim())).length;
  if (galetteRaw >= 2 || (has('nom') && has('prenom') && has('pseudo'))) return 'galette';
  return 'spreadsheet';
}
