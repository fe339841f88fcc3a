/** The groups a person belongs to (`people:groups`); editable with `people.assignGroups` (`people:setGroups`). */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { forgetDirectory } from '../../api/directory';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion, useHoldRefresh } from '../../app/dataVersion';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { GroupChecklist } from '../../components/GroupChecklist';
import { useDirectory } from '../access/useDirectory';

const sameIds = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

export function PersonGroups({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const can = useCan();
  const directory = useDirectory();
  const [groupIds, setGroupIds] = useState<string[] | null>(null);
  const [saved, setSaved] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();
  const changed = groupIds !== null && !sameIds(groupIds, saved);
  useHoldRefresh(changed);
  const savedRef = useRef(saved);
  useEffect(() => {
    savedRef.current = saved;
  }, [saved]);

  useEffect(() => {
    let alive = true;
    invoke('people:groups', { personId })
      .then((r) => {
        if (!alive) return;
        // Read again after a sync: boxes ticked or unticked here and not saved yet stay as they are.
        setGroupIds((current) => (current === null || sameIds(current, savedRef.current) ? r.groupIds : current));
        setSaved(r.groupIds);
      })
      .catch((e: unknown) => alive && setError(errorMessage(e)));
    return () => {
      alive = false;
    };
  }, [personId, version]);

  async function save() {
    if (!groupIds) return;
    setError(null);
    try {
      const r = await invoke('people:setGroups', { personId, groupIds });
      setGroupIds(r.groupIds);
      setSaved(r.groupIds);
      forgetDirectory();
      announce(t('personGroups.saved'));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const editable = can('people.assignGroups') && directory.groups !== null;
  return (
    <div className="person-groups">
      <h3>{t('personGroups.title')}</h3>
      <ErrorAlert>{error}</ErrorAlert>
      {groupIds && editable && directory.groups ? (
        <>
          <GroupChecklist hideLegend legend={t('personGroups.legend')} items={directory.groups} selected={groupIds} onChange={setGroupIds} emptyText={t('groups.none')} />
          {/* No group in the association: nothing to save, no button. */}
          {directory.groups.length > 0 || groupIds.length > 0 ? (
            <button type="button" className={changed ? 'button primary small' : 'button secondary small'} onClick={() => void save()}>
              {t('personGroups.save')}
            </button>
          ) : null}
        </>
      ) : null}
      {groupIds && !editable ? (
        <p data-testid="person-groups">{groupIds.map((g) => directory.names.get(g) ?? t('visibility.badge.unknown')).join(', ') || t('personGroups.none')}</p>
      ) : null}
    </div>
  );
}
