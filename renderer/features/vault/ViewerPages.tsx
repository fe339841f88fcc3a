/**
 * The pages of an opened paper, drawn by pdf.js at the viewer's zoom and rotation inside a scrolling view. Reports
 * the page in view (the one crossing the top third of the view), the scale of the first page (for the percentage
 * shown) and how many pages are drawn; Ctrl + wheel over the pages zooms (docs/ui.md "The viewer").
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { pageSize, renderPage } from './pdf';
import { scaleFor, type Zoom } from './zoom';

interface Props {
  pdf: PDFDocumentProxy | null;
  /** Pages expected (from the paper's record) while pdf.js opens the file. */
  count: number;
  /** True while pages are still being drawn (`aria-busy`). */
  busy: boolean;
  zoom: Zoom;
  rotation: number;
  /** Asks to show page `n`: changes each time (`at`), so the same page can be asked twice. */
  goTo: { n: number; at: number } | null;
  onCurrent(n: number): void;
  onScale(scale: number): void;
  onRendered(pages: number): void;
  onWheelZoom(direction: 1 | -1): void;
}

export function ViewerPages({ pdf, count, busy, zoom, rotation, goTo, onCurrent, onScale, onRendered, onWheelZoom }: Props) {
  const { t } = useTranslation();
  const view = useRef<HTMLDivElement>(null);
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const [box, setBox] = useState({ width: 0, height: 0 });
  const wheel = useRef(onWheelZoom);
  wheel.current = onWheelZoom;

  // The view's size decides the fit modes.
  useEffect(() => {
    const el = view.current;
    if (!el) return;
    const measure = () => setBox((b) => (b.width === el.clientWidth && b.height === el.clientHeight ? b : { width: el.clientWidth, height: el.clientHeight }));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Ctrl + wheel zooms the paper instead of the whole window (a non-passive listener, so it can prevent the default).
  useEffect(() => {
    const el = view.current;
    if (!el) return;
    const listener = (e: WheelEvent) => {
      if (!e.ctrlKey || e.deltaY === 0) return;
      e.preventDefault();
      wheel.current(e.deltaY < 0 ? 1 : -1);
    };
    el.addEventListener('wheel', listener, { passive: false });
    return () => el.removeEventListener('wheel', listener);
  }, []);

  // Draw every page, one after the other; a newer zoom, rotation or size makes the running pass stop.
  useEffect(() => {
    if (!pdf || box.width === 0) return;
    let stale = false;
    (async () => {
      let drawn = 0;
      for (let n = 1; n <= pdf.numPages && !stale; n++) {
        const canvas = canvases.current[n - 1];
        if (!canvas) continue;
        const scale = scaleFor(zoom, await pageSize(pdf, n, rotation), box);
        if (n === 1 && !stale) onScale(scale);
        await renderPage(pdf, n, canvas, scale, rotation, () => stale);
        if (!stale) onRendered(++drawn);
      }
    })().catch(() => undefined); // a pass cut short by closing the viewer (pdf.js destroyed) has nothing to report
    return () => {
      stale = true;
    };
    // The callbacks are the parent's setters; a new function each render must not redraw the pages.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pdf, zoom, rotation, box]);

  useEffect(() => {
    if (!goTo) return;
    canvases.current[goTo.n - 1]?.parentElement?.scrollIntoView({ block: 'start' });
    onCurrent(goTo.n);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [goTo]);

  function tracked() {
    const el = view.current;
    if (!el) return;
    const line = el.scrollTop + el.clientHeight / 3;
    let current = 1;
    canvases.current.forEach((c, i) => {
      const figure = c?.parentElement;
      if (figure && figure.offsetTop <= line) current = i + 1;
    });
    onCurrent(current);
  }

  const pages = pdf?.numPages ?? count;
  return (
    <div
      ref={view}
      className="viewer-pages"
      data-testid="viewer-pages"
      tabIndex={0}
      role="region"
      aria-label={t('viewer.pagesRegion')}
      aria-busy={busy}
      onScroll={tracked}
    >
      {pdf
        ? Array.from({ length: pages }, (_, i) => (
            <figure key={i} className="viewer-page" data-page={i + 1}>
              <canvas
                ref={(c) => {
                  canvases.current[i] = c;
                }}
                role="img"
                aria-label={t('viewer.pageLabel', { n: i + 1, count: pages })}
                data-page={i + 1}
              />
            </figure>
          ))
        : null}
    </div>
  );
}
