/**
 * The images of a paper in which to look for its machine-readable zone: a photo or scan as it is (JPEG, PNG, TIFF),
 * and the images drawn on the first pages of a PDF (the vault's papers are PDFs whose pages are each one image:
 * main/vault/pdf.ts; taken out as the OCR takes them, main/ocr/pageSources.ts: as stored, or decoded by pdf.js for
 * CCITT, JBIG2, JPEG 2000 and the other kinds a scanner's own PDF may hold); plus the bottom band of an image, where
 * the MRZ sits on every kind (ICAO Doc 9303 part 4 §4.2 and part 5 §4.2: the MRZ fills the bottom of the data page or
 * of the card's back). docs/mrz.md.
 */
import sharp from 'sharp';
import { openPaperPages } from '../../ocr/pageSources';
import { detectKind } from '../../vault/images';

/** Pages of a PDF looked at: a passport scan or a card's two sides. */
const PDF_PAGES = 2;
/** Images larger than this are read whole, never decoded here to cut their band. */
const MAX_BAND_PIXELS = 12_000_000;

/**
 * The images to read in one file: itself for JPEG, PNG and TIFF; for a PDF, the image of each of its first two pages
 * (JPEG as stored, PNG, PNM or PBM, or pdf.js's decoding as PNG: `openPaperPages`). Anything else → [].
 * Never throws: a file that cannot be read simply has no MRZ to offer.
 */
export async function imagesOf(bytes: Uint8Array): Promise<Uint8Array[]> {
  const kind = detectKind(bytes);
  if (kind === 'jpeg' || kind === 'png' || kind === 'tiff') return [bytes];
  if (kind !== 'pdf') return [];
  try {
    const pages = await openPaperPages(bytes);
    try {
      const out: Uint8Array[] = [];
      for (let i = 0; i < Math.min(pages.count, PDF_PAGES); i++) {
        const page = await pages.read(i);
        // A page read from its text layer (a born-digital file) has no zone to read.
        if (page.kind === 'image' && page.image.image) out.push(await pnmToPng(page.image.image));
      }
      return out;
    } finally {
      await pages.close();
    }
  } catch {
    return [];
  }
}

/**
 * An 8-bit gray or RGB PNM (« P5 » / « P6 », as `openPages` gives uncompressed pixels) as a PNG, which libvips and
 * the band cut read; any other image is returned as it is.
 */
async function pnmToPng(image: Uint8Array): Promise<Uint8Array> {
  const head = /^P([56])\n(\d+) (\d+)\n255\n/.exec(Buffer.from(image.subarray(0, 32)).toString('latin1'));
  if (!head) return image;
  const raw = { width: Number(head[2]), height: Number(head[3]), channels: head[1] === '5' ? (1 as const) : (3 as const) };
  return new Uint8Array(await sharp(image.subarray(head[0].length), { raw }).png().toBuffer());
}

/**
 * The bottom `share` (0–1) of a JPEG, PNG or TIFF image as a gray PNG (libvips, off the core's thread), or null for
 * another format, an unreadable image or one over 12 megapixels (then only the whole image is read).
 */
export async function bottomBand(image: Uint8Array, share = 0.4): Promise<Uint8Array | null> {
  try {
    const kind = detectKind(image);
    if (kind !== 'jpeg' && kind !== 'png' && kind !== 'tiff') return null;
    const input = sharp(image, { limitInputPixels: MAX_BAND_PIXELS, failOn: 'error' }).rotate();
    const { width, height } = await input.metadata();
    if (!width || !height || width * height > MAX_BAND_PIXELS) return null;
    const upright = await input.raw().toBuffer({ resolveWithObject: true });
    const w = upright.info.width;
    const h = upright.info.height;
    const top = Math.floor(h * (1 - share));
    const raw = { width: w, height: h, channels: upright.info.channels };
    return new Uint8Array(await sharp(upright.data, { raw }).extract({ left: 0, top, width: w, height: h - top }).grayscale().png().toBuffer());
  } catch {
    return null;
  }
}
