/**
 * Handlers of internal messages and the contact-drop alert (shared/contract/messages.ts): their own map, merged into
 * buildHandlers. Services are built per call from the open session (they hold no state).
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { messageChannels } from '../../shared/contract/messages';
import { MessagesService } from '../services/messages/messagesService';
import { ContactDropService } from '../services/contacts/contactDropService';

type MessageHandlers = { [C in keyof typeof messageChannels]: Handler<C> };

/** The messages and contact-alert channels over the session `s()` returns (throws LOCKED when none). */
export function messageHandlers(s: () => Session): MessageHandlers {
  const messages = () => new MessagesService(s().ctx);
  const contacts = () => new ContactDropService(s().ctx);
  return {
    'messages:conversations': async () => messages().list(),
    'messages:thread': async (r) => messages().thread(r.conversationId),
    'messages:send': async (r) => messages().send(r.to, r.text),
    'messages:start': async (r) => ({ conversationId: await messages().start(r.userIds, r.history) }),
    'messages:addMembers': async (r) => ({ conversationId: r.conversationId, shared: await messages().addMembers(r.conversationId, r.userIds) }),
    'messages:markRead': async (r) => ({ unread: await messages().markRead(r.conversationId) }),
    'messages:list': async (r) => ({ items: await messages().messages(r.unread) }),
    'messages:unread': async () => ({ unread: await messages().unread() }),
    'contacts:drops': async () => contacts().drops(),
    'contacts:rules': async () => contacts().rules(),
    'contacts:saveRules': async (r) => contacts().save(r),
  };
}
