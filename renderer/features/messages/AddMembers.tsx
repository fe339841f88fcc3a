/**
 * « Ajouter à la conversation » (users conversations): any member adds a colleague. Whether the newcomer reads the
 * earlier messages is the conversation's own choice, said above the form (docs/messages.md "A member added later").
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/domain/message';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { useDirectory } from '../access/useDirectory';

export function AddMembers({ conversation, onAdded }: { conversation: ConversationSummary; onAdded(): Promise<void> }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const { users } = useDirectory();
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const choices = (users ?? []).filter((u) => !conversation.memberIds.includes(u.id));
  if (choices.length === 0) return null;

  async function add(e: FormEvent) {
    e.preventDefault();
    const who = choices.find((u) => u.id === userId);
    if (!who) return setError(t('messages.choose'));
    try {
      await invoke('messages:addMembers', { conversationId: conversation.id, userIds: [who.id] });
      setUserId('');
      setError(null);
      announce(t('messages.added', { name: who.name }));
      await onAdded();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <details className="add-members">
      <summary>{t('messages.addMember')}</summary>
      <form className="stack" onSubmit={(e) => void add(e)} noValidate>
        <p>{conversation.history ? t('messages.historyShared') : t('messages.historyNotShared')}</p>
        {error ? <ErrorAlert>{error}</ErrorAlert> : null}
        <SelectField label={t('messages.addWho')} value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">{t('messages.choose')}</option>
          {choices.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button secondary">
          {t('messages.add')}
        </button>
      </form>
    </details>
  );
}
