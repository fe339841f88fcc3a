/**
 * The viewer's toolbar: zoom out, the percentage, zoom in, fit width, fit page (pressed when active), rotate a
 * quarter turn left or right, and « page 2 sur 5 ». Keys + and − and Ctrl + wheel do the same (DocumentViewer).
 */
import { useTranslation } from 'react-i18next';
import type { Zoom } from './zoom';

interface Props {
  current: number;
  pages: number;
  percent: number;
  zoom: Zoom;
  onZoom(zoom: Zoom): void;
  onZoomBy(direction: 1 | -1): void;
  onRotate(delta: 90 | -90): void;
}

export function ViewerToolbar({ current, pages, percent, zoom, onZoom, onZoomBy, onRotate }: Props) {
  const { t } = useTranslation();
  return (
    <div className="viewer-tools" role="toolbar" aria-label={t('viewer.tools')}>
      <div className="viewer-tool-group">
        <button type="button" className="button secondary small" onClick={() => onZoomBy(-1)} aria-keyshortcuts="-" aria-label={t('viewer.zoomOut')} title={t('viewer.zoomOut')}>
          −
        </button>
        <output className="viewer-percent" aria-label={t('viewer.zoomLevel')} data-testid="zoom-level">
          {percent} %
        </output>
        <button type="button" className="button secondary small" onClick={() => onZoomBy(1)} aria-keyshortcuts="+" aria-label={t('viewer.zoomIn')} title={t('viewer.zoomIn')}>
          +
        </button>
        <button type="button" className="button secondary small" aria-pressed={zoom.kind === 'fitWidth'} onClick={() => onZoom({ kind: 'fitWidth' })}>
          {t('viewer.fitWidth')}
        </button>
        <button type="button" className="button secondary small" aria-pressed={zoom.kind === 'fitPage'} onClick={() => onZoom({ kind: 'fitPage' })}>
          {t('viewer.fitPage')}
        </button>
      </div>
      <div className="viewer-tool-group">
        <button type="button" className="button secondary small" onClick={() => onRotate(-90)} aria-label={t('viewer.rotateLeft')} title={t('viewer.rotateLeft')}>
          ↺
        </button>
        <button type="button" className="button secondary small" onClick={() => onRotate(90)} aria-label={t('viewer.rotateRight')} title={t('viewer.rotateRight')}>
          ↻
        </button>
      </div>
      <p className="viewer-position" data-testid="page-position">
        {t('viewer.position', { n: current, count: pages })}
      </p>
    </div>
  );
}
