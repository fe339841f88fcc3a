/**
 * The pages of a scan session as thumbnails, in the order the paper will have (docs/scanning.md « La séance de
 * numérisation »). Each page: « voir en grand » (the thumbnail itself), move left / right (buttons, Maj+← / Maj+→
 * on the thumbnail, or drag and drop), turn a quarter, delete. The focus stays on the page that moved; after a
 * deletion it goes to the next page (or `onEmptied` says there is none left). Every change is announced.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnouncer } from '../../app/announcer';
import type { ScanAction, SessionPage } from './sessionModel';

interface Props {
  pages: SessionPage[];
  dispatch(action: ScanAction): void;
  onView(pageId: string): void;
  /** The last page was deleted: the caller moves the focus (to « Numériser »). */
  onEmptied(): void;
}

type Focus = { pageId: string; control: 'thumb' | 'left' | 'right' | 'rotate' };

export function ScanPages({ pages, dispatch, onView, onEmptied }: Props) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const focusNext = useRef<Focus | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const total = pages.length;

  // After a move or a deletion React may have moved the focused node: put the focus where the person expects it.
  useEffect(() => {
    const f = focusNext.current;
    if (!f) return;
    focusNext.current = null;
    document.getElementById(`scan-${f.control}-${f.pageId}`)?.focus();
  }, [pages]);

  function move(page: SessionPage, from: number, by: -1 | 1, control: Focus['control']) {
    const to = from + by;
    if (to < 0 || to >= total) return;
    focusNext.current = { pageId: page.pageId, control };
    dispatch({ type: 'move', pageId: page.pageId, by });
    announce(t('scan.page.moved', { from: from + 1, to: to + 1, total }));
  }

  function remove(page: SessionPage, index: number) {
    const neighbour = pages[index + 1] ?? pages[index - 1];
    if (neighbour) focusNext.current = { pageId: neighbour.pageId, control: 'thumb' };
    dispatch({ type: 'remove', pageId: page.pageId });
    announce(t('scan.page.removed', { n: index + 1 }));
    if (!neighbour) onEmptied();
  }

  function rotate(page: SessionPage, index: number) {
    dispatch({ type: 'rotate', pageId: page.pageId, quarter: 1 });
    announce(t('scan.page.rotated', { n: index + 1, degrees: (page.rotation + 90) % 360 }));
  }

  function keys(e: KeyboardEvent, page: SessionPage, index: number) {
    if (e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      move(page, index, e.key === 'ArrowLeft' ? -1 : 1, 'thumb');
    } else if (e.key === 'Delete') {
      e.preventDefault();
      remove(page, index);
    }
  }

  if (total === 0) return null;
  return (
    <div className="scan-pages-wrap">
      <p className="field-hint" id="scan-pages-hint">
        {t('scan.page.keysHint')}
      </p>
      <ol className="scan-pages" aria-label={t('scan.page.listLabel', { count: total })} data-testid="scan-pages">
        {pages.map((page, i) => {
          const n = i + 1;
          return (
            <li
              key={page.pageId}
              className={dragged === page.pageId ? 'scan-page dragging' : 'scan-page'}
              data-testid="scan-page"
              draggable
              onDragStart={(e) => {
                setDragged(page.pageId);
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', page.pageId);
              }}
              onDragEnd={() => setDragged(null)}
              onDragOver={(e) => {
                if (!dragged) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
              }}
              onDrop={(e) => {
                if (!dragged) return;
                e.preventDefault();
                const from = pages.findIndex((p) => p.pageId === dragged);
                dispatch({ type: 'moveTo', pageId: dragged, to: i });
                if (from >= 0 && from !== i) announce(t('scan.page.moved', { from: from + 1, to: n, total }));
                setDragged(null);
              }}
            >
              <button
                type="button"
                id={`scan-thumb-${page.pageId}`}
                className="scan-thumb"
                onClick={() => onView(page.pageId)}
                onKeyDown={(e) => keys(e, page, i)}
                aria-keyshortcuts="Shift+ArrowLeft Shift+ArrowRight Delete"
                aria-describedby="scan-pages-hint"
              >
                <span className="scan-thumb-frame">
                  <img src={page.thumbnail} alt="" style={page.rotation ? { transform: `rotate(${page.rotation}deg)` } : undefined} draggable={false} />
                </span>
                <span className="scan-page-number">{t('scan.page.number', { n, total })}</span>
                <span className="visually-hidden">{t('scan.page.view')}</span>
              </button>
              <div className="scan-page-tools" role="group" aria-label={t('scan.page.tools', { n })}>
                <button
                  type="button"
                  id={`scan-left-${page.pageId}`}
                  className="button secondary small"
                  aria-label={t('scan.page.left', { n })}
                  title={t('scan.page.left', { n })}
                  aria-disabled={i === 0 ? true : undefined}
                  onClick={() => move(page, i, -1, 'left')}
                >
                  ←
                </button>
                <button
                  type="button"
                  id={`scan-right-${page.pageId}`}
                  className="button secondary small"
                  aria-label={t('scan.page.right', { n })}
                  title={t('scan.page.right', { n })}
                  aria-disabled={i === total - 1 ? true : undefined}
                  onClick={() => move(page, i, 1, 'right')}
                >
                  →
                </button>
                <button
                  type="button"
                  id={`scan-rotate-${page.pageId}`}
                  className="button secondary small"
                  aria-label={t('scan.page.rotate', { n })}
                  title={t('scan.page.rotate', { n })}
                  onClick={() => rotate(page, i)}
                >
                  ↻
                </button>
                <button type="button" className="button secondary small" aria-label={t('scan.page.remove', { n })} title={t('scan.page.remove', { n })} onClick={() => remove(page, i)}>
                  ✕
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
