/**
 * What pdf.js reads of a page for OCR (docs/ocr.md "Pages to images"), through the core's one pdf.js loader
 * (main/vault/pdfjs.ts), without rendering anything:
 * - **the text layer** of a born-digital page (`getTextContent`): its text, and each word's box in page space —
 *   the items' text matrices (PDF 32000-1 §9.4.2) give where a run starts and its advance; a run's words share its
 *   advance in proportion to their characters;
 * - **the page's largest image decoded** by pdf.js, for the image kinds main/ocr/pageImages.ts does not hand over as
 *   stored (CCITT G3/G4, JBIG2, JPEG 2000, indexed colours, 16 bits, CMYK, Lab, ICC, inline images, images in form
 *   XObjects): the operator list (`getOperatorList`) is walked for the current transformation matrix at each image
 *   paint (save/restore, `cm`, form XObject matrices), the largest painted image's pixels are taken from `page.objs`
 *   and written as PNG by sharp, and its placement matrix comes along (searchable PDF export). pdf.js in Node
 *   cannot probe a canvas's limits, so it decodes a JPEG 2000 image wider or higher than 2048 pixels at a half
 *   (a quarter…) of its resolution (its `ImageResizer`): an A4 page at 300 dpi comes as 150 dpi, which Tesseract
 *   still reads (the width and the placement stay consistent, so the resolution given to it is right).
 */
import sharp from 'sharp';
import { openPdfJs, pdfJsOps, type PdfJsDocument, type PdfJsImage, type PdfJsPage, type PdfJsTextItem } from '../vault/pdfjs';
import { multiply, type Matrix, type PageImage } from './pageImages';

/** A page's text layer: its text and its words' boxes in a page-sized pixel space (1 unit = 1 point). */
export interface TextLayer {
  text: string;
  /** Non-space characters of the text. */
  letters: number;
  /** The page's size in points, rounded up: the "image" the words' boxes are given in. */
  width: number;
  height: number;
  /** That space's unit square → page space (points). */
  matrix: Matrix;
  /** [text, x0, y0, x1, y1], top-left origin, in points from the page's top-left corner. */
  words: [string, number, number, number, number][];
}

const isMatrix = (v: unknown): v is Matrix => (Array.isArray(v) || ArrayBuffer.isView(v)) && (v as ArrayLike<unknown>).length === 6 && Array.from(v as ArrayLike<unknown>).every((x) => typeof x === 'number' && Number.isFinite(x));

/** The text layer of `page`: items in reading order as pdf.js gives them, words with their boxes. */
export async function textLayerOf(page: PdfJsPage): Promise<TextLayer> {
  const [vx0 = 0, vy0 = 0, vx1 = 0, vy1 = 0] = page.view;
  const width = Math.max(1, Math.ceil(vx1 - vx0));
  const height = Math.max(1, Math.ceil(vy1 - vy0));
  const { items } = await page.getTextContent();
  const words: TextLayer['words'] = [];
  let text = '';
  for (const item of items as PdfJsTextItem[]) {
    const str = item.str ?? '';
    const t = item.transform;
    if (str.trim() !== '' && t && t.length === 6) {
      if (text !== '' && !/\s$/u.test(text)) text += ' ';
      text += str;
      const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = t;
      const size = Math.hypot(c, d) || Math.hypot(a, b) || 1;
      const advance = item.width ?? 0;
      // Direction of the baseline (unit vector) in page space.
      const norm = Math.hypot(a, b) || 1;
      const [ux, uy] = [a / norm, b / norm];
      for (const m of str.matchAll(/\S+/gu)) {
        const start = (m.index / str.length) * advance;
        const end = ((m.index + m[0].length) / str.length) * advance;
        // Baseline start and end, then a box from a fifth of the size below the baseline to the size above it.
        const xs = [e + ux * start, e + ux * end];
        const ys = [f + uy * start, f + uy * end];
        const x0 = Math.min(...xs) - vx0;
        const x1 = Math.max(...xs) - vx0;
        const top = Math.max(...ys) + size - vy0;
        const bottom = Math.min(...ys) - size * 0.2 - vy0;
        words.push([m[0], x0, height - top, x1 > x0 ? x1 : x0 + size * 0.5, height - bottom]);
      }
    }
    if (item.hasEOL) text += '\n';
  }
  text = text.trim();
  return { text, letters: text.replace(/\s/gu, '').length, width, height, matrix: [width, 0, 0, height, vx0, vy0], words };
}

/** The object named `name` of the page (or of the document, for shared `g_` images), once pdf.js has it. */
function objectOf(page: PdfJsPage, name: string): Promise<unknown> {
  const store = name.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => store.get(name, resolve));
}

/**
 * The largest image painted by `page`, with the matrix in force at its paint; null when none is painted.
 * @throws Error (French) when pdf.js could not decode that image.
 */
async function largestImage(page: PdfJsPage): Promise<{ image: PdfJsImage; matrix: Matrix } | null> {
  const { fnArray, argsArray } = await page.getOperatorList();
  const OPS = await pdfJsOps();
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  let best: { ref: string | PdfJsImage; matrix: Matrix; area: number } | null = null;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] ?? [];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.transform && isMatrix(args)) ctm = multiply(Array.from(args) as Matrix, ctm);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (isMatrix(args[0])) ctm = multiply(Array.from(args[0]) as Matrix, ctm);
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject || fn === OPS.paintImageXObjectRepeat) {
      const ref = args[0];
      if (typeof ref !== 'string' && (typeof ref !== 'object' || ref === null)) continue;
      const area = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
      if (!best || area > best.area) best = { ref: ref as string | PdfJsImage, matrix: ctm, area };
    }
  }
  if (!best) return null;
  const image = (typeof best.ref === 'string' ? await objectOf(page, best.ref) : best.ref) as PdfJsImage | null;
  // pdf.js keeps a page going past an image it cannot decode (a damaged stream): its object is then null.
  if (!image) throw new Error("l'image de la page n'a pas pu être décodée (flux endommagé ?)");
  return { image, matrix: best.matrix };
}

/**
 * A PNG of pdf.js's decoded pixels: kind 1 (1 bit gray, rows padded to a byte, 1 = white as pdf.js paints it),
 * 2 (RGB, 8 bits) or 3 (RGBA, 8 bits; the alpha is dropped on white).
 * @throws Error (French) on an unknown kind or too few pixels.
 */
async function pngOf(image: PdfJsImage): Promise<Uint8Array> {
  const { width, height, kind, data } = image;
  if (!data || width <= 0 || height <= 0) throw new Error('image décodée sans pixels');
  let pixels: Buffer;
  let channels: 1 | 3 | 4;
  if (kind === 1) {
    const rowBytes = Math.ceil(width / 8);
    if (data.length < rowBytes * height) throw new Error('image décodée tronquée');
    pixels = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) pixels[y * width + x] = data[y * rowBytes + (x >> 3)]! & (0x80 >> (x & 7)) ? 255 : 0;
    }
    channels = 1;
  } else if (kind === 2 || kind === 3) {
    channels = kind === 2 ? 3 : 4;
    if (data.length < width * height * channels) throw new Error('image décodée tronquée');
    pixels = Buffer.from(data.buffer, data.byteOffset, width * height * channels);
  } else {
    throw new Error(`image décodée de type inconnu (${String(kind)})`);
  }
  let img = sharp(pixels, { raw: { width, height, channels }, limitInputPixels: false });
  if (channels === 4) img = img.flatten({ background: '#ffffff' });
  return new Uint8Array(await img.png({ compressionLevel: 1 }).toBuffer());
}

/**
 * The page's largest image as decoded by pdf.js, as PNG with its placement; `image: null` and a French reason when
 * the page paints no image (text and vectors only).
 * @throws Error when pdf.js cannot decode the image (the caller names the page as unreadable).
 */
export async function decodedImageOf(page: PdfJsPage): Promise<PageImage> {
  const found = await largestImage(page);
  if (!found) return { image: null, width: 0, height: 0, matrix: null, reason: 'page sans image numérisée (texte ou dessin vectoriel)' };
  const png = await pngOf(found.image);
  return { image: png, width: found.image.width, height: found.image.height, matrix: found.matrix, reason: null };
}

/**
 * Opens `pdf` with pdf.js for the pages' text layers and decoded images; `page(index)` is 0-based; `close()` frees
 * pdf.js's document (call it once done).
 * @throws Error when pdf.js cannot open the PDF (damaged beyond repair, password).
 */
export async function openPdfJsPages(pdf: Uint8Array): Promise<{ count: number; page(index: number): Promise<PdfJsPage>; close(): Promise<void> }> {
  const task = await openPdfJs(pdf);
  let doc: PdfJsDocument;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw e;
  }
  return { count: doc.numPages, page: (index) => doc.getPage(index + 1), close: () => doc.destroy() };
}
