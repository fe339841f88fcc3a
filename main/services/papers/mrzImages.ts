/**
 * The images of a paper in which to look for its machine-readable zone: a photo or scan as it is (JPEG, PNG, TIFF),
 * and the images drawn on the first pages of a PDF (the vault's papers are PDFs whose pages are each one JPEG or
 * PNG image: main/vault/pdf.ts); plus the bottom band of an image, where the MRZ sits on every kind (ICAO Doc 9303
 * part 4 §4.2 and part 5 §4.2: the MRZ fills the bottom of the data page or of the card's back). docs/mrz.md.
 */
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, PDFDict, PDFNumber } from 'pdf-lib';
import { PNG } from 'pngjs';
import { detectKind } from '../../vault/images';
import { readPngSize } from '../../vault/headers';

interface JpegDecoder {
  decode(data: Uint8Array, opts: { useTArray: true; formatAsRGBA: true; maxResolutionInMP: number; maxMemoryUsageInMB: number }): { width: number; height: number; data: Uint8Array };
}
const jpeg = createRequire(import.meta.url)('jpeg-js') as JpegDecoder;

/** Pages of a PDF looked at: a passport scan or a card's two sides. */
const PDF_PAGES = 2;
/** Images larger than this are read whole, never decoded here to cut their band (the core's thread stays free). */
const MAX_BAND_PIXELS = 12_000_000;

/**
 * The images to read in one file: itself for JPEG, PNG and TIFF; for a PDF, each page's images of the first two
 * pages as JPEG (DCT streams as they are) or PNG (8-bit gray or RGB Flate streams, re-encoded). Anything else → [].
 * Never throws: a file that cannot be read simply has no MRZ to offer.
 */
export async function imagesOf(bytes: Uint8Array): Promise<Uint8Array[]> {
  const kind = detectKind(bytes);
  if (kind === 'jpeg' || kind === 'png' || kind === 'tiff') return [bytes];
  if (kind !== 'pdf') return [];
  try {
    const pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false });
    const out: Uint8Array[] = [];
    for (const page of pdf.getPages().slice(0, PDF_PAGES)) {
      const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
      for (const [, ref] of xobjects?.entries() ?? []) {
        const stream = pdf.context.lookup(ref);
        if (stream instanceof PDFRawStream) {
          const image = streamImage(stream);
          if (image) out.push(image);
        }
      }
    }
    return out;
  } catch {
    return [];
  }
}

function streamImage(stream: PDFRawStream): Uint8Array | null {
  const dict = stream.dict;
  if (dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return null;
  const filter = dict.get(PDFName.of('Filter'));
  if (filter === PDFName.of('DCTDecode')) return stream.contents;
  if (filter !== PDFName.of('FlateDecode')) return null;
  const num = (k: string) => (dict.get(PDFName.of(k)) as PDFNumber | undefined)?.asNumber() ?? 0;
  const [width, height, bits] = [num('Width'), num('Height'), num('BitsPerComponent')];
  const space = dict.get(PDFName.of('ColorSpace'));
  const channels = space === PDFName.of('DeviceGray') ? 1 : space === PDFName.of('DeviceRGB') ? 3 : 0;
  if (!channels || bits !== 8 || width <= 0 || height <= 0 || width * height > MAX_BAND_PIXELS || dict.get(PDFName.of('DecodeParms'))) return null;
  const raw = inflateSync(stream.contents);
  if (raw.byteLength !== width * height * channels) return null;
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = channels === 1 ? [raw[i]!, raw[i]!, raw[i]!] : [raw[i * 3]!, raw[i * 3 + 1]!, raw[i * 3 + 2]!];
    png.data[i * 4] = r;
    png.data[i * 4 + 1] = g;
    png.data[i * 4 + 2] = b;
    png.data[i * 4 + 3] = 255;
  }
  return new Uint8Array(PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2, deflateLevel: 1 }));
}

/**
 * The bottom `share` (0–1) of a JPEG or PNG image as a gray PNG, or null for another format, an unreadable image or
 * one over 12 megapixels (then only the whole image is read).
 */
export function bottomBand(image: Uint8Array, share = 0.4): Uint8Array | null {
  try {
    const kind = detectKind(image);
    let rgba: { width: number; height: number; data: Uint8Array };
    if (kind === 'png') {
      const size = readPngSize('image', image);
      if (size.width * size.height > MAX_BAND_PIXELS) return null;
      const head = PNG.sync.read(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
      rgba = { width: head.width, height: head.height, data: head.data };
    } else if (kind === 'jpeg') {
      rgba = jpeg.decode(image, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_BAND_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
    } else return null;
    if (rgba.width * rgba.height > MAX_BAND_PIXELS) return null;
    const top = Math.floor(rgba.height * (1 - share));
    const height = rgba.height - top;
    const band = new PNG({ width: rgba.width, height, colorType: 0 });
    band.data = Buffer.from(rgba.data.subarray(top * rgba.width * 4, rgba.height * rgba.width * 4));
    return new Uint8Array(PNG.sync.write(band, { colorType: 0, inputColorType: 6, deflateLevel: 1 }));
  } catch {
    return null;
  }
}
