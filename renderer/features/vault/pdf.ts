/**
 * pdf.js, loaded on first use. The worker comes from the same origin (CSP: `script-src 'self'`,
 * `worker-src 'self' blob:`); eval is disabled so nothing needs 'unsafe-eval'.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist');
let lib: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  lib ??= import('pdfjs-dist').then((mod) => {
    mod.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString();
    return mod;
  });
  return lib;
}

/** Opens a PDF from bytes (the bytes are copied: pdf.js transfers its buffer to the worker). */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const mod = await pdfjs();
  return mod.getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: true }).promise;
}

/** Renders page `n` (1-based) into `canvas`, `cssWidth` pixels wide, sharp on high-dpi screens. */
export async function renderPage(doc: PDFDocumentProxy, n: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const page = await doc.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const scale = cssWidth / base.width;
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const viewport = page.getViewport({ scale: scale * dpr });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${Math.floor(viewport.width / dpr)}px`;
  canvas.style.aspectRatio = `${viewport.width} / ${viewport.height}`;
  await page.render({ canvas, viewport }).promise;
  page.cleanup();
}
