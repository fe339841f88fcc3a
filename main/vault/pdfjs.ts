/**
 * The one loader of pdf.js (`pdfjs-dist` legacy build) in the core: the encrypted-PDF check (pdfPassword.ts) and the
 * reading of page text and page images for OCR (main/ocr/pdfjsPages.ts) both open documents through it.
 *
 * The legacy build runs under Node; its worker code is loaded in this thread (pdf.js's "fake worker", found on
 * globalThis.pdfjsWorker), so the bundler inlines both and nothing is fetched at run time. Options every caller gets:
 * no `eval`, no font faces and no system fonts (nothing is drawn), no OffscreenCanvas nor ImageDecoder (Node has
 * neither: images come back as raw pixels), no image past MAX_PIXELS_PER_PAGE decoded, binary data (the JPEG 2000 and JBIG2 WebAssembly decoders of
 * `pdfjs-dist/wasm/`) read from disk by pdf.js's Node factory, never fetched.
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { MAX_PIXELS_PER_PAGE } from './limits';

/** A text item of `getTextContent` (pdf.js TextItem): its string and its text space → page space transform. */
export interface PdfJsTextItem {
  str?: string;
  /** [a b c d e f], the font size included. */
  transform?: number[];
  /** Advance of the string in page units (points), along the baseline. */
  width?: number;
  height?: number;
  hasEOL?: boolean;
}

/** A decoded image object of `page.objs` (pdf.js: width, height, kind 1 = 1 bit gray, 2 = RGB, 3 = RGBA). */
export interface PdfJsImage {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** The part of a pdf.js page this code uses. */
export interface PdfJsPage {
  /** [x0 y0 x1 y1] of the page's crop box, in points. */
  view: number[];
  getTextContent(): Promise<{ items: PdfJsTextItem[] }>;
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  objs: { get(name: string, callback: (value: unknown) => void): void; has(name: string): boolean };
  commonObjs: { get(name: string, callback: (value: unknown) => void): void; has(name: string): boolean };
  cleanup(): boolean;
}

/** The part of a pdf.js document this code uses. */
export interface PdfJsDocument {
  numPages: number;
  getPage(pageNumber: number): Promise<PdfJsPage>;
  destroy(): Promise<void>;
}

interface PdfJs {
  getDocument(src: Record<string, unknown>): { promise: Promise<PdfJsDocument>; destroy(): Promise<void> };
}

/** The operator codes of pdf.js's operator lists (its `OPS`) this code walks, as the loaded build numbers them. */
export interface PdfJsOps {
  save: number;
  restore: number;
  transform: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  paintImageXObject: number;
  paintInlineImageXObject: number;
  paintImageXObjectRepeat: number;
}

/** pdf.js's own operator codes (`OPS`), so that a walk of `getOperatorList` never relies on numbers copied here. */
export async function pdfJsOps(): Promise<PdfJsOps> {
  return ((await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as { OPS: PdfJsOps }).OPS;
}

let wasmFolder: string | null | undefined;

/** `pdfjs-dist/wasm/` with its trailing separator (pdf.js joins file names to it), or null when not found. */
function wasmUrl(): string | null {
  if (wasmFolder === undefined) {
    try {
      wasmFolder = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'wasm') + sep;
    } catch {
      // Without it pdf.js decodes CCITT and JBIG2 with its JavaScript decoders; JPEG 2000 then fails (named per page).
      wasmFolder = null;
    }
  }
  return wasmFolder;
}

/**
 * Starts opening `bytes` with pdf.js (`bytes` is copied into a plain Uint8Array: pdf.js takes its buffer and refuses a Buffer). `password` defaults to none.
 * The returned task's `promise` rejects as pdf.js does (PasswordException, InvalidPDFException…).
 */
export async function openPdfJs(bytes: Uint8Array, password?: string): Promise<{ promise: Promise<PdfJsDocument>; destroy(): Promise<void> }> {
  const g = globalThis as { pdfjsWorker?: unknown };
  g.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
  const pdfjs = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfJs;
  return pdfjs.getDocument({
    data: new Uint8Array(bytes),
    ...(password === undefined ? {} : { password }),
    isEvalSupported: false,
    verbosity: 0,
    stopAtErrors: false,
    disableFontFace: true,
    useSystemFonts: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useWorkerFetch: false,
    // An image claiming more pixels than a stored page may have is not decoded (a decompression bomb): pdf.js leaves
    // it unpainted, and the page is named as having no image to read.
    maxImageSize: MAX_PIXELS_PER_PAGE,
    ...(wasmUrl() ? { wasmUrl: wasmUrl() } : { useWasm: false }),
  });
}
