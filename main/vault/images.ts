/**
 * Recognising and checking scanned inputs before they are assembled into a PDF (see `pdf.ts`): type detection by magic
 * bytes, a JPEG marker walk, PNG validation, and multi-page TIFF decoding with UTIF (each page → RGBA → JPEG or PNG, pageImage.ts).
 * Every check throws `AppError('VALIDATION', '« <file name> » : …')` so the person at the desk knows which file is wrong.
 */
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { invalidInput } from './errors';
import { readPngSize, readTiffLayout, unfollowTiffEntries } from './headers';
import { MAX_PIXELS_PER_PAGE, PaperBudget } from './limits';
import { decodeRgbJpegStrips } from './tiffJpeg';
import { encodePageImage, type PageImage } from './pageImage';

export { invalidInput } from './errors';

/** Input types `buildPdf` accepts. */
export type InputKind = 'jpeg' | 'png' | 'tiff' | 'pdf';


/**
 * Detects the type from the first bytes, never from the extension: JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`,
 * TIFF `II*\0` / `MM\0*` (TIFF 6.0 §2), PDF `%PDF-` within the first 1024 bytes (ISO 32000-1 §7.5.2 and its
 * implementation note on leading garbage). Returns null for anything else (including BigTIFF).
 */
export function detectKind(bytes: Uint8Array): InputKind | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return head.includes('%PDF-') ? 'pdf' : null;
}

/** What `checkJpeg` learns: pixel size, components (1 gray, 3 YCbCr/RGB, 4 CMYK), EXIF orientation (1 if none). */
export interface JpegInfo {
  width: number;
  height: number;
  components: number;
  orientation: number;
}

/**
 * Walks the JPEG markers (ITU-T T.81 Annex B) up to the start of scan and checks that an end-of-image marker follows,
 * so a truncated download or a half-copied file is refused instead of producing a broken page. Only baseline and
 * progressive 8-bit Huffman JPEGs are accepted: the ones PDF's DCTDecode filter renders everywhere.
 */
export function checkJpeg(name: string, bytes: Uint8Array): JpegInfo {
  let info: Omit<JpegInfo, 'orientation'> | null = null;
  let orientation = 1;
  let pos = 2;
  while (pos + 4 <= bytes.byteLength) {
    if (bytes[pos] !== 0xff) throw invalidInput(name, 'fichier JPEG endommagé (structure illisible).');
    const marker = bytes[pos + 1] ?? 0;
    if (marker === 0xff) { pos += 1; continue; } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { pos += 2; continue; } // no length
    const length = ((bytes[pos + 2] ?? 0) << 8) | (bytes[pos + 3] ?? 0);
    const body = pos + 4;
    if (length < 2 || pos + 2 + length > bytes.byteLength) break;
    if (marker === 0xda) {
      if (!info) throw invalidInput(name, 'fichier JPEG endommagé (dimensions absentes).');
      if (!hasEndOfImage(bytes, pos + 2 + length)) throw invalidInput(name, 'fichier JPEG tronqué ou endommagé.');
      return { ...info, orientation };
    }
    if (marker === 0xe1) orientation = exifOrientation(bytes.subarray(body, pos + 2 + length)) ?? orientation;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker > 0xc2) throw invalidInput(name, 'JPEG sans perte ou à codage arithmétique, non pris en charge.');
      if (bytes[body] !== 8) throw invalidInput(name, 'JPEG en 12 bits par composante, non pris en charge.');
      const height = ((bytes[body + 1] ?? 0) << 8) | (bytes[body + 2] ?? 0);
      const width = ((bytes[body + 3] ?? 0) << 8) | (bytes[body + 4] ?? 0);
      const components = bytes[body + 5] ?? 0;
      if (!width || !height || ![1, 3, 4].includes(components)) {
        throw invalidInput(name, 'fichier JPEG endommagé (dimensions invalides).');
      }
      info = { width, height, components };
    }
    pos += 2 + length;
  }
  throw invalidInput(name, 'fichier JPEG tronqué ou endommagé.');
}

/** Entropy-coded data escapes 0xFF as FF 00, so an FF D9 after the scan header can only be the EOI marker. */
function hasEndOfImage(bytes: Uint8Array, from: number): boolean {
  for (let i = bytes.byteLength - 2; i >= from; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

/** EXIF tag 0x0112 (Orientation, 1–8) from an APP1 segment body, or null (Exif 2.32 §4.6.4, TIFF-structured IFD0). */
function exifOrientation(app1: Uint8Array): number | null {
  if (app1.byteLength < 14 || Buffer.from(app1.subarray(0, 6)).toString('latin1') !== 'Exif\0\0') return null;
  const view = new DataView(app1.buffer, app1.byteOffset + 6, app1.byteLength - 6);
  const le = view.getUint16(0) === 0x4949;
  const ifd = view.getUint32(4, le);
  if (ifd + 2 > view.byteLength) return null;
  const count = view.getUint16(ifd, le);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > view.byteLength) return null;
    if (view.getUint16(entry, le) === 0x0112) {
      const value = view.getUint16(entry + 8, le);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/**
 * Checks a PNG: its size from the IHDR chunk first, counted in `budget` (MAX_PIXELS_PER_PAGE, MAX_PIXELS_PER_PAPER)
 * before any pixel is decoded, then fully (chunk CRCs, zlib stream) by decoding it with pngjs. Returns its pixel size.
 */
export function checkPng(name: string, bytes: Uint8Array, budget: PaperBudget = new PaperBudget()): { width: number; height: number } {
  const { width, height } = readPngSize(name, bytes);
  budget.addImage(name, width, height);
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (png.width !== width || png.height !== height) throw new Error('size changed');
    return { width, height };
  } catch {
    throw invalidInput(name, 'fichier PNG endommagé ou illisible.');
  }
}

/** The subset of UTIF (untyped CommonJS) used here. Tags are `t<number>` arrays, as UTIF names them. */
interface UtifIfd {
  [tag: `t${number}`]: number[] | undefined;
  width?: number;
  height?: number;
  data?: Uint8Array;
}
interface Utif {
  decode(buffer: ArrayBuffer): UtifIfd[];
  decodeImage(buffer: ArrayBuffer, ifd: UtifIfd, ifds: UtifIfd[]): void;
  toRGBA8(ifd: UtifIfd): Uint8Array;
}
const UTIF = createRequire(import.meta.url)('utif') as Utif;


// TIFF 6.0 Compression (259) values UTIF decodes, and PhotometricInterpretation (262) → accepted BitsPerSample (258).
const COMPRESSIONS = new Set([1, 3, 4, 5, 6, 7, 8, 32773, 32809]);
const PHOTOMETRIC_BITS: Record<number, number[]> = { 0: [1, 4, 8], 1: [1, 2, 8, 16], 2: [8, 16], 3: [8], 5: [8] };

/** One decoded TIFF page, re-encoded for the PDF (see pageImage.ts), with its pixel size. */
export type TiffPage = PageImage;

/**
 * Decodes every page of a (multi-page) TIFF — bilevel (CCITT G3/G4, PackBits), gray, palette, RGB, CMYK; uncompressed,
 * LZW, Deflate or JPEG — into page images at full resolution (no resampling): JPEG pages stay JPEG, the others become
 * PNG (grayscale for gray and bilevel pages; alpha kept only when the TIFF has one). Reduced-resolution IFDs (thumbnails) are skipped.
 * The directories are read first (headers.ts): every page is counted in `budget` (pages and pixels) before any strip
 * is decoded, so a file declaring too many or too large pages is refused at once.
 */
export function decodeTiffPages(name: string, bytes: Uint8Array, budget: PaperBudget = new PaperBudget()): TiffPage[] {
  const layout = readTiffLayout(name, bytes);
  if (layout.pages.length === 0) throw invalidInput(name, 'fichier TIFF sans aucune page.');
  budget.addPages(name, layout.pages.length);
  layout.pages.forEach((page, i) => budget.addImage(name, page.width, page.height, layout.pages.length > 1 ? i + 1 : undefined));
  const copy = bytes.slice();
  unfollowTiffEntries(copy, layout);
  const buffer = copy.buffer as ArrayBuffer;
  let ifds: UtifIfd[];
  try {
    ifds = UTIF.decode(buffer);
  } catch {
    throw invalidInput(name, 'fichier TIFF endommagé (structure illisible).');
  }
  const pages = ifds.filter((ifd) => ifd.t256 && ifd.t257 && !((ifd.t254?.[0] ?? 0) & 1));
  if (pages.length !== layout.pages.length) throw invalidInput(name, 'fichier TIFF endommagé (répertoire de pages invalide).');
  return pages.map((ifd, index) => decodeTiffPage(name, bytes.byteLength, buffer, ifd, ifds, index + 1));
}

function decodeTiffPage(name: string, size: number, buffer: ArrayBuffer, ifd: UtifIfd, ifds: UtifIfd[], page: number): TiffPage {
  const width = ifd.t256?.[0] ?? 0;
  const height = ifd.t257?.[0] ?? 0;
  const compression = ifd.t259?.[0] ?? 1;
  let photometric = ifd.t262?.[0] ?? 2;
  const bits = ifd.t258?.[0] ?? 1;
  const samples = ifd.t258?.length ?? 1;
  if (photometric === 6 && (compression === 6 || compression === 7)) photometric = 2; // the JPEG decoder outputs RGB
  if (!width || !height || width * height > MAX_PIXELS_PER_PAGE) throw invalidInput(name, `page ${page} : dimensions invalides.`);
  if (!COMPRESSIONS.has(compression) || !PHOTOMETRIC_BITS[photometric]?.includes(bits) || ifd.t284?.[0] === 2) {
    throw invalidInput(name, `page ${page} : codage TIFF non pris en charge (compression ${compression}, photométrie ${photometric}).`);
  }
  const offsets = ifd.t273 ?? ifd.t324 ?? [];
  const counts = ifd.t279 ?? ifd.t325 ?? [];
  if (offsets.length === 0 || offsets.some((o, i) => o + (counts[i] ?? 0) > size)) {
    throw invalidInput(name, `page ${page} : fichier TIFF tronqué.`);
  }
  let rgba: Uint8Array;
  try {
    if (compression === 7 && photometric === 2 && ifd.t262?.[0] === 2 && !ifd.t322) {
      rgba = decodeRgbJpegStrips(new Uint8Array(buffer), { width, height, offsets, counts, rowsPerStrip: ifd.t278?.[0] ?? height, tables: ifd.t347 });
    } else {
      ifd.t262 = [photometric];
      UTIF.decodeImage(buffer, ifd, ifds);
      rgba = UTIF.toRGBA8(ifd);
    }
  } catch {
    throw invalidInput(name, `page ${page} : image TIFF endommagée.`);
  }
  const gray = photometric === 0 || photometric === 1;
  const alpha = photometric === 2 && samples === 4;
  return encodePageImage(rgba, width, height, { gray, alpha, lossySource: compression === 6 || compression === 7 });
}
