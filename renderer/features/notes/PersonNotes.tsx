/**
 * « Notes de suivi » on a person's page (`notes.read` / `notes.readOwn` to see, `notes.write` to write): the notes the
 * reader may see, newest first, and « Ajouter une note » opening a form with the text and its visibility (`notes:add`).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EVERYONE, type Visibility } from '../../../shared/domain/access';
import type { CaseNote } from '../../../shared/domain/note';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion, useHoldRefresh } from '../../app/dataVersion';
import { useCan, useOpenSession } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { OnDemandButton, OnDemandPanel, useOnDemand } from '../../components/OnDemand';
import { TextAreaField } from '../../components/Field';
import { noteText } from '../../../shared/domain/note';
import { maxLengthOf } from '../../../shared/domain/schemaLimits';
import { describeIssues } from '../../../shared/domain/validation';
import { ApiError } from '../../api/client';
import { VisibilityPicker } from '../../components/VisibilityPicker';
import { useDirectory, visibilityComplete, visibilityText } from '../access/useDirectory';
import { NoteItem } from './NoteItem';
import './notes.css';

export function PersonNotes({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const session = useOpenSession();
  const can = useCan();
  const directory = useDirectory();
  const [notes, setNotes] = useState<CaseNote[] | null>(null);
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<Visibility>(EVERYONE);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [textError, setTextError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const version = useDataVersion();
  const form = useOnDemand();
  useHoldRefresh(text.trim() !== '' || visibility.kind !== 'everyone');

  const load = useCallback(() => {
    invoke('notes:list', { personId })
      .then((r) => {
        setNotes([...r.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [personId]);
  useEffect(load, [load, version]);

  async function add(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    // The contract's own rule for a note's text (shared/domain/note.ts), checked before sending.
    const checked = noteText.safeParse(text);
    setTextError(checked.success ? null : (describeIssues(checked.error).fields[0]?.message ?? null));
    if (!checked.success) {
      requestAnimationFrame(() => document.getElementById('note-text')?.focus());
      return;
    }
    if (!visibilityComplete(visibility)) return setFormError(t('visibility.chooseSomeone'));
    setBusy(true);
    try {
      await invoke('notes:add', { personId, text, visibility });
      announce(t('notes.added'));
      setText('');
      setVisibility(EVERYONE);
      form.hide();
      load();
    } catch (err) {
      const onText = err instanceof ApiError ? err.fields.find((f) => f.path === 'text') : undefined;
      if (onText) setTextError(onText.message);
      else setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card person-notes" aria-labelledby="notes-title">
      <div className="card-head">
        <h2 id="notes-title">{t('notes.title')}</h2>
        {can('notes.write') ? <OnDemandButton state={form} label={t('notes.open')} /> : null}
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {notes && notes.length === 0 ? <p className="muted">{t('notes.none')}</p> : null}
      {notes && notes.length > 0 ? (
        <ul className="notes-list plain-list" data-testid="notes-list">
          {notes.map((n) => (
            <NoteItem key={n.id} note={n} mine={n.authorId === session.user.id} visibility={visibilityText(n.visibility, directory.names, t)} onRevised={load} />
          ))}
        </ul>
      ) : null}
      {can('notes.write') ? (
        <OnDemandPanel state={form}>
        <form className="note-form stack" onSubmit={(e) => void add(e)} aria-labelledby="note-add-title" noValidate>
          <h3 id="note-add-title">{t('notes.addTitle')}</h3>
          <TextAreaField
            id="note-text"
            label={t('notes.text')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={4}
            maxLength={maxLengthOf(noteText)}
            error={textError}
            required
          />
          <VisibilityPicker
            value={visibility}
            onChange={setVisibility}
            groups={directory.groups}
            users={directory.users}
            myGroupIds={directory.myGroupIds}
          />
          <ErrorAlert>{formError}</ErrorAlert>
          <div className="actions">
            <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
              {t('notes.add')}
            </button>
            <button type="button" className="button secondary" onClick={form.hide}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
        </OnDemandPanel>
      ) : null}
    </section>
  );
}
