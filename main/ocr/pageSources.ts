/**
 * What each page of a stored paper gives to read (docs/ocr.md "Pages to images"): its own text layer when it has real
 * text, else an image for Tesseract. Per page, in this order:
 * 1. the text layer read by pdf.js (main/ocr/pdfjsPages.ts), when it holds at least TEXT_LAYER_MIN_LETTERS non-space
 *    characters: a born-digital paper (attestation CAF, avis d'imposition downloaded as a file) needs no OCR;
 * 2. the page's image as stored, taken by pdf-lib (main/ocr/pageImages.ts: JPEG, Flate gray/RGB, PNG-predicted,
 *    1-bit): no decoding, no resampling;
 * 3. the page's image decoded by pdf.js (CCITT, JBIG2, JPEG 2000, indexed, 16-bit, CMYK, inline, in a form) as PNG;
 * 4. a page with no image but a few characters of text keeps that text; a page with neither (a drawing) gets
 *    `image: null` and its French reason.
 * A page that cannot be read (a damaged stream) gets a French reason; the other pages are read all the same.
 */
import { openPages, type PageImage } from './pageImages';
import { decodedImageOf, openPdfJsPages, textLayerOf, type TextLayer } from './pdfjsPages';

/** Non-space characters from which a page's text layer is taken instead of recognising its image. */
export const TEXT_LAYER_MIN_LETTERS = 20;

/** A page's text from its text layer, or its image to recognise (or why there is none). */
export type PageSource = { kind: 'text'; layer: TextLayer } | { kind: 'image'; image: PageImage };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 120);
const unreadable = (e: unknown): PageSource => ({ kind: 'image', image: { image: null, width: 0, height: 0, matrix: null, reason: `page illisible (${message(e)})` } });

/** Pages of a paper, opened by pdf-lib and pdf.js. */
export interface PaperPages {
  count: number;
  /** The source of page `index` (0-based). Never throws: an unreadable page is an `image: null` with its reason. */
  read(index: number): Promise<PageSource>;
  /** Frees pdf.js's document. */
  close(): Promise<void>;
}

/**
 * Opens `pdf` for reading its pages' sources. Either reader may fail on a damaged file as long as the other opens it.
 * @throws Error when neither pdf-lib nor pdf.js can read the PDF (the caller marks the paper's pages as failed).
 */
export async function openPaperPages(pdf: Uint8Array): Promise<PaperPages> {
  const [stored, decoded] = await Promise.allSettled([openPages(pdf), openPdfJsPages(pdf)]);
  if (stored.status === 'rejected' && decoded.status === 'rejected') throw stored.reason;
  const lib = stored.status === 'fulfilled' ? stored.value : null;
  const js = decoded.status === 'fulfilled' ? decoded.value : null;
  const count = js?.count ?? lib?.count ?? 0;
  return {
    count,
    close: async () => {
      await js?.close().catch(() => undefined);
    },
    read: async (index) => {
      if (index < 0 || index >= count) return { kind: 'image', image: { image: null, width: 0, height: 0, matrix: null, reason: `page ${index + 1} absente du document` } };
      let page: Awaited<ReturnType<NonNullable<typeof js>['page']>> | null = null;
      try {
        page = js ? await js.page(index) : null;
        const layer = page ? await textLayerOf(page) : null;
        if (layer && layer.letters >= TEXT_LAYER_MIN_LETTERS) return { kind: 'text', layer };
        let image: PageImage | null = lib ? await lib.image(index) : null;
        if (!image?.image && page) {
          const fromPdfJs = await decodedImageOf(page);
          if (fromPdfJs.image || !image) image = fromPdfJs;
        }
        if (image?.image) return { kind: 'image', image };
        if (layer && layer.letters > 0) return { kind: 'text', layer };
        // pdf-lib saw an image pdf.js did not paint: too large to decode (main/vault/limits.ts) or not decodable.
        if (image && image.reason?.startsWith('image de la page dans un format non reconnu')) {
          return { kind: 'image', image: { ...image, reason: `${image.reason} : image non décodée (trop grande ou endommagée)` } };
        }
        return { kind: 'image', image: image ?? { image: null, width: 0, height: 0, matrix: null, reason: 'page sans image numérisée (texte ou dessin vectoriel)' } };
      } catch (e) {
        return unreadable(e);
      } finally {
        // The page's decoded images and fonts are not kept once read.
        page?.cleanup();
      }
    },
  };
}
