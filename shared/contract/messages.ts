/** Channels for internal messages and the contact-drop alert (docs/messages.md). */
import { z } from 'zod';
import { channels } from './define';
import { id } from '../domain/common';
import { conversationSummary, message, messageLine, messageText, recipient } from '../domain/message';
import { contactDrop, contactDropRules } from '../domain/contactDrop';

export const messageChannels = channels({
  /** The current user's conversations, latest first, with their unread counts. */
  'messages:conversations': { request: z.object({}).strict(), response: z.object({ items: z.array(conversationSummary), unread: z.number().int().nonnegative() }) },
  /** One conversation's messages the current user can read, oldest first (does not mark them read). */
  'messages:thread': { request: z.object({ conversationId: id }), response: z.object({ conversation: conversationSummary, items: z.array(message) }) },
  /** Writes a message (sealed now, sent at the next sync). */
  'messages:send': { request: z.object({ to: recipient, text: messageText }), response: z.object({ id, conversationId: id }) },
  /** A conversation of several users; `history`: members added later read what was sent before. */
  'messages:start': {
    request: z.object({ userIds: z.array(id).min(1, 'choisissez au moins une personne').max(50), history: z.boolean().default(false) }),
    response: z.object({ conversationId: id }),
  },
  /** Adds users to a users conversation (by one of its members); with its history when the conversation says so. */
  'messages:addMembers': { request: z.object({ conversationId: id, userIds: z.array(id).min(1).max(50) }), response: z.object({ conversationId: id, shared: z.number().int().nonnegative() }) },
  'messages:markRead': { request: z.object({ conversationId: id }), response: z.object({ unread: z.number().int().nonnegative() }) },
  /** Every message the current user can read (or only the unread ones), oldest first: the CLI's `messages list`. */
  'messages:list': { request: z.object({ unread: z.boolean().default(false) }), response: z.object({ items: z.array(messageLine) }) },
  /** The nav badge. */
  'messages:unread': { request: z.object({}).strict(), response: z.object({ unread: z.number().int().nonnegative() }) },
  'contacts:drops': { request: z.object({}).strict(), response: z.object({ items: z.array(contactDrop), rules: contactDropRules }) },
  'contacts:rules': { request: z.object({}).strict(), response: contactDropRules },
  'contacts:saveRules': { request: contactDropRules, response: contactDropRules },
});
