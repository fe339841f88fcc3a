/**
 * Recognising scanned inputs before they are assembled into a PDF (see `pdf.ts`): type detection by magic bytes and a
 * JPEG marker walk. Decoding is raster.ts (libvips through sharp, libheif for HEIC); headers are read first (headers.ts).
 * Every check throws `AppError('VALIDATION', '« <file name> » : …')` so the person at the desk knows which file is wrong.
 */
import { invalidInput } from './errors';

export { invalidInput } from './errors';

/** Input types `buildPdf` accepts. */
export type InputKind = 'jpeg' | 'png' | 'tiff' | 'heic' | 'pdf';

/** HEIF major brands of still images and sequences from phones (ISO/IEC 23008-12 Annex B; `mif1` is the generic one). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);


/**
 * Detects the type from the first bytes, never from the extension: JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`,
 * TIFF `II*\0` / `MM\0*` (TIFF 6.0 §2), HEIC an ISO BMFF `ftyp` box whose major brand is a HEIF one, PDF `%PDF-` within the first 1024 bytes (ISO 32000-1 §7.5.2 and its
 * implementation note on leading garbage). Returns null for anything else (including BigTIFF).
 */
export function detectKind(bytes: Uint8Array): InputKind | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (bytes.byteLength >= 12 && Buffer.from(bytes.subarray(4, 12)).toString('latin1').startsWith('ftyp')
    && HEIF_BRANDS.has(Buffer.from(bytes.subarray(8, 12)).toString('latin1'))) return 'heic';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return head.includes('%PDF-') ? 'pdf' : null;
}

/**
 * What `checkJpeg` learns: pixel size, components (1 gray, 3 YCbCr/RGB, 4 CMYK), EXIF orientation (1 if none), and
 * whether PDF's DCTDecode renders it everywhere as it is (`embeddable`: baseline or progressive Huffman, 8 bits, not
 * CMYK, whose Adobe inversion viewers read differently) — the others are decoded by libvips (raster.ts).
 */
export interface JpegInfo {
  width: number;
  height: number;
  components: number;
  orientation: number;
  embeddable: boolean;
}

/**
 * Walks the JPEG markers (ITU-T T.81 Annex B) up to the start of scan and checks that an end-of-image marker follows,
 * so a truncated download or a half-copied file is refused instead of producing a broken page.
 */
export function checkJpeg(name: string, bytes: Uint8Array): JpegInfo {
  let info: Omit<JpegInfo, 'orientation' | 'embeddable'> | null = null;
  let embeddable = true;
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
      return { ...info, orientation, embeddable: embeddable && info.components !== 4 };
    }
    if (marker === 0xe1) orientation = exifOrientation(bytes.subarray(body, pos + 2 + length)) ?? orientation;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker > 0xc2 || bytes[body] !== 8) embeddable = false; // lossless, arithmetic or 12-bit: libvips decodes it
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

