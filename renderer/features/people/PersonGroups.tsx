/** The groups a person belongs to (`people:groups`); editable with `people.assignGroups` (`people:setGroups`). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { forgetDirectory } from '../../api/directory';
import { useAnnouncer } from '../../app/announcer';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { GroupChecklist } from '../../components/GroupChecklist';
import { useDirectory } from '../access/useDirectory';

export function PersonGroups({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const can = useCan();
  const directory = useDirectory();
  const [groupIds, setGroupIds] = useState<string[] | null>(null);
  const [saved, setSaved] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    invoke('people:groups', { personId })
      .then((r) => {
        if (!alive) return;
        setGroupIds(r.groupIds);
        setSaved(r.groupIds);
      })
      .catch((e: unknown) => alive && setError(errorMessage(e)));
    return () => {
      alive = false;
    };
  }, [personId]);

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
  const changed = groupIds !== null && [...groupIds].sort().join() !== [...saved].sort().join();
  return (
    <div className="person-groups">
      <h3>{t('personGroups.title')}</h3>
      <ErrorAlert>{error}</ErrorAlert>
      {groupIds && editable && directory.groups ? (
        <>
          <GroupChecklist hideLegend legend={t('personGroups.legend')} items={directory.groups} selected={groupIds} onChange={setGroupIds} emptyText={t('groups.none')} />
          <button type="button" className={changed ? 'button primary small' : 'button secondary small'} onClick={() => void save()}>
            {t('personGroups.save')}
          </button>
        </>
      ) : null}
      {groupIds && !editable ? (
        <p data-testid="person-groups">{groupIds.map((g) => directory.names.get(g) ?? t('visibility.badge.unknown')).join(', ') || t('personGroups.none')}</p>
      ) : null}
    </div>
  );
}
