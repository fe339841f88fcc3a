/**
 * A person's referent (« Référent·e », `people:referent`): the user who follows them, to whom the automatic renewal
 * task of their papers is assigned (docs/papers-expiry.md). Changed with `people.write` (`people:setReferent`).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { loadDirectory, type Directory } from '../../api/directory';

export function PersonReferent({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const can = useCan();
  const [directory, setDirectory] = useState<Directory>({ groups: null, users: null });
  const version = useDataVersion();
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  const [choice, setChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);

  useEffect(() => {
    void loadDirectory().then(setDirectory);
    invoke('people:referent', { personId })
      .then((r) => {
        setSaved(r.userId);
        setChoice(r.userId ?? '');
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [personId, version]);

  async function save() {
    try {
      const r = await invoke('people:setReferent', { personId, userId: choice || null });
      setSaved(r.userId);
      setError(null);
      setChanging(false);
      announce(t('referent.saved'));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (saved === undefined) return <ErrorAlert>{error}</ErrorAlert>;
  const users = directory.users ?? [];
  const nameOf = (id: string | null) => users.find((u) => u.id === id)?.displayName ?? t('referent.none');
  // One line (« Référent·e : Aucun·e · Changer »); the choice opens on demand, the person page stays short.
  return (
    <div className="person-referent">
      <p className="referent-line">
        <strong>{t('referent.title')}</strong> : {nameOf(saved)}
        {can('people.write') && directory.users && !changing ? (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={() => setChanging(true)}>
              {t('referent.change')}
            </button>
          </>
        ) : null}
      </p>
      <ErrorAlert>{error}</ErrorAlert>
      {changing ? (
        <div className="stack">
          <SelectField label={t('referent.label')} hint={t('referent.hint')} value={choice} onChange={(e) => setChoice(e.target.value)} autoFocus>
            <option value="">{t('referent.none')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <button type="button" className="button secondary small" onClick={() => void save()}>
              {t('referent.save')}
            </button>
            <button
              type="button"
              className="button secondary small"
              onClick={() => {
                setChoice(saved ?? '');
                setChanging(false);
              }}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
