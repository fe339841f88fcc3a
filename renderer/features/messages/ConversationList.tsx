/** The conversations, latest first: title, kind, unread count (in words for screen readers, not colour alone). */
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../shared/domain/message';
import { formatDateTime } from './format';

export function ConversationList({ items, openId, onOpen }: { items: ConversationSummary[] | null; openId: string | null; onOpen(id: string): void }) {
  const { t, i18n } = useTranslation();
  if (items === null) return <p>{t('messages.loading')}</p>;
  if (items.length === 0) return <p data-testid="no-conversations">{t('messages.empty')}</p>;
  return (
    <ul className="conversation-list" data-testid="conversation-list">
      {items.map((c) => (
        <li key={c.id}>
          <button type="button" className="conversation-item" aria-current={c.id === openId ? 'true' : undefined} onClick={() => onOpen(c.id)}>
            <span className="conversation-title">{c.title}</span>
            <span className="conversation-meta">
              {t(`messages.kind.${c.kind}`)}
              {c.lastAt ? ` · ${formatDateTime(c.lastAt, i18n.language)}` : ''}
            </span>
            {c.unread > 0 ? (
              <span className="nav-count" data-testid="conversation-unread">
                <span className="visually-hidden">{t('messages.unreadLabel')} : </span>
                {c.unread}
              </span>
            ) : null}
          </button>
        </li>
      ))}
    </ul>
  );
}
