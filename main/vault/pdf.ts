/**
 * Assembles scans and PDFs into the single PDF a vault document holds (pdf-lib, PDF 1.7 / ISO 32000-1); a PDF given
 * alone is kept byte for byte.
 *
 * Image inputs (JPEG, PNG, TIFF pages) each get an "A4-fitted" page: A4 is 210 × 297 mm (ISO 216) = 595.28 × 841.89 pt
 * (1 pt = 1/72 in), landscape when the image is wider than tall; the image is scaled (up or down) to fit inside an
 * 18 pt (≈ 6.35 mm) margin, centred, aspect ratio kept. Pixels are embedded as they are, never resampled. PDF inputs
 * have all their pages copied unchanged (size, rotation, content).
 */
import {
  PDFDocument, PDFName, PDFRawStream, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState,
  type PDFImage, type PDFRef,
} from 'pdf-lib';
import { AppError } from '../../shared/domain/errors';
import { readPngSize, readTiffLayout } from './headers';
import { checkJpeg, detectKind, invalidInput } from './images';
import { openWithoutPassword } from './pdfPassword';
import { decodeHeicPage, decodeRasterPage, heifSize, type PageImage } from './raster';
import { MAX_PAGES_PER_PAPER, PaperBudget } from './limits';
import { countPdfPages } from './pageTree';

/** One file to put in the PDF: `name` is only used in error messages (the type comes from the bytes). */
export interface PdfInput {
  name: string;
  bytes: Uint8Array;
}

/** A4 portrait in points (ISO 216: 210 × 297 mm). */
export const A4: { width: number; height: number } = { width: 595.28, height: 841.89 };
/** White margin around a fitted image, in points. */
export const PAGE_MARGIN = 18;

/**
 * Builds one PDF from `inputs`, in the order given — or keeps the only input as it is when it is a PDF.
 *
 * Each input's type is detected from its magic bytes (docs/file-kinds.md):
 * - a PDF given alone is checked (loads, page tree walked once, pages within the caps, opens without a password —
 *   an owner password alone is accepted) and returned byte for byte: the paper's SHA-256 is the original file's;
 * - otherwise every page of each PDF is copied; JPEG (baseline/progressive, EXIF orientation drawn by the page's
 *   matrix, mirrored ones mirrored) is embedded as it is; CMYK, 12-bit, lossless or arithmetic JPEG, PNG, TIFF (every
 *   page) and HEIC are decoded by libvips or libheif (raster.ts) → one A4-fitted page per image.
 *
 * @param inputs at least one file.
 * @param onProgress called with (inputs done, inputs in total) after each input; pages are not known in advance.
 * @param onBudget called whenever a header adds pages or pixels to the paper (before they are decoded).
 * @returns `pdf`: the bytes of the new document (a copy of the input for a PDF given alone); `pages`: its page count.
 * @throws AppError('VALIDATION', '« <file name> » : <what is wrong>') for an empty, unsupported, truncated or damaged
 *   input, a PDF that needs a password to open, an encrypted PDF given with other files (pdf-lib cannot decrypt its
 *   pages), a PDF without pages or whose page tree repeats a node, and as soon as the paper would pass its caps
 *   (pages, pixels per page and in all: limits.ts, docs/vault-limits.md) — judged from each file's header before it
 *   is decoded; nothing is returned in that case. Runs in the calling thread: the vault calls it through
 *   `assemblePdf` (assemble.ts), in a worker with a time and memory limit.
 */
export async function buildPdf(
  inputs: PdfInput[],
  onProgress?: (done: number, total: number) => void,
  onBudget?: (budget: PaperBudget) => void,
): Promise<{ pdf: Uint8Array; pages: number }> {
  if (inputs.length === 0) throw new AppError('VALIDATION', 'Aucun fichier à assembler.', { field: 'files' });
  const [only] = inputs;
  if (inputs.length === 1 && only && only.bytes.byteLength > 0 && detectKind(only.bytes) === 'pdf') {
    const pages = await checkPdf(only.name, only.bytes, new PaperBudget(onBudget));
    onProgress?.(1, 1);
    return { pdf: only.bytes.slice(), pages };
  }
  const doc = await PDFDocument.create();
  doc.setProducer('Solidariciel');
  doc.setCreator('Solidariciel');
  const budget = new PaperBudget(onBudget);
  for (const [index, input] of inputs.entries()) {
    await appendInput(doc, input, budget);
    onProgress?.(index + 1, inputs.length);
  }
  const pdf = await doc.save({ useObjectStreams: true });
  return { pdf, pages: doc.getPageCount() };
}

async function appendInput(doc: PDFDocument, { name, bytes }: PdfInput, budget: PaperBudget): Promise<void> {
  if (bytes.byteLength === 0) throw invalidInput(name, 'le fichier est vide.');
  switch (detectKind(bytes)) {
    case 'jpeg': {
      const info = checkJpeg(name, bytes);
      budget.addPages(name, 1);
      budget.addImage(name, info.width, info.height, undefined, !info.embeddable);
      if (info.embeddable) {
        // Pixels embedded as they are (DCTDecode); the EXIF orientation is drawn by the page's matrix.
        const image = await embed(name, 'JPEG', () => doc.embedJpg(bytes));
        addImagePage(doc, { ref: image.ref, width: image.width, height: image.height }, info.orientation);
      } else {
        addImagePage(doc, await embedPage(doc, await decodeRasterPage(name, 'JPEG', { bytes, lossy: true })), 1);
      }
      return;
    }
    case 'png': {
      budget.addPages(name, 1);
      const { width, height } = readPngSize(name, bytes);
      budget.addImage(name, width, height);
      addImagePage(doc, await embedPage(doc, await decodeRasterPage(name, 'PNG', { bytes, lossy: false })), 1);
      return;
    }
    case 'tiff': {
      const { pages } = readTiffLayout(name, bytes);
      if (pages.length === 0) throw invalidInput(name, 'fichier TIFF sans aucune page.');
      budget.addPages(name, pages.length);
      pages.forEach((page, i) => budget.addImage(name, page.width, page.height, pages.length > 1 ? i + 1 : undefined));
      for (const page of pages) {
        const lossy = page.compression === 6 || page.compression === 7;
        addImagePage(doc, await embedPage(doc, await decodeRasterPage(name, 'TIFF', { bytes, page: page.ifd, lossy })), 1);
      }
      return;
    }
    case 'heic': {
      const { width, height } = await heifSize(name, bytes);
      budget.addPages(name, 1);
      budget.addImage(name, width, height);
      addImagePage(doc, await embedPage(doc, await decodeHeicPage(name, bytes)), 1);
      return;
    }
    case 'pdf':
      await copyPdfPages(doc, name, bytes, budget);
      return;
    case null:
      throw invalidInput(name, 'format non pris en charge (JPEG, PNG, TIFF, HEIC ou PDF attendu).');
  }
}

async function embed(name: string, kind: string, run: () => Promise<PDFImage>): Promise<PDFImage> {
  try {
    return await run();
  } catch {
    throw invalidInput(name, `image ${kind} endommagée ou illisible.`);
  }
}

/** An image XObject in the document and its pixel size. */
interface EmbeddedImage {
  ref: PDFRef;
  width: number;
  height: number;
}

/**
 * Writes a decoded page as an image XObject (ISO 32000-1 §8.9.5): a JPEG stream as DCTDecode (through pdf-lib), or
 * Flate samples (PNG predictors when `predictor`) in DeviceGray or DeviceRGB, the alpha channel as a soft mask (§11.6.5.3).
 */
async function embedPage(doc: PDFDocument, page: PageImage): Promise<EmbeddedImage> {
  const ctx = doc.context;
  if (page.format === 'jpeg') {
    const image = await doc.embedJpg(page.bytes);
    return { ref: image.ref, width: image.width, height: image.height };
  }
  const samples = (colors: number) => {
    const dict = ctx.obj({
      Type: 'XObject', Subtype: 'Image', Width: page.width, Height: page.height, BitsPerComponent: page.bits,
      ColorSpace: colors === 1 ? 'DeviceGray' : 'DeviceRGB', Filter: 'FlateDecode',
    });
    if (page.predictor) {
      dict.set(PDFName.of('DecodeParms'), ctx.obj({ Predictor: 15, Colors: colors, BitsPerComponent: page.bits, Columns: page.width }));
    }
    return dict;
  };
  const dict = samples(page.colors);
  if (page.alpha) dict.set(PDFName.of('SMask'), ctx.register(PDFRawStream.of(samples(1), page.alpha)));
  return { ref: ctx.register(PDFRawStream.of(dict, page.data)), width: page.width, height: page.height };
}

const PASSWORD_MESSAGE = 'PDF protégé par un mot de passe d’ouverture : enregistrez-le sans mot de passe puis réessayez.';

/**
 * Checks a PDF that is stored as it is (the only file of a paper): it loads, its page tree is walked once
 * (`countPdfPages`), it has pages within the paper's caps, and, when encrypted, it opens without a password (an owner
 * password alone only restricts editing: the reader opens it). Returns its page count.
 */
async function checkPdf(name: string, bytes: Uint8Array, budget: PaperBudget): Promise<number> {
  const source = await loadPdf(name, bytes, true);
  const count = countPdfPages(name, source, MAX_PAGES_PER_PAPER);
  if (count === 0 || safeCount(source) !== count) throw invalidInput(name, 'fichier PDF sans aucune page lisible.');
  if (source.isEncrypted) {
    const opened = await openWithoutPassword(bytes);
    if (!opened.ok) throw invalidInput(name, opened.reason === 'password' ? PASSWORD_MESSAGE : 'fichier PDF endommagé ou illisible.');
    if (opened.pages !== count) throw invalidInput(name, 'fichier PDF endommagé (nombre de pages incohérent).');
  }
  budget.addPages(name, count);
  return count;
}

async function loadPdf(name: string, bytes: Uint8Array, ignoreEncryption: boolean): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false, ignoreEncryption });
  } catch {
    throw invalidInput(name, 'fichier PDF endommagé ou illisible.');
  }
}

async function copyPdfPages(doc: PDFDocument, name: string, bytes: Uint8Array, budget: PaperBudget): Promise<void> {
  const source = await loadPdf(name, bytes, true);
  if (source.isEncrypted) {
    // pdf-lib copies streams without decrypting them: such a PDF is kept only on its own, byte for byte.
    const opened = await openWithoutPassword(bytes);
    if (!opened.ok && opened.reason === 'password') throw invalidInput(name, PASSWORD_MESSAGE);
    throw invalidInput(name, 'PDF protégé contre la modification (mot de passe propriétaire) : ajoutez-le seul, dans un document à lui, où il est conservé tel quel.');
  }
  // The tree is walked once with a set of the nodes reached before pdf-lib walks it (ISO 32000-1 §7.7.3).
  const count = countPdfPages(name, source, MAX_PAGES_PER_PAPER);
  if (count === 0 || safeCount(source) !== count) throw invalidInput(name, 'fichier PDF sans aucune page lisible.');
  budget.addPages(name, count);
  try {
    for (const page of await doc.copyPages(source, source.getPageIndices())) doc.addPage(page);
  } catch {
    throw invalidInput(name, 'fichier PDF endommagé (pages illisibles).');
  }
}

function safeCount(source: PDFDocument): number {
  try {
    return source.getPageCount();
  } catch {
    return 0;
  }
}

/**
 * Adds an A4 page (landscape if the displayed image is wider than tall) and draws `image` fitted and centred.
 * `orientation` is the EXIF/TIFF Orientation (Exif 2.32 §4.6.4 tag 0x0112, TIFF 6.0 tag 274), 1 to 8: where the
 * stored rows and columns are shown; the mirrored values 2, 4, 5 and 7 are mirrored. It is applied by the image's
 * transformation matrix (ISO 32000-1 §8.3.4, image space is the unit square), so the pixels are untouched.
 */
function addImagePage(doc: PDFDocument, image: EmbeddedImage, orientation: number): void {
  const quarter = orientation >= 5 && orientation <= 8;
  const shownWidth = quarter ? image.height : image.width;
  const shownHeight = quarter ? image.width : image.height;
  const landscape = shownWidth > shownHeight;
  const pageWidth = landscape ? A4.height : A4.width;
  const pageHeight = landscape ? A4.width : A4.height;
  const scale = Math.min((pageWidth - 2 * PAGE_MARGIN) / shownWidth, (pageHeight - 2 * PAGE_MARGIN) / shownHeight);
  const box = { x: (pageWidth - shownWidth * scale) / 2, y: (pageHeight - shownHeight * scale) / 2, w: shownWidth * scale, h: shownHeight * scale };
  const toPage = (u: number, v: number): [number, number] => {
    const [X, Y] = displayed(orientation, u, 1 - v); // image space (u right, v up) → shown (X right, Y down), 0…1
    return [box.x + X * box.w, box.y + (1 - Y) * box.h];
  };
  const [e, f] = toPage(0, 0);
  const [ax, ay] = toPage(1, 0);
  const [cx, cy] = toPage(0, 1);
  const page = doc.addPage([pageWidth, pageHeight]);
  const name = page.node.newXObject('Image', image.ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(ax - e, ay - f, cx - e, cy - f, e, f), drawObject(name), popGraphicsState());
}

/** Where the stored point (column fraction u, row fraction t from the top) is shown for each Orientation value. */
function displayed(orientation: number, u: number, t: number): [number, number] {
  switch (orientation) {
    case 2: return [1 - u, t]; // mirrored left–right
    case 3: return [1 - u, 1 - t]; // upside down
    case 4: return [u, 1 - t]; // mirrored top–bottom
    case 5: return [t, u]; // transposed
    case 6: return [1 - t, u]; // turn 90° clockwise to view
    case 7: return [1 - t, 1 - u]; // transversed
    case 8: return [t, 1 - u]; // turn 90° counter-clockwise to view
    default: return [u, t];
  }
}
