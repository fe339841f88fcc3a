/**
 * How much work one paper (one vault document, assembled from one or more files) may ask for. Every figure is checked
 * from the files' headers before anything is decoded, and the assembly itself runs in a worker thread with a time and
 * memory limit (assemble.ts). The figures and the reasons for them are in docs/vault-limits.md.
 */
import { invalidInput } from './errors';

/** Pages in one paper, over all its files (PDF pages and image pages alike). */
export const MAX_PAGES_PER_PAPER = 500;

/**
 * Pixels (width × height) of one image page. An A4 page scanned at 600 dpi is 4961 × 7016 ≈ 34.8 million pixels, an
 * A3 page at 600 dpi ≈ 69.6 million; decoded to RGBA, 80 million pixels take 320 MB.
 */
export const MAX_PIXELS_PER_PAGE = 80_000_000;

/**
 * Pixels of all the image pages of one paper: 17 A4 pages at 600 dpi, 69 at 300 dpi, 50 phone photos of 12 Mpx.
 * It bounds the decoding time of a paper: libvips decodes and re-encodes TIFF pages at 40–85 million pixels per
 * second of CPU, a HEIC photo at about 3 (docs/file-kinds.md), so 600 Mpx of scans is well under a minute of CPU.
 */
export const MAX_PIXELS_PER_PAPER = 600_000_000;

/** Megapixels, for messages: « 900 Mpx ». */
function megapixels(pixels: number): string {
  return `${Math.round(pixels / 1_000_000).toLocaleString('fr-FR')} Mpx`;
}

/**
 * The pages and pixels already taken by the files of one paper. `addPages` and `addImage` throw
 * AppError('VALIDATION', '« <file> » : …') as soon as a cap would be passed, so a file is refused from its header,
 * before it is decoded.
 */
export class PaperBudget {
  pages = 0;
  pixels = 0;
  /** Pixels of the pages that are decoded (PNG and TIFF; JPEG pages are embedded as they are). */
  decodedPixels = 0;

  /** `onChange` is told after every page or image counted (the worker reports it: assemble.ts sets its deadline). */
  constructor(private readonly onChange?: (budget: PaperBudget) => void) {}

  /** Counts `count` pages (of a PDF, or of a TIFF before its pages are decoded). */
  addPages(name: string, count: number): void {
    if (this.pages + count > MAX_PAGES_PER_PAPER) {
      const already = this.pages > 0 ? ` en plus des ${this.pages} déjà assemblées` : '';
      throw invalidInput(name, `trop de pages (${count.toLocaleString('fr-FR')}${already}) : un document en compte au plus ${MAX_PAGES_PER_PAPER}. Découpez-le en plusieurs documents.`);
    }
    this.pages += count;
    this.onChange?.(this);
  }

  /**
   * Counts one image page of `width` × `height` pixels (`page`: its number in a multi-page file, for the message;
   * `decoded`: false for a JPEG embedded as it is). Checks the page on its own (MAX_PIXELS_PER_PAGE) and the paper's
   * total (MAX_PIXELS_PER_PAPER); does not count a page.
   */
  addImage(name: string, width: number, height: number, page?: number, decoded = true): void {
    const pixels = width * height;
    const where = page === undefined ? '' : `page ${page} : `;
    if (!(width > 0 && height > 0)) throw invalidInput(name, `${where}dimensions d’image invalides.`);
    if (pixels > MAX_PIXELS_PER_PAGE) {
      throw invalidInput(name, `${where}image trop grande (${width} × ${height} pixels, ${megapixels(pixels)}) : au plus ${megapixels(MAX_PIXELS_PER_PAGE)} par page ; 600 ppp suffisent pour un A4 (35 Mpx).`);
    }
    if (this.pixels + pixels > MAX_PIXELS_PER_PAPER) {
      throw invalidInput(name, `${where}images trop lourdes pour un seul document (plus de ${megapixels(MAX_PIXELS_PER_PAPER)} en tout) : découpez-le ou numérisez à 300 ppp.`);
    }
    this.pixels += pixels;
    if (decoded) this.decodedPixels += pixels;
    this.onChange?.(this);
  }
}
