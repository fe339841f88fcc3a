/**
 * Settings: auto-lock delay (`settings:update`), my password (`users:changePassword`), language, and the way to
 * « Postes et synchronisation » for those who manage users.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useRouter } from '../../app/router';
import { useOpenSession, useSession } from '../../app/session';
import { ErrorAlert, Notice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { PageHeader } from '../../components/PageHeader';
import './settings.css';

export function SettingsPage() {
  const { t } = useTranslation();
  const session = useOpenSession();
  const { updated } = useSession();
  const { announce } = useAnnouncer();
  const { navigate } = useRouter();
  const [minutes, setMinutes] = useState(String(session.autoLockMinutes));
  const [lockMsg, setLockMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const [pwMsg, setPwMsg] = useState<{ ok: boolean; text: string } | null>(null);

  async function saveLock(e: FormEvent) {
    e.preventDefault();
    try {
      const info = await invoke('settings:update', { autoLockMinutes: Number(minutes) });
      updated(info);
      setLockMsg({ ok: true, text: t('settings.autoLockSaved', { count: info.autoLockMinutes }) });
      announce(t('settings.autoLockSaved', { count: info.autoLockMinutes }));
    } catch (err) {
      setLockMsg({ ok: false, text: errorMessage(err) });
    }
  }

  async function changePassword(e: FormEvent) {
    e.preventDefault();
    if (!newPassword.check()) return;
    try {
      await invoke('users:changePassword', { currentPassword: current, newPassword: newPassword.password });
      setCurrent('');
      newPassword.reset();
      setPwMsg({ ok: true, text: t('settings.passwordChanged') });
    } catch (err) {
      setPwMsg({ ok: false, text: errorMessage(err) });
    }
  }

  return (
    <div className="settings-page">
      <PageHeader title={t('settings.title')} />
      <div className="two-columns">
        <div className="stack">
          {session.permissions.includes('settings.manage') ? (
            <form className="card stack" onSubmit={(e) => void saveLock(e)} aria-labelledby="autolock-title" noValidate>
              <h2 id="autolock-title">{t('settings.autoLockTitle')}</h2>
              <TextField
                label={t('settings.autoLockMinutes')}
                hint={t('settings.autoLockHint')}
                type="number"
                min={1}
                max={240}
                inputMode="numeric"
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
                className="narrow"
              />
              {lockMsg ? lockMsg.ok ? <Notice tone="success">{lockMsg.text}</Notice> : <ErrorAlert>{lockMsg.text}</ErrorAlert> : null}
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
          <TextField label={t('settings.currentPassword')} type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" required />
          <NewPasswordFields state={newPassword} label={t('settings.newPassword')} confirmLabel={t('settings.confirmPassword')} />
          {pwMsg ? pwMsg.ok ? <Notice tone="success">{pwMsg.text}</Notice> : <ErrorAlert>{pwMsg.text}</ErrorAlert> : null}
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
