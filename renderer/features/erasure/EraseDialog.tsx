/**
 * The erasure's confirmation: says what goes (record, notes, tasks, consents, papers, on every device and at the hub)
 * and that archiving is the soft option; lists the legal holds that refuse it (`people:legalHolds`), else asks for the
 * person's name typed in full before « Effacer définitivement » (`people:erase`).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LegalHold } from '../../../shared/domain/erasure';
import { errorMessage, invoke } from '../../api/client';
import { Notice } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextField } from '../../components/Field';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').trim().toLowerCase();

interface Props {
  personId: string;
  personName: string;
  onDone(): void;
  onCancel(): void;
}

export function EraseDialog({ personId, personName, onDone, onCancel }: Props) {
  const { t } = useTranslation();
  const [holds, setHolds] = useState<LegalHold[] | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    invoke('people:legalHolds', { id: personId })
      .then((r) => setHolds(r.items))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [personId]);

  async function confirm() {
    if (holds === null || holds.length > 0) return;
    if (fold(typed) !== fold(personName)) {
      setError(t('erasure.nameMismatch', { name: personName }));
      return;
    }
    setBusy(true);
    try {
      await invoke('people:erase', { id: personId, confirmName: typed });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog title={t('erasure.dialogTitle', { name: personName })} confirmLabel={t('erasure.confirm')} busy={busy || holds === null || holds.length > 0} error={error} onConfirm={() => void confirm()} onCancel={onCancel}>
      <p>{t('erasure.what')}</p>
      <p className="muted">{t('erasure.soft')}</p>
      {holds && holds.length > 0 ? (
        <Notice tone="warning">
          <p>{t('erasure.held')}</p>
          <ul>
            {holds.map((h) => (
              <li key={h.id}>{h.reason}</li>
            ))}
          </ul>
        </Notice>
      ) : (
        <TextField
          label={t('erasure.typeName', { name: personName })}
          value={typed}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void confirm();
            }
          }}
        />
      )}
    </ConfirmDialog>
  );
}
