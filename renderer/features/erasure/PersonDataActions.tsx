/**
 * « Exporter ses données » and « Effacer » for one person (docs/portability.md, docs/erasure.md): a self-contained
 * pair of buttons for the person page's header. Export downloads the ZIP (`people:exportData`). Erase (administrators,
 * `users.manage`) opens a dialog: the legal holds that refuse it, if any, else the person's name to type — the second
 * step; the core checks the name again. After an erasure the people list opens.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { downloadBytes } from '../../app/download';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { EraseDialog } from './EraseDialog';

interface Props {
  personId: string;
  /** « Prénom Nom », as the confirmation must be typed. */
  personName: string;
}

export function PersonDataActions({ personId, personName }: Props) {
  const { t } = useTranslation();
  const can = useCan();
  const { announce } = useAnnouncer();
  const { navigate } = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [erasing, setErasing] = useState(false);
  const eraseButton = useRef<HTMLButtonElement>(null);
  const [refocus, setRefocus] = useState(false);
  // Back on « Effacer » once the dialog is gone: while the modal is open, the rest of the page cannot take the focus.
  useEffect(() => {
    if (erasing || !refocus) return;
    setRefocus(false);
    eraseButton.current?.focus();
  }, [erasing, refocus]);

  async function exportData() {
    setBusy(true);
    try {
      const r = await invoke('people:exportData', { id: personId });
      downloadBytes(r.zip, r.fileName, 'application/zip');
      announce(t('erasure.exported', { file: r.fileName }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="button secondary" aria-disabled={busy ? true : undefined} onClick={() => !busy && void exportData()}>
        {t('erasure.export')}
      </button>
      {can('users.manage') ? (
        <button type="button" ref={eraseButton} className="button warning person-erase" onClick={() => setErasing(true)}>
          {t('erasure.erase')}
        </button>
      ) : null}
      {error ? (
        <div className="person-data-error">
          <ErrorAlert>{error}</ErrorAlert>
        </div>
      ) : null}
      {erasing ? (
        <EraseDialog
          personId={personId}
          personName={personName}
          onDone={() => {
            setErasing(false);
            announce(t('erasure.erased', { name: personName }));
            navigate({ name: 'people' });
          }}
          onCancel={() => {
            setErasing(false);
            setRefocus(true);
          }}
        />
      ) : null}
    </>
  );
}
