/**
 * Test pages for OCR: known French text drawn on a white A4 page at 300 dpi (2480 × 3508 px) with Debian's DejaVu
 * and Liberation fonts (packages fonts-dejavu-core, fonts-liberation), by Skia through @napi-rs/canvas, as PNG.
 * And the character error rate (Levenshtein distance / reference length) used to judge a recognition.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { distance } from 'fastest-levenshtein';

/** The fonts the pages use, by family name → Debian path. */
export const FONTS: Record<string, string> = {
  'DejaVu Sans': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  'DejaVu Serif': '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
  'Liberation Sans': '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  'Liberation Serif': '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf',
};

let registered = false;
function registerFonts(): void {
  if (registered) return;
  for (const [family, path] of Object.entries(FONTS)) {
    if (!existsSync(path)) throw new Error(`police absente : ${path} (paquets Debian fonts-dejavu-core et fonts-liberation)`);
    GlobalFonts.registerFromPath(path, family);
  }
  registered = true;
}

/** A4 at 300 dpi, in pixels. */
export const A4_300 = { width: 2480, height: 3508 };

/**
 * Draws `lines` top-down from a 2.5 cm margin at `pointSize` points (1 pt = 300/72 px) in `font`, black on white.
 * @returns PNG bytes of the page (8-bit, 300 dpi declared in a pHYs chunk).
 */
export function renderPage(lines: string[], opts: { font?: string; pointSize?: number; width?: number; height?: number } = {}): Uint8Array {
  registerFonts();
  const { width = A4_300.width, height = A4_300.height, font = 'DejaVu Sans', pointSize = 12 } = opts;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  const px = Math.round((pointSize * 300) / 72);
  ctx.font = `${px}px "${font}"`;
  ctx.textBaseline = 'top';
  const margin = Math.round((2.5 / 2.54) * 300);
  lines.forEach((line, i) => ctx.fillText(line, margin, margin + i * Math.round(px * 1.6)));
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/** Collapses runs of white space (line breaks included) to one space and trims: layout is not what CER measures. */
export function normaliseSpaces(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Character error rate: Levenshtein distance between the texts (spaces normalised) / length of the reference. */
export function characterErrorRate(reference: string, recognised: string): number {
  const ref = normaliseSpaces(reference);
  return distance(ref, normaliseSpaces(recognised)) / ref.length;
}

/** French administrative text with accents, numbers, dates and amounts, as found on papers brought to a desk. */
export const FRENCH_LINES = [
  'AVIS D\'IMPÔT 2025 SUR LES REVENUS DE L\'ANNÉE 2024',
  'Direction générale des Finances publiques',
  'Madame Hélène Lefèvre, née le 14/02/1987 à Besançon',
  'Adresse : 12 rue de l\'Église, 75011 Paris',
  'Numéro fiscal : 1234567890123',
  'Référence de l\'avis : 2524A12345678',
  'Revenu fiscal de référence : 18 452 €',
  'Nombre de parts : 2,5 — situation : célibataire',
  'Date de mise en recouvrement : 31/07/2025',
  'Impôt sur le revenu net avant corrections : 1 287 €',
  'Prélèvements sociaux : 0 € ; montant à payer : 214,50 €',
  'Vous pouvez déclarer un changement de situation',
  'sur impots.gouv.fr ou à votre centre des finances',
  'publiques, même après le 15 septembre 2025.',
  'Reçu le jeudi 4 décembre 2025 à l\'accueil du CCAS.',
  'Garçon, œuvre, où, déjà, français, août, forêt, maïs.',
];
