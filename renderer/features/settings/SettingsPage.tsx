/**
 * Settings: auto-lock delay (`settings:update`), my password (`users:changePassword`), language, and the way to
 * « Postes et synchronisation » for those who manage users.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { sessionChannels } from '../../../shared/contract/session';
import { invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useRouter } from '../../app/router';
import { useOpenSession, useSession } from '../../app/session';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert, Notice } from '../../components/Alert';
import { FormField, NewPasswordPair } from '../../components/FormField';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { PageHeader } from '../../components/PageHeader';
import './settings.css';

const lockSchema = sessionChannels['settings:update'].request;
const passwordRequest = sessionChannels['users:changePassword'].request;

export function SettingsPage() {
  const { t } = useTranslation();
  const session = useOpenSession();
  const { updated } = useSession();
  const { announce } = useAnnouncer();
  const { navigate } = useRouter();
  const lock = useZodForm(lockSchema, { autoLockMinutes: session.autoLockMinutes });
  const [lockSaved, setLockSaved] = useState<string | null>(null);
  const passwordSchema = useMemo(
    () => passwordRequest.extend({ confirm: z.string() }).refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: t('create.mismatch') }),
    [t],
  );
  const pw = useZodForm(passwordSchema, { currentPassword: '', newPassword: '', confirm: '' });
  const [pwSaved, setPwSaved] = useState<string | null>(null);

  const saveLock = lock.submit(async (values) => {
    setLockSaved(null);
    const info = await invoke('settings:update', values);
    updated(info);
    setLockSaved(t('settings.autoLockSaved', { count: info.autoLockMinutes }));
    announce(t('settings.autoLockSaved', { count: info.autoLockMinutes }));
  });

  const changePassword = pw.submit(async ({ confirm: _confirm, ...values }) => {
    setPwSaved(null);
    await invoke('users:changePassword', values);
    pw.form.reset();
    setPwSaved(t('settings.passwordChanged'));
  });

  return (
    <div className="settings-page">
      <PageHeader title={t('settings.title')} />
      <div className="two-columns">
        <div className="stack">
          {session.permissions.includes('settings.manage') ? (
            <form className="card stack" onSubmit={(e) => void saveLock(e)} aria-labelledby="autolock-title" noValidate>
              <h2 id="autolock-title">{t('settings.autoLockTitle')}</h2>
              <FormField
                form={lock.form}
                name="autoLockMinutes"
                label={t('settings.autoLockMinutes')}
                hint={t('settings.autoLockHint')}
                type="number"
                min={1}
                max={240}
                inputMode="numeric"
                className="narrow"
              />
              {lockSaved ? <Notice tone="success">{lockSaved}</Notice> : null}
              <ErrorAlert>{lock.rootError}</ErrorAlert>
              <div className="actions">
                <button type="submit" className="button primary">
                  {t('settings.save')}
                </button>
              </div>
            </form>
          ) : null}
          <section className="card stack" aria-labelledby="language-title">
            <h2 id="language-title">{t('settings.languageTitle')}</h2>
            <LanguageSwitch />
          </section>
          {session.permissions.includes('users.manage') ? (
            <section className="card stack" aria-labelledby="devices-link-title">
              <h2 id="devices-link-title">{t('settings.devicesTitle')}</h2>
              <p className="muted">{t('settings.devicesIntro')}</p>
              <div className="actions">
                <button type="button" className="button secondary" onClick={() => navigate({ name: 'devices' })}>
                  {t('settings.devicesOpen')}
                </button>
              </div>
            </section>
          ) : null}
          {session.permissions.includes('users.manage') ? (
            <section className="card stack" aria-labelledby="backups-link-title">
              <h2 id="backups-link-title">{t('settings.backupsTitle')}</h2>
              <p className="muted">{t('settings.backupsIntro')}</p>
              <div className="actions">
                <button type="button" className="button secondary" onClick={() => navigate({ name: 'backups' })}>
                  {t('settings.backupsOpen')}
                </button>
              </div>
            </section>
          ) : null}
          {session.permissions.includes('users.manage') ? (
            <section className="card stack" aria-labelledby="retention-link-title">
              <h2 id="retention-link-title">{t('retention.settingsTitle')}</h2>
              <p className="muted">{t('retention.settingsIntro')}</p>
              <div className="actions">
                <button type="button" className="button secondary" onClick={() => navigate({ name: 'retention' })}>
                  {t('retention.settingsOpen')}
                </button>
              </div>
            </section>
          ) : null}
        </div>
        <form className="card stack" onSubmit={(e) => void changePassword(e)} aria-labelledby="password-title" noValidate>
          <h2 id="password-title">{t('settings.passwordTitle')}</h2>
          <p className="muted">{t('settings.passwordIntro', { name: session.user.name })}</p>
          <FormField form={pw.form} name="currentPassword" label={t('settings.currentPassword')} type="password" autoComplete="current-password" required />
          <NewPasswordPair form={pw.form} name="newPassword" confirmName="confirm" label={t('settings.newPassword')} confirmLabel={t('settings.confirmPassword')} hint={t('create.passwordHint')} />
          {pwSaved ? <Notice tone="success">{pwSaved}</Notice> : null}
          <ErrorAlert>{pw.rootError}</ErrorAlert>
          <div className="actions">
            <button type="submit" className="button primary">
              {t('settings.changePassword')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
