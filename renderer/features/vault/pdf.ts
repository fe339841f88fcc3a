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

/** A page's size in PDF points (1/72 inch) once turned by `rotation` degrees (0, 90, 180 or 270). */
export async function pageSize(doc: PDFDocumentProxy, n: number, rotation: number): Promise<{ width: number; height: number }> {
  const page = await doc.getPage(n);
  const { width, height } = page.getViewport({ scale: 1, rotation: page.rotate + rotation });
  return { width, height };
}

/** The render drawing into each canvas: a newer render of the same canvas cancels it first (pdf.js refuses two at once). */
const running = new WeakMap<HTMLCanvasElement, { cancel(): void; promise: Promise<unknown> }>();

/** Largest canvas backing store per page, in pixels: a zoomed page on a high-dpi screen stays within GPU and memory limits. */
const MAX_CANVAS_PIXELS = 16_000_000;

/**
 * Renders page `n` (1-based) into `canvas` at `scale` CSS pixels per PDF point, turned by `rotation` degrees (a
 * multiple of 90, added to the page's own), sharp on high-dpi screens (backing store capped at MAX_CANVAS_PIXELS).
 * `cancelled()` is asked before drawing: a render made stale by a newer zoom stops there.
 */
export async function renderPage(doc: PDFDocumentProxy, n: number, canvas: HTMLCanvasElement, scale: number, rotation = 0, cancelled: () => boolean = () => false): Promise<void> {
  const page = await doc.getPage(n);
  const previous = running.get(canvas);
  if (previous) {
    previous.cancel();
    await previous.promise.catch(() => undefined);
  }
  if (cancelled()) return;
  const css = page.getViewport({ scale, rotation: page.rotate + rotation });
  let dpr = Math.min(window.devicePixelRatio || 1, 2);
  if (css.width * css.height * dpr * dpr > MAX_CANVAS_PIXELS) dpr = Math.sqrt(MAX_CANVAS_PIXELS / (css.width * css.height));
  const viewport = page.getViewport({ scale: scale * dpr, rotation: page.rotate + rotation });
  // Drawn off screen, then copied: the page on screen stays as it was until the new drawing is whole (no blank flash
  // while a zoom, a rotation or a resize redraws it).
  const off = document.createElement('canvas');
  off.width = Math.floor(viewport.width);
  off.height = Math.floor(viewport.height);
  const task = page.render({ canvas: off, viewport });
  running.set(canvas, task);
  try {
    await task.promise;
  } catch (e) {
    if ((e as { name?: string } | null)?.name !== 'RenderingCancelledException') throw e;
    return;
  } finally {
    if (running.get(canvas) === task) running.delete(canvas);
  }
  if (cancelled()) return;
  canvas.width = off.width;
  canvas.height = off.height;
  canvas.style.width = `${Math.floor(css.width)}px`;
  canvas.style.height = `${Math.floor(css.height)}px`;
  canvas.getContext('2d')?.drawImage(off, 0, 0);
  off.width = 0; // frees the off-screen copy at once
  page.cleanup();
}
