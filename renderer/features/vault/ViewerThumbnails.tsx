/**
 * The strip of page thumbnails beside the viewer: every page, small, turned like the view; the page in view is
 * marked (`aria-current`). A click goes to a page; in the strip the arrow keys, Début and Fin go to the previous,
 * next, first and last page (one tab stop for the whole strip, WAI-ARIA APG "roving tabindex").
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { pageSize, renderPage } from './pdf';

/** Width of a thumbnail, in CSS pixels. */
const THUMB_WIDTH = 96;

interface Props {
  pdf: PDFDocumentProxy;
  rotation: number;
  current: number;
  onGo(n: number): void;
}

export function ViewerThumbnails({ pdf, rotation, current, onGo }: Props) {
  const { t } = useTranslation();
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const count = pdf.numPages;

  useEffect(() => {
    let stale = false;
    (async () => {
      for (let n = 1; n <= count && !stale; n++) {
        const canvas = canvases.current[n - 1];
        if (!canvas) continue;
        const size = await pageSize(pdf, n, rotation);
        await renderPage(pdf, n, canvas, THUMB_WIDTH / size.width, rotation, () => stale);
      }
    })().catch(() => undefined); // cut short by closing the viewer
    return () => {
      stale = true;
    };
  }, [pdf, rotation, count]);

  function keys(e: KeyboardEvent) {
    const to = { ArrowDown: current + 1, ArrowRight: current + 1, ArrowUp: current - 1, ArrowLeft: current - 1, Home: 1, End: count }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const n = Math.min(Math.max(to, 1), count);
    onGo(n);
    buttons.current[n - 1]?.focus();
  }

  return (
    <nav className="viewer-thumbs" aria-label={t('viewer.thumbnails')}>
      <ol onKeyDown={keys}>
        {Array.from({ length: count }, (_, i) => (
          <li key={i}>
            <button
              type="button"
              ref={(b) => {
                buttons.current[i] = b;
              }}
              className="viewer-thumb"
              tabIndex={i + 1 === current ? 0 : -1}
              aria-current={i + 1 === current ? 'page' : undefined}
              aria-label={t('viewer.goToPage', { n: i + 1, count })}
              onClick={() => onGo(i + 1)}
            >
              <canvas
                ref={(c) => {
                  canvases.current[i] = c;
                }}
                aria-hidden="true"
              />
              <span className="viewer-thumb-number" aria-hidden="true">
                {i + 1}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
