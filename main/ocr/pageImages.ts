/**
 * The image of each page of a stored paper, for OCR, taken from the PDF itself rather than rendered
 * (docs/ocr.md "Pages to images"). Every paper that came from a scanner, a camera or an image file is a PDF whose
 * page shows one image (main/vault/pdf.ts draws it fitted on an A4 page), and so is nearly every scanned PDF: the
 * embedded image is the scan at its own resolution, and handing it to Tesseract costs no rendering and loses nothing.
 *
 * - DCTDecode (JPEG) images are passed as they are; 8-bit DeviceGray/DeviceRGB Flate images become PNM (a header
 *   in front of the inflated pixels, inflated on libuv's thread pool); 1-bit gray becomes PBM.
 * - Flate images with PNG predictors (DecodeParms /Predictor 10–15, ISO 32000-1 §7.4.4.4: what main/vault/raster.ts
 *   writes for lossless and bilevel pages) are the zlib stream of a PNG's IDAT: they become a PNG file by putting the
 *   signature, IHDR and IEND chunks around the stream as it is (RFC 2083 §3–4), without inflating anything.
 * - The placement matrix of the image (the product of the `cm` operators in force at its `Do`, PDF 32000-1 §8.3.4
 *   and §8.4.4) comes along, to put the recognised words back on the page (searchable PDF export).
 * - A page drawn from text and vectors, or with an image kind not listed above (CCITT G3/G4, JBIG2, JPEG 2000,
 *   indexed colours, 16-bit, CMYK), gets `image: null` and a French reason here. The OCR does not stop there
 *   (main/ocr/pageSources.ts): a page with a text layer is read by pdf.js without OCR, and the other image kinds are
 *   decoded by pdf.js (main/ocr/pdfjsPages.ts) into a PNG. This module stays the first try for images because it
 *   hands the scan over without decoding or copying its pixels.
 */
import { promisify } from 'node:util';
import { crc32, inflate } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, decodePDFRawStream, type PDFPage, type PDFObject } from 'pdf-lib';

const inflateAsync = promisify(inflate);

/** A 2-D affine matrix [a b c d e f] as in PDF: (x, y) → (a·x + c·y + e, b·x + d·y + f). */
export type Matrix = [number, number, number, number, number, number];

export interface PageImage {
  /** PNG-free bytes Tesseract reads: JPEG as stored, or PNM; null when the page has no usable image. */
  image: Uint8Array | null;
  /** Pixels of the image (0 when none). */
  width: number;
  height: number;
  /** The image's unit square → page space (points), or null. */
  matrix: Matrix | null;
  /** Why the page has no image to recognise (French), else null. */
  reason: string | null;
}

/** The product m·n of two PDF matrices (m applied first, then n: PDF 32000-1 §8.3.4). */
export const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** The page's content streams, decoded and joined. */
function contentOf(page: PDFPage): string {
  const doc = page.doc;
  const contents = page.node.get(PDFName.of('Contents'));
  const streams: PDFObject[] = [];
  const resolved = contents instanceof PDFRef ? doc.context.lookup(contents) : contents;
  if (resolved instanceof PDFArray) for (let i = 0; i < resolved.size(); i++) streams.push(doc.context.lookup(resolved.get(i)) as PDFObject);
  else if (resolved) streams.push(resolved);
  let text = '';
  for (const stream of streams) {
    if (stream instanceof PDFRawStream) text += `${Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')}\n`;
  }
  return text;
}

/**
 * The largest image XObject drawn by the page's content (its name and placement), following q/Q/cm. Inline images
 * and images inside form XObjects are not followed.
 */
function largestDraw(content: string): { name: string; matrix: Matrix } | null {
  const tokens = content.match(/\/[^\s/<>[\]()]+|-?\d*\.?\d+(?:e-?\d+)?|[A-Za-z'"*]+/g) ?? [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  const operands: string[] = [];
  let best: { name: string; matrix: Matrix; area: number } | null = null;
  for (const token of tokens) {
    if (/^[-\d.]/.test(token) || token.startsWith('/')) {
      operands.push(token);
      continue;
    }
    if (token === 'q') stack.push(ctm);
    else if (token === 'Q') ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (token === 'cm' && operands.length >= 6) ctm = multiply(operands.slice(-6).map(Number) as Matrix, ctm);
    else if (token === 'Do' && operands.length >= 1) {
      const area = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
      if (!best || area > best.area) best = { name: operands[operands.length - 1]!.slice(1), matrix: ctm, area };
    }
    operands.length = 0;
  }
  return best ? { name: best.name, matrix: best.matrix } : null;
}

const num = (dict: PDFDict, key: string): number | null => {
  const v = dict.lookup(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : null;
};

function filterOf(dict: PDFDict): string | null {
  const f = dict.lookup(PDFName.of('Filter'));
  if (f instanceof PDFName) return f.decodeText();
  if (f instanceof PDFArray && f.size() === 1) {
    const only = f.lookup(0);
    return only instanceof PDFName ? only.decodeText() : null;
  }
  return f === undefined ? 'none' : null;
}

/** One PNG chunk: length, type, data, CRC-32 of type and data (RFC 2083 §3.2). */
function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.byteLength + 4);
  out.writeUInt32BE(data.byteLength, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.byteLength);
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A PNG file around a FlateDecode stream with PNG predictors, or null when its parameters are not a plain PNG's
 * (colours other than 1 or 3, a bit depth PNG gray/RGB does not have, Columns other than the width, a Decode array).
 */
function pngFromPredicted(dict: PDFDict, contents: Uint8Array, width: number, height: number, bits: number, channels: number): Uint8Array | null {
  const parms = dict.lookup(PDFName.of('DecodeParms'));
  if (!(parms instanceof PDFDict) || dict.lookup(PDFName.of('Decode'))) return null;
  const predictor = num(parms, 'Predictor') ?? 1;
  const colors = num(parms, 'Colors') ?? 1;
  const columns = num(parms, 'Columns') ?? 1;
  const parmBits = num(parms, 'BitsPerComponent') ?? 8;
  if (predictor < 10 || colors !== channels || columns !== width || parmBits !== bits) return null;
  if (!(channels === 1 ? [1, 2, 4, 8, 16] : [8, 16]).includes(bits)) return null;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bits;
  ihdr[9] = channels === 3 ? 2 : 0; // colour type: truecolour or greyscale
  // compression 0 (deflate), filter method 0 (adaptive, the predictors' five filters), interlace 0: already zero.
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', contents), pngChunk('IEND', new Uint8Array(0))]);
}

const none = (reason: string): PageImage => ({ image: null, width: 0, height: 0, matrix: null, reason });

async function imageOf(page: PDFPage): Promise<PageImage> {
  const drawn = largestDraw(contentOf(page));
  if (!drawn) return none('page sans image numérisée (texte ou dessin vectoriel)');
  const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'));
  const ref = xobjects instanceof PDFDict ? xobjects.get(PDFName.of(drawn.name)) : undefined;
  const stream = ref instanceof PDFRef ? page.doc.context.lookup(ref) : ref;
  if (!(stream instanceof PDFRawStream) || stream.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) return none('page sans image numérisée (texte ou dessin vectoriel)');
  const dict = stream.dict;
  const width = num(dict, 'Width') ?? 0;
  const height = num(dict, 'Height') ?? 0;
  const bits = num(dict, 'BitsPerComponent') ?? 8;
  const space = dict.lookup(PDFName.of('ColorSpace'));
  const spaceName = space instanceof PDFName ? space.decodeText() : null;
  const filter = filterOf(dict);
  if (width <= 0 || height <= 0) return none('image de la page sans dimensions');
  if (filter === 'DCTDecode') return { image: stream.contents, width, height, matrix: drawn.matrix, reason: null };
  const channelCount = spaceName === 'DeviceRGB' ? 3 : spaceName === 'DeviceGray' ? 1 : 0;
  if (filter === 'FlateDecode' && channelCount > 0) {
    const png = pngFromPredicted(dict, stream.contents, width, height, bits, channelCount);
    if (png) return { image: png, width, height, matrix: drawn.matrix, reason: null };
  }
  if ((filter === 'FlateDecode' || filter === 'none') && !dict.lookup(PDFName.of('DecodeParms'))) {
    const raw = filter === 'none' ? stream.contents : new Uint8Array(await inflateAsync(stream.contents));
    const channels = spaceName === 'DeviceRGB' ? 3 : spaceName === 'DeviceGray' ? 1 : 0;
    if (channels > 0 && bits === 8 && raw.byteLength >= width * height * channels) {
      const header = Buffer.from(`${channels === 3 ? 'P6' : 'P5'}\n${width} ${height}\n255\n`, 'latin1');
      return { image: Buffer.concat([header, raw.subarray(0, width * height * channels)]), width, height, matrix: drawn.matrix, reason: null };
    }
    const rowBytes = Math.ceil(width / 8);
    if (channels === 1 && bits === 1 && raw.byteLength >= rowBytes * height) {
      // PDF gray: 0 is black; PBM: 1 is black.
      const pixels = Buffer.from(raw.subarray(0, rowBytes * height)).map((b) => b ^ 0xff);
      return { image: Buffer.concat([Buffer.from(`P4\n${width} ${height}\n`, 'latin1'), pixels]), width, height, matrix: drawn.matrix, reason: null };
    }
  }
  return none(`image de la page dans un format non reconnu (${filter ?? 'filtres multiples'}, ${spaceName ?? 'couleurs indexées ou ICC'}, ${bits} bits)`);
}

/**
 * The number of pages of `pdf` and a reader of each page's image (0-based index).
 * @throws Error when pdf-lib cannot read the PDF (the caller marks the paper's pages as failed).
 */
export async function openPages(pdf: Uint8Array): Promise<{ count: number; image(index: number): Promise<PageImage> }> {
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  const pages = doc.getPages();
  return {
    count: pages.length,
    image: async (index) => {
      const page = pages[index];
      if (!page) return none(`page ${index + 1} absente du document`);
      try {
        return await imageOf(page);
      } catch (e) {
        return none(`page illisible (${e instanceof Error ? e.message.slice(0, 120) : String(e)})`);
      }
    },
  };
}
