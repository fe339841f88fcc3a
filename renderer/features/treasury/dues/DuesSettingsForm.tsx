/** « Réglages des cotisations »: how many days before the end a membership shows « Échéance proche » (0–365, default 30). */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../../api/client';
import { useAnnouncer } from '../../../app/announcer';
import { useCan } from '../../../app/session';
import { TextField } from '../../../components/Field';

export function DuesSettingsForm({ version, onChanged }: { version: number; onChanged(): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const can = useCan();
  const [days, setDays] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    invoke('dues:settings', {})
      .then((s) => setDays(String(s.dueSoonDays)))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [version]);

  async function save(e: FormEvent) {
    e.preventDefault();
    const v = days.trim();
    if (!/^\d{1,3}$/.test(v) || Number(v) > 365) return setError(t('dues.daysInvalid'));
    try {
      await invoke('dues:saveSettings', { dueSoonDays: Number(v) });
      setError(null);
      announce(t('dues.settingsSaved'));
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form className="card stack" onSubmit={(e) => void save(e)} aria-labelledby="dues-settings-title" noValidate>
      <h2 id="dues-settings-title">{t('dues.settings')}</h2>
      <div className="dues-toolbar">
        <TextField label={t('dues.dueSoonDays')} hint={t('dues.dueSoonHint')} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} error={error} disabled={!can('treasury.write')} />
        {can('treasury.write') ? (
          <button type="submit" className="button secondary">
            {t('dues.saveSettings')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
