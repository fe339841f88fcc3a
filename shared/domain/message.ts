/**
 * Internal messages (messagerie interne, docs/messages.md): conversations between users, with a group or with a
 * support circle. Every message is end-to-end encrypted for the conversation's members; these are the shapes the
 * screens and the CLI see once the core has opened what the current user may read.
 */
import { z } from 'zod';
import { id, instant } from './common';

/** A message's text: 1 to 5 000 characters (a message, not a report). */
export const messageText = z.string().trim().min(1, 'Écrivez un message').max(5000);

/**
 * Whom a message goes to: one user (their two-person conversation, made on first use), a group, a support circle, or
 * an existing conversation.
 */
export const recipient = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: id }).strict(),
  z.object({ kind: z.literal('group'), groupId: id }).strict(),
  z.object({ kind: z.literal('circle'), circleId: id }).strict(),
  z.object({ kind: z.literal('conversation'), conversationId: id }).strict(),
]);
export type Recipient = z.infer<typeof recipient>;

export const CONVERSATION_KINDS = ['users', 'group', 'circle'] as const;
export const conversationKind = z.enum(CONVERSATION_KINDS);
export type ConversationKind = z.infer<typeof conversationKind>;

/** One conversation as its member sees it in the list. */
export const conversationSummary = z.object({
  id,
  kind: conversationKind,
  /** « Béa, Carl » for users, the group's or circle's name otherwise. */
  title: z.string(),
  memberIds: z.array(id),
  memberNames: z.array(z.string()),
  unread: z.number().int().nonnegative(),
  lastAt: instant.nullable(),
  /** Users conversations: members added later read the messages sent before they joined. */
  history: z.boolean(),
});
export type ConversationSummary = z.infer<typeof conversationSummary>;

/** One message the current user can read. */
export const message = z.object({
  id,
  conversationId: id,
  fromId: id,
  /** The author's display name. */
  from: z.string(),
  text: z.string(),
  sentAt: instant,
  mine: z.boolean(),
  read: z.boolean(),
});
export type Message = z.infer<typeof message>;

/** The CLI's `messages list` line (issue 11 §9). */
export const messageLine = z.object({ id, conversationId: id, from: z.string(), text: z.string(), sentAt: instant });
export type MessageLine = z.infer<typeof messageLine>;
