/**
 * « Inviter un poste » (`devices:invite`): a name for the new device, then its pairing code, large and in groups of 5,
 * valid 15 minutes and 5 attempts at the hub, with what to do on the new device. The code is shown once: « Terminé »
 * forgets it.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useHoldRefresh } from '../../app/dataVersion';
import { useSubmit } from '../../app/useSubmit';
import { ErrorAlert, Notice } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { syncChannels } from '../../../shared/contract/sync';
import { formatTime } from './format';

interface Invitation {
  name: string;
  code: string;
  expiresAt: string;
}

/** "7K2QHABCDE…" or "7K2QH-ABCDE-…" → ["7K2QH", "ABCDE", …]; anything else as one group. */
export function codeGroups(code: string): string[] {
  const bare = code.replace(/[\s-]/g, '');
  return bare.length % 5 === 0 && bare.length > 0 ? (bare.match(/.{5}/g) ?? [bare]) : [code];
}

export function InviteDevice({ hubUrl, onInvited }: { hubUrl: string; onInvited(): void }) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [name, setName] = useState('');
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const { busy, error, run, check, fieldErrors, formRef } = useSubmit(['name']);
  const nameError = fieldErrors.name ?? null;
  const panelTitle = useRef<HTMLHeadingElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  useHoldRefresh(name !== '');

  useEffect(() => {
    if (invitation) panelTitle.current?.focus();
  }, [invitation]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!check(syncChannels['devices:invite'].request, { name })) return;
    await run(async () => {
      const r = await invoke('devices:invite', { name: name.trim() });
      setInvitation({ name: name.trim(), code: r.code, expiresAt: r.expiresAt });
      setName('');
      announce(t('devices.inviteReady', { name: name.trim() }));
      onInvited();
    });
  }

  function done() {
    setInvitation(null);
    requestAnimationFrame(() => nameField.current?.focus());
  }

  if (invitation) {
    // Re-rendered at every status poll (3 s), so the expiry shows without a timer of its own.
    const expired = Date.now() > new Date(invitation.expiresAt).getTime();
    const groups = codeGroups(invitation.code);
    return (
      <section className="card stack invite-panel" aria-labelledby="invite-code-title" data-testid="invite-panel">
        <h2 id="invite-code-title" ref={panelTitle} tabIndex={-1}>
          {t('devices.codeTitle', { name: invitation.name })}
        </h2>
        <p className="pairing-code" data-testid="pairing-code">
          {groups.map((g, i) => (
            <span key={i} className="pairing-group">
              {i > 0 ? <span className="pairing-dash">-</span> : null}
              {g}
            </span>
          ))}
        </p>
        {expired ? (
          <Notice tone="warning">{t('devices.codeExpired')}</Notice>
        ) : (
          <p className="pairing-validity">{t('devices.codeValidity', { time: formatTime(invitation.expiresAt, i18n.language) })}</p>
        )}
        <div>
          <h3>{t('devices.howTitle')}</h3>
          <ol className="pairing-steps">
            <li>{t('devices.howStep1')}</li>
            <li>
              {t('devices.howStep2')} <span className="mono">{hubUrl}</span>
            </li>
            <li>{t('devices.howStep3')}</li>
            <li>{t('devices.howStep4')}</li>
          </ol>
        </div>
        <div className="actions">
          <button type="button" className="button primary" onClick={done}>
            {t('devices.codeDone')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <form ref={formRef} className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="invite-title" noValidate>
      <h2 id="invite-title">{t('devices.inviteTitle')}</h2>
      <p className="muted">{t('devices.inviteIntro')}</p>
      <TextField
        ref={nameField}
        label={t('devices.newName')}
        hint={t('devices.newNameHint')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        maxLength={100}
        autoComplete="off"
        error={nameError}
        className="narrow"
      />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
          {busy ? t('devices.inviting') : t('devices.invite')}
        </button>
      </div>
    </form>
  );
}
