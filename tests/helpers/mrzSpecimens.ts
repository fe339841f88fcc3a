/**
 * Specimen machine-readable zones for the tests, built field by field with check digits computed here (ICAO Doc 9303
 * part 3 §4.9: weights 7-3-1, `<` = 0, A = 10 … Z = 35), independently of the `mrz` package under test. Fictitious
 * people; document numbers invented. `corrupt` spoils one check digit so that readers must refuse the specimen.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function checkDigit(s: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const v = c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * (weights[i % 3] ?? 1);
  }
  return String(sum % 10);
}

const field = (s: string, n: number) => s.padEnd(n, '<').slice(0, n);
const name = (last: string, first: string, n: number) => field(`${last}<<${first.replace(/ /g, '<')}`, n);
/** Replaces the check digit at `at` of `line` by another digit. */
const spoil = (line: string, at: number) => line.slice(0, at) + String((Number(line[at]) + 1) % 10) + line.slice(at + 1);

export type Person = { last: string; first: string; birth: string; sex: 'M' | 'F'; expiry: string; number: string };

/** TD3 passport (ICAO Doc 9303 part 4 §4.2.2): 2 × 44. `corrupt` spoils the birth date's check digit. */
export function td3(p: Person, corrupt = false): string[] {
  const l1 = field(`P<FRA${name(p.last, p.first, 39)}`, 44);
  const num = field(p.number, 9);
  const personal = field('', 14);
  const body = `${num}${checkDigit(num)}FRA${p.birth}${checkDigit(p.birth)}${p.sex}${p.expiry}${checkDigit(p.expiry)}${personal}${checkDigit(personal)}`;
  const composite = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
  const l2 = body + checkDigit(composite);
  return [l1, corrupt ? spoil(l2, 19) : l2];
}

/** TD1 card (ICAO Doc 9303 part 5 §4.2.2): 3 × 30; `code` `ID` (identity card) or `IR` (residence permit). */
export function td1(p: Person, code: 'ID' | 'IR' = 'ID', corrupt = false): string[] {
  const num = field(p.number, 9);
  const l1 = field(`${code}FRA${num}${checkDigit(num)}`, 30);
  const l2core = `${p.birth}${checkDigit(p.birth)}${p.sex}${p.expiry}${checkDigit(p.expiry)}FRA${field('', 11)}`;
  const l2 = l2core + checkDigit(l1.slice(5, 30) + l2core.slice(0, 7) + l2core.slice(8, 15) + l2core.slice(18, 29));
  const l3 = name(p.last, p.first, 30);
  return [l1, corrupt ? spoil(l2, 14) : l2, l3];
}

/**
 * Old French identity card, 2 × 36: `IDFRA` + name (25) + office (6); issue `YYMM`, department (3), number (5), check,
 * first names (14), birth, check, sex, composite over both lines. `corrupt` spoils the composite check digit.
 */
export function frenchId(p: Omit<Person, 'expiry'> & { issued: string }, corrupt = false): string[] {
  const l1 = `IDFRA${field(p.last, 25)}075123`;
  const head = `${p.issued}075${field(p.number, 5)}`;
  const first = field(p.first.replace(/ /g, '<<'), 14);
  const l2core = `${head}${checkDigit(head)}${first}${p.birth}${checkDigit(p.birth)}${p.sex}`;
  const l2 = l2core + checkDigit(l1 + l2core);
  return [l1, corrupt ? spoil(l2, 35) : l2];
}

/** The OCR-B font of MRZs (ICAO Doc 9303 part 3 §4.2), from the Debian package fonts-ocr-b. */
export const OCRB = '/usr/share/fonts/opentype/ocr-b/OCRB.otf';

/**
 * A 300-dpi PNG of a card-sized page (ImageMagick from the Debian package imagemagick) (ID-1 85.6 × 54 mm, or ID-3 125 × 88 mm for 44-character lines) with some
 * printed text at the top and the MRZ lines in its bottom band, drawn by ImageMagick (`convert`).
 */
export function specimenPng(lines: readonly string[], out: string): void {
  if (!existsSync(OCRB)) throw new Error(`police OCR-B absente : ${OCRB} (paquet Debian fonts-ocr-b)`);
  const length = lines[0]?.length ?? 0;
  const [w, h] = [Math.max(1011, 80 + length * 32), length > 36 ? 1039 : 638];
  // 10 characters per inch (ICAO Doc 9303 part 3 §4.2: 2.54 mm pitch) is 30 px at 300 dpi: OCR-B at 11 pt.
  const y0 = h - 40 - (lines.length - 1) * 50;
  const draw = lines.flatMap((l, i) => ['-draw', `text 35,${y0 + i * 50} '${l}'`]);
  execFileSync('convert', [
    '-size', `${w}x${h}`, 'xc:white', '-units', 'PixelsPerInch', '-density', '300',
    '-fill', 'black', '-font', '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '-pointsize', '8',
    '-draw', "text 40,80 'RÉPUBLIQUE FRANÇAISE — SPÉCIMEN'",
    '-font', OCRB, '-pointsize', '11', ...draw,
    '-colorspace', 'Gray', out,
  ]);
}

/**
 * An A4 page (SVG, viewBox in millimetres, as tests/helpers/esclPages.ts draws the test scanner's pages) with an
 * identity paper laid at the top left of the platen: its frame, a printed heading and its MRZ `lines` in OCR-B
 * (font family « OCR B » from fonts-ocr-b, found by fontconfig) at 10 characters per inch (ICAO Doc 9303 part 3
 * §4.2), lines 4.23 mm apart, at the bottom of the paper.
 */
export function specimenPageSvg(lines: readonly string[]): string {
  const length = lines[0]?.length ?? 0;
  const [w, h] = length > 36 ? [125, 88] : [85.6, 54];
  const [x, y] = [15, 15];
  const escape = (s: string) => s.replace(/</g, '&lt;');
  const y0 = y + h - 5 - (lines.length - 1) * 4.23;
  const mrz = lines.map((l, i) => `<text x="${x + 3}" y="${(y0 + i * 4.23).toFixed(2)}" font-family="OCR B" font-size="3.88" fill="black">${escape(l)}</text>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297"><rect width="210" height="297" fill="white"/>` +
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="#f4f1ea" stroke="#999" stroke-width="0.3"/>` +
    `<text x="${x + 4}" y="${y + 7}" font-family="DejaVu Sans, sans-serif" font-size="2.8" fill="black">RÉPUBLIQUE FRANÇAISE — SPÉCIMEN</text>` +
    `${mrz.join('')}</svg>`
  );
}
