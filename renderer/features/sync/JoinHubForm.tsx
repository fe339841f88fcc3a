/**
 * Join a hub from the first device of an association (`sync:joinHub`): the hub's address, a name for this device and,
 * when the hub's operator requires one, its registration secret (docs/hub-scaling.md "Limits"). Checked with the
 * channel's schema before sending; a refusal naming a field is shown next to it (renderer/app/useZodForm.ts).
 */
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { syncChannels } from '../../../shared/contract/sync';
import { invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert } from '../../components/Alert';
import { FormField } from '../../components/FormField';
import { useSyncStatus } from './SyncStatusContext';

// Empty optional fields are typed as '' and sent as undefined.
const schema = syncChannels['sync:joinHub'].request.extend({ deviceName: z.string().trim().max(100), registrationSecret: z.string().max(512) });

export function JoinHubForm() {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { refresh } = useSyncStatus();
  const { form, busy, rootError, submit } = useZodForm(schema, { hubUrl: '', deviceName: '', registrationSecret: '' });

  const onSubmit = submit(async ({ hubUrl, deviceName, registrationSecret }) => {
    await invoke('sync:joinHub', { hubUrl, deviceName: deviceName || undefined, registrationSecret: registrationSecret || undefined });
    announce(t('devices.joined'));
    refresh();
  });

  return (
    <form className="card stack join-hub" onSubmit={(e) => void onSubmit(e)} aria-labelledby="join-hub-title" noValidate>
      <h2 id="join-hub-title">{t('devices.joinTitle')}</h2>
      <p className="muted">{t('devices.joinIntro')}</p>
      <FormField form={form} name="hubUrl" label={t('devices.hubUrl')} hint={t('devices.hubUrlHint')} type="url" inputMode="url" maxLength={500} required autoComplete="url" spellCheck={false} />
      <FormField form={form} name="deviceName" label={t('devices.deviceName')} hint={t('devices.deviceNameHint')} maxLength={100} autoComplete="off" />
      <FormField
        form={form}
        name="registrationSecret"
        label={t('devices.registrationSecret')}
        hint={t('devices.registrationSecretHint')}
        type="password"
        maxLength={512}
        autoComplete="off"
        spellCheck={false}
      />
      <ErrorAlert>{rootError}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
          {busy ? t('devices.joining') : t('devices.join')}
        </button>
      </div>
    </form>
  );
}
