/** One case note: date, author, visibility, text; « modifiée » with its history (`notes:history`); revise if mine. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseNote, NoteRevision } from '../../../shared/domain/note';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useHoldRefresh } from '../../app/dataVersion';
import { ErrorAlert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { TextAreaField } from '../../components/Field';

interface Props {
  note: CaseNote;
  mine: boolean;
  visibility: string;
  onRevised(): void;
}

export function NoteItem({ note, mine, visibility, onRevised }: Props) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(note.text);
  const [history, setHistory] = useState<NoteRevision[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useHoldRefresh(editing && text !== note.text);
  const when = (iso: string) => new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  async function revise(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await invoke('notes:revise', { id: note.id, text });
      announce(t('notes.revisedDone'));
      setEditing(false);
      setHistory(null);
      onRevised();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function toggleHistory() {
    if (history) return setHistory(null);
    try {
      setHistory((await invoke('notes:history', { id: note.id })).items);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <li className="note" data-testid="note">
      <p className="note-meta">
        <span className="note-date">{when(note.createdAt)}</span> · <span className="note-author">{note.authorName}</span>{' '}
        <Badge tone="warning">
          <span className="visually-hidden">{t('notes.visibleTo')} </span>
          {visibility}
        </Badge>{' '}
        {note.revisions > 1 ? <Badge>{t('notes.revised')}</Badge> : null}
      </p>
      {editing ? (
        <form onSubmit={(e) => void revise(e)} className="stack" noValidate>
          <TextAreaField label={t('notes.reviseLabel')} value={text} onChange={(e) => setText(e.target.value)} rows={4} autoFocus />
          <div className="actions">
            <button type="submit" className="button primary small">
              {t('notes.saveRevision')}
            </button>
            <button type="button" className="button secondary small" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p className="note-text">{note.text}</p>
      )}
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        {mine && !editing ? (
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            {t('notes.revise')}
          </button>
        ) : null}
        {note.revisions > 1 ? (
          <button type="button" className="link-button" aria-expanded={!!history} onClick={() => void toggleHistory()}>
            {t('notes.history', { count: note.revisions })}
          </button>
        ) : null}
      </div>
      {history ? (
        <ol className="note-history">
          {history.map((r) => (
            <li key={r.id}>
              <p className="note-meta">
                {when(r.createdAt)} · {r.authorName}
              </p>
              <p className="note-text">{r.text}</p>
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}
