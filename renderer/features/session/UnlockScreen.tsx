/** The first screen: unlock an association, or create one. Nothing of a previous session is shown here. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { Notice } from '../../components/Alert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { CreateAssociationForm } from './CreateAssociationForm';
import { UnlockForm } from './UnlockForm';
import './session.css';

export function UnlockScreen() {
  const { t } = useTranslation();
  const { lastLockReason } = useSession();
  const [mode, setMode] = useState<'unlock' | 'create'>('unlock');

  return (
    <div className="unlock-screen">
      <header className="unlock-header">
        <p className="brand">{t('app.name')}</p>
        <LanguageSwitch compact />
      </header>
      <main className="unlock-main">
        <h1 tabIndex={-1}>{mode === 'unlock' ? t('unlock.heading') : t('create.heading')}</h1>
        <p className="lead">{t('unlock.tagline')}</p>
        {lastLockReason ? <Notice>{t(lastLockReason === 'idle' ? 'unlock.lockedIdle' : 'unlock.lockedUser')}</Notice> : null}
        <div className="mode-switch" role="group" aria-label={t('unlock.modeLabel')}>
          <button type="button" className="button toggle" aria-pressed={mode === 'unlock'} onClick={() => setMode('unlock')}>
            {t('unlock.modeUnlock')}
          </button>
          <button type="button" className="button toggle" aria-pressed={mode === 'create'} onClick={() => setMode('create')}>
            {t('unlock.modeCreate')}
          </button>
        </div>
        {mode === 'unlock' ? <UnlockForm /> : <CreateAssociationForm />}
      </main>
    </div>
  );
}
