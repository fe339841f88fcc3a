/**
 * « De nouvelles données sont arrivées d'un autre poste. » with « Actualiser », above the screen, while a form with
 * unsaved input or a dialog holds the refresh that received changes would have done (`app/dataVersion.tsx`).
 * Polite: it never takes the focus; « Actualiser » reloads the screen's data (what is typed stays) and moves the
 * focus to the screen's title, since the notice and its button go away.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnouncer } from '../../app/announcer';
import { useDataRefresh } from '../../app/dataVersion';

export function RefreshNotice() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { stale, refresh } = useDataRefresh();
  const box = useRef<HTMLDivElement>(null);

  function update() {
    const title = box.current?.closest('main')?.querySelector<HTMLElement>('h1');
    refresh();
    announce(t('refresh.done'));
    requestAnimationFrame(() => title?.focus());
  }

  return (
    <div ref={box} role="status">
      {stale ? (
        <div className="alert alert-info refresh-notice" data-testid="refresh-notice">
          <span>{t('refresh.arrived')}</span>
          <button type="button" className="button secondary small" onClick={update}>
            {t('refresh.action')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
