/**
 * One conversation: its messages oldest first (author, time, text), marked read as soon as they are shown, and a reply
 * box. The messages were opened by the core with the current user's keys; those they cannot open are simply absent.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { ConversationSummary, Message } from '../../../shared/domain/message';
import { messageText } from '../../../shared/domain/message';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { useZodForm } from '../../app/useZodForm';
import { ErrorAlert } from '../../components/Alert';
import { FormTextArea } from '../../components/FormField';
import { AddMembers } from './AddMembers';
import { formatDateTime } from './format';

const replySchema = z.object({ text: messageText });

export function Thread({ conversationId, onChanged }: { conversationId: string; onChanged(): Promise<void> }) {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const version = useDataVersion();
  const [conversation, setConversation] = useState<ConversationSummary | null>(null);
  const [items, setItems] = useState<Message[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { form, busy, rootError, submit } = useZodForm(replySchema, { text: '' });

  const load = useCallback(async () => {
    try {
      const r = await invoke('messages:thread', { conversationId });
      setConversation(r.conversation);
      setItems(r.items);
      setError(null);
      if (r.items.some((m) => !m.read)) {
        await invoke('messages:markRead', { conversationId });
        await onChanged();
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [conversationId, onChanged]);
  useEffect(() => {
    void load();
  }, [load, version]);

  const send = submit(async ({ text }) => {
    await invoke('messages:send', { to: { kind: 'conversation', conversationId }, text });
    form.reset({ text: '' });
    announce(t('messages.sent'));
    await load();
    await onChanged();
  });

  return (
    <>
      <h2 id="thread-title">{conversation?.title ?? t('messages.loading')}</h2>
      {conversation ? <p className="thread-members">{t('messages.members', { names: conversation.memberNames.join(', ') })}</p> : null}
      {conversation?.kind === 'users' ? <AddMembers conversation={conversation} onAdded={load} /> : null}
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      <ol className="thread" data-testid="thread" aria-label={t('messages.threadLabel')}>
        {items.map((m) => (
          <li key={m.id} className={m.mine ? 'message mine' : 'message'}>
            <p className="message-meta">
              <span className="message-from">{m.mine ? t('messages.me') : m.from}</span> · <time dateTime={m.sentAt}>{formatDateTime(m.sentAt, i18n.language)}</time>
            </p>
            <p className="message-text">{m.text}</p>
          </li>
        ))}
      </ol>
      <form className="reply-form stack" onSubmit={(e) => void send(e)} noValidate>
        {rootError ? <ErrorAlert>{rootError}</ErrorAlert> : null}
        <FormTextArea form={form} name="text" label={t('messages.reply')} hint={t('messages.sealedHint')} rows={3} />
        <button type="submit" className="button primary" aria-disabled={busy ? true : undefined}>
          {t('messages.send')}
        </button>
      </form>
    </>
  );
}
