/**
 * Unlock an existing association: folder, recent associations, user name and password → `session:unlock`.
 * TOO_MANY_ATTEMPTS (growing delay after failures) and PENDING_APPROVAL come with the core's French message.
 * With `lastUserName` (after a lock or a reload) the name is filled in and the password field focused; a refused
 * password is emptied and its field focused again.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sessionChannels } from '../../../shared/contract/session';
import { invoke } from '../../api/client';
import { useSession } from '../../app/session';
import { useSubmit } from '../../app/useSubmit';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { FolderField } from './FolderField';

export interface Recent {
  dir: string;
  name: string;
}

interface Props {
  /** Associations opened recently on this computer (`session:recentAssociations`, loaded by the unlock screen). */
  recents: Recent[];
  dir: string;
  setDir(dir: string): void;
  /** After « Changer d'utilisateur »: the user-name field starts empty and focused. */
  focusUser: boolean;
  /** The user who unlocked last here ('' when none or after « Changer d'utilisateur »). */
  lastUserName?: string;
}

export function UnlockForm({ recents, dir, setDir, focusUser, lastUserName = '' }: Props) {
  const { t } = useTranslation();
  const { opened } = useSession();
  const [userName, setUserName] = useState(focusUser ? '' : lastUserName);
  const [password, setPassword] = useState('');
  const { busy, error, run, check, fieldErrors, formRef } = useSubmit(['dir', 'userName', 'password']);
  const userField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusUser) userField.current?.focus();
    else if (lastUserName) {
      setUserName(lastUserName);
      passwordField.current?.focus();
    }
  }, [focusUser, lastUserName]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!check(sessionChannels['session:unlock'].request, { dir, userName, password })) return;
    let session: Awaited<ReturnType<typeof invoke<'session:unlock'>>> | null = null;
    const ok = await run(async () => {
      session = await invoke('session:unlock', { dir, userName, password });
    });
    // Typed again from scratch: a half-remembered password is not kept on screen.
    setPassword('');
    if (ok && session) opened(session);
    else requestAnimationFrame(() => passwordField.current?.focus());
  }

  return (
    <form ref={formRef} className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="unlock-title" noValidate>
      <h2 id="unlock-title">{t('unlock.title')}</h2>
      {recents.length > 0 ? (
        <section aria-labelledby="recent-title" className="recent">
          <h3 id="recent-title">{t('unlock.recent')}</h3>
          <ul>
            {recents.map((r) => (
              <li key={r.dir}>
                <button
                  type="button"
                  className="recent-item"
                  aria-pressed={dir === r.dir}
                  onClick={() => {
                    setDir(r.dir);
                    userField.current?.focus();
                  }}
                >
                  <span className="recent-name">{r.name}</span>
                  <span className="recent-dir">{r.dir}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <FolderField id="unlock-dir" label={t('unlock.folder')} value={dir} onChange={setDir} error={fieldErrors.dir} />
      <TextField
        ref={userField}
        label={t('unlock.userName')}
        value={userName}
        onChange={(e) => setUserName(e.target.value)}
        autoComplete="username"
        required
        spellCheck={false}
        maxLength={64}
        error={fieldErrors.userName}
      />
      <TextField
        label={t('unlock.password')}
        ref={passwordField}
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <ErrorAlert id="unlock-error">{error}</ErrorAlert>
      <button type="submit" className="button primary big" disabled={busy}>
        {busy ? t('unlock.unlocking') : t('unlock.submit')}
      </button>
    </form>
  );
}
