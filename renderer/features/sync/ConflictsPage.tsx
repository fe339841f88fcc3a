/**
 * Conflicts (issue 4 §3): two devices changed the same field before they synced; the later value was kept and the
 * other one is kept in history. For each one: what, which field, the kept value and the replaced one with their
 * dates, « Rétablir » (`conflicts:restore`: the replaced value becomes current) and « Ignorer » (`conflicts:dismiss`).
 * The core lists only the conflicts of rows the user may see. « Afficher les conflits résolus » adds the others.
 * The list reads again when the data version moves (a sync brought changes: new conflicts, or ones settled on another
 * device); if the focused button's row went away, the focus goes to the title.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictItem } from '../../../shared/contract/sync';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { ErrorAlert } from '../../components/Alert';
import { CheckboxField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { ConflictsTable } from './ConflictsTable';
import { useSyncStatus } from './SyncStatusContext';
import './sync.css';

export function ConflictsPage() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { refresh } = useSyncStatus();
  const version = useDataVersion();
  const [includeResolved, setIncludeResolved] = useState(false);
  const [items, setItems] = useState<ConflictItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState<number | null>(null);
  /**
   * After a restore or dismiss: the row whose actions get the focus once the list is reloaded. After a reload by the
   * data version: the element focused then (`lost`), whose row may have gone.
   */
  const focusAfter = useRef<{ index: number } | { lost: Element } | null>(null);
  const heading = useRef<HTMLDivElement>(null);

  const load = useCallback(async (resolved: boolean) => {
    try {
      const r = await invoke('conflicts:list', { includeResolved: resolved });
      setItems(r.items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    const focused = document.activeElement;
    if (focused && heading.current?.parentElement?.contains(focused)) focusAfter.current = { lost: focused };
    void load(includeResolved);
  }, [load, includeResolved, version]);

  // Focus stays on the list after a row went away: the next row's first action, else the title.
  useEffect(() => {
    const after = focusAfter.current;
    if (!after || !items) return;
    focusAfter.current = null;
    if ('lost' in after) {
      if (!after.lost.isConnected) heading.current?.querySelector<HTMLElement>('h1')?.focus();
      return;
    }
    const open = items.filter((i) => !i.resolvedAt);
    const next = open[Math.min(after.index, open.length - 1)];
    const target = next ? document.getElementById(`conflict-restore-${next.id}`) : null;
    (target ?? heading.current?.querySelector<HTMLElement>('h1'))?.focus();
  }, [items]);

  async function act(item: ConflictItem, action: 'restore' | 'dismiss') {
    if (working !== null) return;
    setWorking(item.id);
    setError(null);
    const index = (items ?? []).filter((i) => !i.resolvedAt).findIndex((i) => i.id === item.id);
    try {
      if (action === 'restore') await invoke('conflicts:restore', { id: item.id });
      else await invoke('conflicts:dismiss', { id: item.id });
      announce(action === 'restore' ? t('conflicts.restored') : t('conflicts.dismissed'));
      focusAfter.current = { index: Math.max(0, index) };
      refresh();
      await load(includeResolved);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setWorking(null);
    }
  }

  return (
    <div className="conflicts-page">
      <div ref={heading}>
        <PageHeader title={t('conflicts.title')}>
          <p className="muted page-intro">{t('conflicts.intro')}</p>
        </PageHeader>
      </div>
      <CheckboxField label={t('conflicts.showResolved')} checked={includeResolved} onChange={(e) => setIncludeResolved(e.target.checked)} />
      <ErrorAlert>{error}</ErrorAlert>
      {items === null ? null : items.length === 0 ? (
        <p className="empty" data-testid="conflicts-empty">
          {includeResolved ? t('conflicts.noneAtAll') : t('conflicts.none')}
        </p>
      ) : (
        <ConflictsTable items={items} working={working} onRestore={(i) => void act(i, 'restore')} onDismiss={(i) => void act(i, 'dismiss')} />
      )}
    </div>
  );
}
