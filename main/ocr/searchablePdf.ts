/**
 * A searchable copy of a paper (docs/ocr.md "Searchable PDF"): the paper's PDF with, over each page, the words
 * recognised on it as invisible text — text rendering mode 3, "neither fill nor stroke" (PDF 32000-1 §9.3.6) — each
 * word stretched over its box, so that a reader selects, copies and finds it where it shows, as OCRmyPDF and
 * Tesseract's own PDF renderer do. The page images and everything else of the paper are left as they are (pdf-lib
 * copies their streams unchanged); only a content stream, a font (Helvetica, a standard font: nothing embedded) and
 * its resource entry are added per page.
 */
import { PDFDocument, PDFName, StandardFonts, TextRenderingMode, beginText, endText, setFontAndSize, setTextMatrix, setTextRenderingMode, showText } from 'pdf-lib';
import type { Matrix } from './pageImages';

/** The words of one page: their image's size in pixels, the image's placement, [text, x0, y0, x1, y1] in pixels. */
export interface PageWords {
  width: number;
  height: number;
  matrix: Matrix | null;
  words: [string, number, number, number, number][];
}

const apply = (m: Matrix, u: number, v: number): [number, number] => [m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5]];

/**
 * Adds the invisible text layer of `pages` (1-based page number → words) to `pdf`.
 * Characters Helvetica's WinAnsi encoding lacks are written as `?` (French letters, € and œ are in it).
 * @throws Error when pdf-lib cannot read `pdf`.
 */
export async function addTextLayer(pdf: Uint8Array, pages: ReadonlyMap<number, PageWords>): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const known = new Set(font.getCharacterSet());
  const clean = (s: string) => [...s].map((ch) => (known.has(ch.codePointAt(0)!) ? ch : '?')).join('');
  doc.getPages().forEach((page, index) => {
    const words = pages.get(index + 1);
    if (!words?.matrix || words.width === 0 || words.height === 0) return;
    const m = words.matrix;
    const key: PDFName = page.node.newFontDictionary('OcrText', font.ref);
    const ops = [beginText(), setFontAndSize(key, 1), setTextRenderingMode(TextRenderingMode.Invisible)];
    for (const [raw, x0, y0, x1, y1] of words.words) {
      const text = clean(raw.trim());
      if (text === '' || x1 <= x0 || y1 <= y0) continue;
      // Image pixels (top-left origin) → the image's unit square (bottom-left origin) → page points.
      const u0 = x0 / words.width;
      const u1 = x1 / words.width;
      const vBase = 1 - y1 / words.height;
      const vTop = 1 - y0 / words.height;
      const [bx, by] = apply(m, u0, vBase);
      const [ex, ey] = apply(m, u1, vBase);
      const [tx, ty] = apply(m, u0, vTop);
      const textWidth = font.widthOfTextAtSize(text, 1);
      if (textWidth <= 0) continue;
      // Font size 1, then the text matrix maps one text-space unit across the box's width and height.
      ops.push(setTextMatrix((ex - bx) / textWidth, (ey - by) / textWidth, tx - bx, ty - by, bx, by), showText(font.encodeText(text)));
    }
    ops.push(endText());
    page.pushOperators(...ops);
  });
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}
