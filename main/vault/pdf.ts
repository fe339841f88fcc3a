/**
 * Assembles scans and PDFs into the single PDF a vault document holds (pdf-lib, PDF 1.7 / ISO 32000-1).
 *
 * Image inputs (JPEG, PNG, TIFF pages) each get an "A4-fitted" page: A4 is 210 × 297 mm (ISO 216) = 595.28 × 841.89 pt
 * (1 pt = 1/72 in), landscape when the image is wider than tall; the image is scaled (up or down) to fit inside an
 * 18 pt (≈ 6.35 mm) margin, centred, aspect ratio kept. Pixels are embedded as they are, never resampled. PDF inputs
 * have all their pages copied unchanged (size, rotation, content).
 */
import { EncryptedPDFError, PDFDocument, degrees, type PDFImage } from 'pdf-lib';
import { AppError } from '../../shared/domain/errors';
import { checkJpeg, checkPng, decodeTiffPages, detectKind, invalidInput } from './images';
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
 * Builds one PDF from `inputs`, in the order given.
 *
 * Each input's type is detected from its magic bytes: JPEG (baseline/progressive; EXIF rotation applied), PNG (any
 * bit depth, alpha kept as a soft mask), TIFF (every page: bilevel, gray, palette, RGB, CMYK) → one A4-fitted page per
 * image; PDF → all its pages copied.
 *
 * @param inputs at least one file.
 * @param onProgress called with (inputs done, inputs in total) after each input; pages are not known in advance.
 * @param onBudget called whenever a header adds pages or pixels to the paper (before they are decoded).
 * @returns `pdf`: the bytes of the new document; `pages`: its page count (the sum over the inputs).
 * @throws AppError('VALIDATION', '« <file name> » : <what is wrong>') for an empty, unsupported, truncated or damaged
 *   input, a password-protected PDF or a PDF without pages, a PDF whose page tree repeats a node, and as soon as the
 *   paper would pass its caps (pages, pixels per page and in all: limits.ts, docs/vault-limits.md) — judged from each
 *   file's header before it is decoded; nothing is returned in that case. Runs in the calling thread: the vault calls
 *   it through `assemblePdf` (assemble.ts), in a worker with a time and memory limit.
 */
export async function buildPdf(
  inputs: PdfInput[],
  onProgress?: (done: number, total: number) => void,
  onBudget?: (budget: PaperBudget) => void,
): Promise<{ pdf: Uint8Array; pages: number }> {
  if (inputs.length === 0) throw new AppError('VALIDATION', 'Aucun fichier à assembler.', { field: 'files' });
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
      const { orientation, width, height } = checkJpeg(name, bytes);
      budget.addPages(name, 1);
      budget.addImage(name, width, height, undefined, false);
      addImagePage(doc, await embed(name, 'JPEG', () => doc.embedJpg(bytes)), orientation);
      return;
    }
    case 'png':
      budget.addPages(name, 1);
      checkPng(name, bytes, budget);
      addImagePage(doc, await embed(name, 'PNG', () => doc.embedPng(bytes)), 1);
      return;
    case 'tiff':
      for (const page of decodeTiffPages(name, bytes, budget)) {
        addImagePage(doc, await embed(name, 'TIFF', () => (page.format === 'jpeg' ? doc.embedJpg(page.bytes) : doc.embedPng(page.bytes))), 1);
      }
      return;
    case 'pdf':
      await copyPdfPages(doc, name, bytes, budget);
      return;
    case null:
      throw invalidInput(name, 'format non pris en charge (JPEG, PNG, TIFF ou PDF attendu).');
  }
}

async function embed(name: string, kind: string, run: () => Promise<PDFImage>): Promise<PDFImage> {
  try {
    return await run();
  } catch {
    throw invalidInput(name, `image ${kind} endommagée ou illisible.`);
  }
}

async function copyPdfPages(doc: PDFDocument, name: string, bytes: Uint8Array, budget: PaperBudget): Promise<void> {
  let source: PDFDocument;
  try {
    source = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    if (error instanceof EncryptedPDFError) {
      throw invalidInput(name, 'PDF protégé par un mot de passe ; enregistrez-le sans protection puis réessayez.');
    }
    throw invalidInput(name, 'fichier PDF endommagé ou illisible.');
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
 * `orientation` is the EXIF Orientation (1 upright, 3 upside down, 6 rotate 90° clockwise to view, 8 rotate 90°
 * counter-clockwise); the mirrored values 2/4/5/7 are treated as 1/3/8/6 (mirroring is not applied).
 */
function addImagePage(doc: PDFDocument, image: PDFImage, orientation: number): void {
  const rotation = ({ 3: 180, 4: 180, 5: 90, 6: -90, 7: -90, 8: 90 } as Record<number, number>)[orientation] ?? 0;
  const quarter = rotation === 90 || rotation === -90;
  const shownWidth = quarter ? image.height : image.width;
  const shownHeight = quarter ? image.width : image.height;
  const landscape = shownWidth > shownHeight;
  const pageWidth = landscape ? A4.height : A4.width;
  const pageHeight = landscape ? A4.width : A4.height;
  const scale = Math.min((pageWidth - 2 * PAGE_MARGIN) / shownWidth, (pageHeight - 2 * PAGE_MARGIN) / shownHeight);
  const boxWidth = shownWidth * scale;
  const boxHeight = shownHeight * scale;
  const x = (pageWidth - boxWidth) / 2;
  const y = (pageHeight - boxHeight) / 2;
  const page = doc.addPage([pageWidth, pageHeight]);
  // pdf-lib draws the unit image through translate(x, y) · rotate(θ, counter-clockwise) · scale(w, h): pick the
  // translation that puts the rotated image back inside the box [x, x + boxWidth] × [y, y + boxHeight].
  const draw = { width: image.width * scale, height: image.height * scale, rotate: degrees(rotation) };
  if (rotation === 0) page.drawImage(image, { ...draw, x, y });
  else if (rotation === 180) page.drawImage(image, { ...draw, x: x + boxWidth, y: y + boxHeight });
  else if (rotation === -90) page.drawImage(image, { ...draw, x, y: y + boxHeight });
  else page.drawImage(image, { ...draw, x: x + boxWidth, y });
}
