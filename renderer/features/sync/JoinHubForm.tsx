/**
 * Join a hub from the first device of an association (`sync:joinHub`): the hub's address, a name for this device and,
 * when the hub's operator requires one, its registration secret (docs/hub-scaling.md "Limits").
 * A VALIDATION message naming `hubUrl` is shown next to the address field.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { fieldOfMessage } from '../../app/format';
import { useSubmit } from '../../app/useSubmit';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { useSyncStatus } from './SyncStatusContext';

/** `Requête … — champ « hubUrl » : Adresse du hub invalide…` → the part after the field, for the field itself. */
export function fieldError(message: string | null, field: string): string | null {
  if (!message || fieldOfMessage(message) !== field) return null;
  return message.replace(/^.*champ « [^»]+ » : /, '');
}

export function JoinHubForm() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { refresh } = useSyncStatus();
  const [hubUrl, setHubUrl] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [secret, setSecret] = useState('');
  const { busy, error, run } = useSubmit();
  const urlError = fieldError(error, 'hubUrl');
  const nameError = fieldError(error, 'deviceName');

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await invoke('sync:joinHub', { hubUrl: hubUrl.trim(), deviceName: deviceName.trim() || undefined, registrationSecret: secret || undefined });
      announce(t('devices.joined'));
      refresh();
    });
  }

  return (
    <form className="card stack join-hub" onSubmit={(e) => void submit(e)} aria-labelledby="join-hub-title" noValidate>
      <h2 id="join-hub-title">{t('devices.joinTitle')}</h2>
      <p className="muted">{t('devices.joinIntro')}</p>
      <TextField
        label={t('devices.hubUrl')}
        hint={t('devices.hubUrlHint')}
        value={hubUrl}
        onChange={(e) => setHubUrl(e.target.value)}
        type="url"
        inputMode="url"
        required
        autoComplete="url"
        spellCheck={false}
        error={urlError}
      />
      <TextField
        label={t('devices.deviceName')}
        hint={t('devices.deviceNameHint')}
        value={deviceName}
        onChange={(e) => setDeviceName(e.target.value)}
        maxLength={100}
        autoComplete="off"
        error={nameError}
      />
      <TextField
        label={t('devices.registrationSecret')}
        hint={t('devices.registrationSecretHint')}
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
        type="password"
        maxLength={512}
        autoComplete="off"
        spellCheck={false}
      />
      <ErrorAlert>{urlError ?? nameError ?? error}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
          {busy ? t('devices.joining') : t('devices.join')}
        </button>
      </div>
    </form>
  );
}
