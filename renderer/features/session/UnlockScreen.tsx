/**
 * The first screen: unlock an association, or create one, or join one that another computer already syncs (« Rejoindre
 * une association », then back here to unlock it); from the unlock form, « Demander un compte » and
 * « Mot de passe oublié ? Code de secours ». After « Changer d'utilisateur » the same association is prefilled and the
 * user-name field is empty and focused; after a lock or a reload, the last user's name is filled in and the password
 * field focused. While the recovery code of a new association is shown, nothing else can be chosen here: the code is
 * shown once and the association stays open until it is confirmed kept. Nothing of a previous session is shown here.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useSession } from '../../app/session';
import { Notice } from '../../components/Alert';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { CreateAssociationForm } from './CreateAssociationForm';
import { JoinAssociationForm, type Joined } from './JoinAssociationForm';
import { RequestAccountForm } from './RequestAccountForm';
import { ResetPasswordForm } from './ResetPasswordForm';
import { UnlockForm, type Recent } from './UnlockForm';
import './session.css';

type Mode = 'unlock' | 'create' | 'join' | 'request' | 'reset';

const LOCK_MESSAGES = { idle: 'unlock.lockedIdle', user: 'unlock.lockedUser', switch: 'unlock.lockedSwitch' } as const;
const HEADINGS = { unlock: 'unlock.heading', create: 'create.heading', join: 'join.heading', request: 'request.heading', reset: 'reset.heading' } as const;

export function UnlockScreen() {
  const { t } = useTranslation();
  const { lastLockReason, switchDir, lastUser } = useSession();
  const [mode, setMode] = useState<Mode>('unlock');
  const [dir, setDir] = useState(switchDir ?? lastUser?.dir ?? '');
  /** The recovery code of a new association is on screen: the other choices wait until it is confirmed kept. */
  const [holding, setHolding] = useState(false);
  const [recents, setRecents] = useState<Recent[]>([]);
  /** Set once this computer joined an association: the unlock form comes back for its folder. */
  const [joined, setJoined] = useState<Joined | null>(null);
  // Its own folder, like the create form's: joining goes into a new folder, never into the association unlocked last.
  const [joinDir, setJoinDir] = useState('');
  const sideMode = mode === 'request' || mode === 'reset';

  // The folder is shared by the unlock, request and reset forms: the last association opened here fills it.
  // Read again after joining: the core remembers the new folder.
  useEffect(() => {
    let alive = true;
    invoke('session:recentAssociations', {})
      .then(({ items }) => {
        if (!alive) return;
        setRecents(items);
        const first = items[0];
        if (first) setDir((d) => d || first.dir);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [joined]);

  function onJoined(j: Joined) {
    setDir(j.dir);
    setJoined(j);
    setMode('unlock');
  }

  return (
    <div className="unlock-screen">
      <header className="unlock-header">
        <p className="brand">{t('app.name')}</p>
        <LanguageSwitch compact />
      </header>
      <main className="unlock-main">
        <h1 tabIndex={-1}>{t(HEADINGS[mode])}</h1>
        <p className="lead">{t('unlock.tagline')}</p>
        {mode === 'unlock' || mode === 'create' ? <p className="folder-explained">{t('unlock.folderExplained')}</p> : null}
        {lastLockReason && !joined ? <Notice>{t(LOCK_MESSAGES[lastLockReason])}</Notice> : null}
        {joined && mode === 'unlock' ? <Notice tone="success">{t('join.done', { name: joined.associationName })}</Notice> : null}
        <div className="mode-switch" role="group" aria-label={t('unlock.modeLabel')}>
          <button type="button" className="button toggle" aria-pressed={mode === 'unlock' || sideMode} disabled={holding} onClick={() => setMode('unlock')}>
            {t('unlock.modeUnlock')}
          </button>
          <button type="button" className="button toggle" aria-pressed={mode === 'create'} disabled={holding} onClick={() => setMode('create')}>
            {t('unlock.modeCreate')}
          </button>
        </div>
        <p className="join-link">
          {t('join.question')}{' '}
          <button type="button" className="link-button" aria-pressed={mode === 'join'} disabled={holding} onClick={() => setMode('join')}>
            {t('join.link')}
          </button>
        </p>
        {mode === 'unlock' ? (
          <UnlockForm
            recents={recents}
            dir={dir}
            setDir={setDir}
            focusUser={switchDir !== null || joined !== null}
            lastUserName={!joined && lastUser && lastUser.dir === dir ? lastUser.userName : ''}
          />
        ) : null}
        {mode === 'create' ? <CreateAssociationForm onHold={setHolding} /> : null}
        {mode === 'join' ? <JoinAssociationForm dir={joinDir} setDir={setJoinDir} onJoined={onJoined} /> : null}
        {mode === 'request' ? <RequestAccountForm dir={dir} setDir={setDir} /> : null}
        {mode === 'reset' ? <ResetPasswordForm dir={dir} setDir={setDir} onDone={() => setMode('unlock')} /> : null}
        {mode === 'unlock' ? (
          <ul className="unlock-links plain-list">
            <li>
              <button type="button" className="link-button" onClick={() => setMode('request')}>
                {t('request.link')}
              </button>
            </li>
            <li>
              <button type="button" className="link-button" onClick={() => setMode('reset')}>
                {t('reset.link')}
              </button>
            </li>
          </ul>
        ) : null}
        {sideMode ? (
          <p className="unlock-links">
            <button type="button" className="link-button" onClick={() => setMode('unlock')}>
              {t('unlock.backToUnlock')}
            </button>
          </p>
        ) : null}
      </main>
    </div>
  );
}
