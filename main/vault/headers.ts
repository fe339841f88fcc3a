/**
 * What an image file declares about itself, read from its header without decoding a pixel, so that a file declaring
 * a huge image or thousands of pages is refused before any memory is spent on it (docs/vault-limits.md):
 * - PNG: the IHDR chunk (RFC 2083 §3.2 chunk layout and CRC, §4.1.1 IHDR);
 * - TIFF: the chain of image file directories (TIFF 6.0 §2 "Image File Directory"), each entry checked to lie inside
 *   the file, without reading a strip.
 * Every check throws `invalidInput` (AppError VALIDATION naming the file).
 */
import { crc32 } from 'node:zlib';
import { invalidInput } from './errors';
import { MAX_PAGES_PER_PAPER } from './limits';

/** Width and height in pixels of one image (a PNG, or one page of a TIFF). */
export interface ImageSize {
  width: number;
  height: number;
}

/** One page of a TIFF: its size, the index of its directory in the main chain, its Compression (259, 1 if absent). */
export interface TiffPageLayout extends ImageSize {
  ifd: number;
  compression: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads the IHDR chunk of a PNG: it must come first, be 13 bytes long and carry a valid CRC-32 (RFC 2083 §3.4);
 * width and height are 1 … 2³¹ − 1 (§4.1.1). Throws VALIDATION for anything else.
 */
export function readPngSize(name: string, bytes: Uint8Array): ImageSize {
  const bad = () => invalidInput(name, 'fichier PNG endommagé ou illisible.');
  if (bytes.byteLength < 33 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) throw bad();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = Buffer.from(bytes.subarray(12, 16)).toString('latin1');
  if (view.getUint32(8) !== 13 || type !== 'IHDR') throw bad();
  if (crc32(bytes.subarray(12, 29)) !== view.getUint32(29)) throw bad();
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw bad();
  return { width, height };
}

/** Byte size of one value of each TIFF field type (TIFF 6.0 §2 "Types"; 13 IFD is from the TIFF-PM supplement). */
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
/** Types whose values are counted (a decoder reads them value by value; the others are views on the file). */
const COUNTED_TYPES = new Set([2, 3, 4, 5, 8, 9, 10, 11, 12]);
/** Values of counted types over the whole file: far more than strip offsets and counts of a paper at its pixel cap. */
export const MAX_TIFF_VALUES = 4_000_000;
/** Image directories in the main chain: a page and its thumbnail each have one. */
export const MAX_TIFF_IFDS = 2 * MAX_PAGES_PER_PAPER;
/**
 * Tags that point into other directories (SubIFDs 330, Exif IFD 34665, MakerNote 37500, DNG private data 50740).
 * None is needed to draw a page, and libvips does not follow them to decode one; `readTiffLayout` reports where they
 * are (a decoder that walks them, as UTIF did, must not be given them: a file whose sub-directories point many times
 * at the same one makes such a walk grow exponentially).
 */
const FOLLOWED_TAGS = new Set([330, 34665, 37500, 50740]);

/** What `readTiffLayout` learns: the pages (full-resolution directories) and where the followed tags are. */
export interface TiffLayout {
  pages: TiffPageLayout[];
  /** Byte offsets of the directory entries (their tag number) that point into other directories. */
  followedEntries: number[];
}

/**
 * Walks the main chain of image file directories of a TIFF (TIFF 6.0 §2) without decoding any strip: refuses a
 * chain that loops, leaves the file, or holds more than MAX_TIFF_IFDS directories or more than MAX_PAGES_PER_PAPER
 * pages; refuses an entry whose values lie outside the file, and files whose entries hold more than MAX_TIFF_VALUES
 * values in all. A page is a directory with ImageWidth (256) and ImageLength (257) that is not a reduced-resolution
 * image (NewSubfileType 254, bit 0); `ifd` is its index in the chain, as libvips numbers pages.
 */
export function readTiffLayout(name: string, bytes: Uint8Array): TiffLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.byteLength;
  const le = bytes[0] === 0x49;
  const broken = () => invalidInput(name, 'fichier TIFF tronqué ou endommagé (répertoire de pages invalide).');
  const seen = new Set<number>();
  const pages: TiffPageLayout[] = [];
  const followedEntries: number[] = [];
  let values = 0;
  let offset = size >= 8 ? view.getUint32(4, le) : 0;
  while (offset !== 0) {
    if (seen.has(offset) || offset + 2 > size) throw broken();
    if (seen.size >= MAX_TIFF_IFDS) throw invalidInput(name, `trop de répertoires d’images (plus de ${MAX_TIFF_IFDS}) : un document compte au plus ${MAX_PAGES_PER_PAPER} pages.`);
    seen.add(offset);
    const entries = view.getUint16(offset, le);
    const next = offset + 2 + entries * 12;
    if (next + 4 > size) throw invalidInput(name, 'fichier TIFF tronqué.');
    const tags = new Map<number, number>();
    for (let i = 0; i < entries; i++) {
      const at = offset + 2 + i * 12;
      const tag = view.getUint16(at, le);
      const type = view.getUint16(at + 2, le);
      const count = view.getUint32(at + 4, le);
      const unit = TYPE_SIZES[type];
      if (unit !== undefined && unit * count > 4 && view.getUint32(at + 8, le) + unit * count > size) throw broken();
      if (COUNTED_TYPES.has(type)) values += count;
      if (FOLLOWED_TAGS.has(tag)) followedEntries.push(at);
      if (tag === 259 && type === 3 && count === 1) tags.set(tag, view.getUint16(at + 8, le));
      if (tag === 254 || tag === 256 || tag === 257) {
        // NewSubfileType is a LONG, ImageWidth and ImageLength a SHORT or a LONG (TIFF 6.0 §8).
        if (count < 1 || (type !== 3 && type !== 4)) throw invalidInput(name, 'fichier TIFF endommagé (dimensions invalides).');
        tags.set(tag, type === 3 ? view.getUint16(at + 8, le) : view.getUint32(at + 8, le));
      }
    }
    values += entries;
    if (values > MAX_TIFF_VALUES) throw invalidInput(name, 'structure TIFF trop complexe (répertoires démesurés).');
    const width = tags.get(256);
    const height = tags.get(257);
    if (width !== undefined && height !== undefined && !((tags.get(254) ?? 0) & 1)) {
      pages.push({ width, height, ifd: seen.size - 1, compression: tags.get(259) ?? 1 });
      if (pages.length > MAX_PAGES_PER_PAPER) {
        throw invalidInput(name, `trop de pages (plus de ${MAX_PAGES_PER_PAPER}) : un document en compte au plus ${MAX_PAGES_PER_PAPER}. Découpez-le en plusieurs documents.`);
      }
    }
    offset = view.getUint32(next, le);
  }
  if (seen.size === 0) throw invalidInput(name, 'fichier TIFF sans aucune page.');
  return { pages, followedEntries };
}
