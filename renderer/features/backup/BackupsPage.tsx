/**
 * « Sauvegardes » (settings area, `users.manage`; docs/backup.md): this PC's destination folder, « Sauvegarder
 * maintenant », the history (date, size, verified) with « Vérifier » per backup, and « Restaurer dans un nouveau
 * dossier ». The status line at the top says when the last good backup was made and warns after 7 days.
 * The folders are chosen with the OS dialog in Electron (« Parcourir… », FolderField), typed in the browser host.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { backupStatus } from '../../../shared/contract/backup';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { formatSize } from '../../app/format';
import { ErrorAlert, Notice } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { FolderField } from '../session/FolderField';
import { BackupHistory } from './BackupHistory';
import './backup.css';

type Status = z.infer<typeof backupStatus>;
type Message = { ok: boolean; text: string } | null;

export function BackupsPage() {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [status, setStatus] = useState<Status | null>(null);
  const [destination, setDestination] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [restorePath, setRestorePath] = useState('');
  const [into, setInto] = useState('');
  const [restoreMsg, setRestoreMsg] = useState<Message>(null);
  const when = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'long', timeStyle: 'short' });

  const load = useCallback(async () => {
    try {
      const s = await invoke('backup:status', {});
      setStatus(s);
      setDestination((d) => d || s.destination || '');
      setRestorePath((p) => p || s.items[0]?.path || '');
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    }
  }, []);
  useEffect(() => void load(), [load]);

  const say = (m: Message) => {
    setMessage(m);
    if (m) announce(m.text);
  };

  async function saveDestination(e: FormEvent) {
    e.preventDefault();
    try {
      setStatus(await invoke('backup:setDestination', { to: destination }));
      say({ ok: true, text: t('backup.destinationSaved') });
    } catch (err) {
      say({ ok: false, text: errorMessage(err) });
    }
  }

  async function backupNow() {
    setBusy(true);
    say({ ok: true, text: t('backup.running') });
    try {
      const r = await invoke('backup:now', {});
      say({ ok: true, text: t('backup.done', { size: formatSize(r.bytes, i18n.language), count: r.blobsCopied }) });
      await load();
    } catch (err) {
      say({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function verify(path: string) {
    setBusy(true);
    try {
      const r = await invoke('backup:verify', { path });
      say(r.ok ? { ok: true, text: t('backup.verifiedOk', { count: r.papers }) } : { ok: false, text: t('backup.verifiedBad', { problems: r.problems.join(' ') }) });
      await load();
    } catch (err) {
      say({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function restore(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await invoke('backup:restore', { path: restorePath, into });
      const text = [t(r.ok ? 'backup.restoredOk' : 'backup.restoredBad', { dir: r.dir, count: r.papers }), r.mustReenroll ? t('backup.reenroll') : '', r.problems.join(' ')].filter(Boolean).join(' ');
      setRestoreMsg({ ok: r.ok, text });
      announce(text);
    } catch (err) {
      setRestoreMsg({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  const last = status?.lastGoodAt ? t('backup.lastGood', { when: when.format(new Date(status.lastGoodAt)) }) : t('backup.never');
  return (
    <div className="backups-page stack">
      <PageHeader title={t('backup.title')} />
      {status ? (
        <Notice tone={status.overdue ? 'warning' : 'success'}>
          <span data-testid="backup-status">{status.overdue ? `${last} ${t('backup.overdue')}` : last}</span>
        </Notice>
      ) : null}
      {message ? message.ok ? <Notice tone="info">{message.text}</Notice> : <ErrorAlert>{message.text}</ErrorAlert> : null}
      <div className="two-columns">
        <form className="card stack" onSubmit={(e) => void saveDestination(e)} aria-labelledby="backup-destination-title" noValidate>
          <h2 id="backup-destination-title">{t('backup.destinationTitle')}</h2>
          <FolderField id="backup-destination" label={t('backup.destination')} hint={t('backup.destinationHint')} value={destination} onChange={setDestination} create />
          <div className="actions">
            <button type="submit" className="button secondary">
              {t('backup.saveDestination')}
            </button>
            <button type="button" className="button primary" onClick={() => void backupNow()} disabled={busy || !status?.destination}>
              {t('backup.now')}
            </button>
          </div>
          <p className="muted">{t('backup.schedule')}</p>
        </form>
        <form className="card stack" onSubmit={(e) => void restore(e)} aria-labelledby="backup-restore-title" noValidate>
          <h2 id="backup-restore-title">{t('backup.restoreTitle')}</h2>
          <p className="muted">{t('backup.restoreIntro')}</p>
          <FolderField id="backup-restore-from" label={t('backup.restoreFrom')} hint={t('backup.restoreFromHint')} value={restorePath} onChange={setRestorePath} />
          <FolderField id="backup-restore-into" label={t('backup.restoreInto')} hint={t('backup.restoreIntoHint')} value={into} onChange={setInto} create />
          {restoreMsg ? restoreMsg.ok ? <Notice tone="success">{restoreMsg.text}</Notice> : <ErrorAlert>{restoreMsg.text}</ErrorAlert> : null}
          <div className="actions">
            <button type="submit" className="button secondary" disabled={busy}>
              {t('backup.restore')}
            </button>
          </div>
        </form>
      </div>
      <section className="card stack" aria-labelledby="backup-history-title">
        <h2 id="backup-history-title">{t('backup.historyTitle')}</h2>
        <BackupHistory items={status?.items ?? []} busy={busy} onVerify={(p) => void verify(p)} onRestore={(p) => setRestorePath(p)} />
      </section>
    </div>
  );
}
