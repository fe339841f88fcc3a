/**
 * « Messages » (docs/messages.md): the conversations of the current user with their unread counts, the open thread
 * (marked read when shown) with its reply box, and a form to write to a user, a group or a circle. Coordinators see the
 * contact-drop alerts above (ContactDropPanel). Every message is sealed in the core before it is stored.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/domain/message';
import { errorMessage, invoke } from '../../api/client';
import { useDataVersion } from '../../app/dataVersion';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { ContactDropPanel } from './ContactDropPanel';
import { ConversationList } from './ConversationList';
import { NewMessage } from './NewMessage';
import { Thread } from './Thread';
import { notifyUnreadChanged } from './useUnread';
import './messages.css';

export function MessagesPage() {
  const { t } = useTranslation();
  const version = useDataVersion();
  const [items, setItems] = useState<ConversationSummary[] | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setItems((await invoke('messages:conversations', {})).items);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, version]);

  const changed = useCallback(async () => {
    await load();
    notifyUnreadChanged();
  }, [load]);

  return (
    <div className="messages-page">
      <PageHeader title={t('messages.title')} />
      <ContactDropPanel />
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      <div className="messages-layout">
        <section aria-labelledby="conversations-title" className="messages-list">
          <h2 id="conversations-title">{t('messages.conversations')}</h2>
          <ConversationList items={items} openId={openId} onOpen={setOpenId} />
          <NewMessage
            onSent={async (conversationId) => {
              await changed();
              setOpenId(conversationId);
            }}
          />
        </section>
        <section aria-labelledby="thread-title" className="messages-thread">
          {openId ? <Thread key={openId} conversationId={openId} onChanged={changed} /> : <h2 id="thread-title">{t('messages.noneOpen')}</h2>}
        </section>
      </div>
    </div>
  );
}
