/**
 * 0150 — internal messages and the contact-drop alert (docs/messages.md). Every table syncs.
 * - conversations: `kind` users | group | circle; `group_id` / `circle_id`; `created_by`; `nonce` (the id of a users
 *   conversation is UUIDv5 of `created_by|nonce`, so nobody can claim to have created it); `history` (1: members
 *   added later get the earlier messages' keys).
 * - conversation_members: members of a users conversation, each row signed (Ed25519) by the member who added it.
 * - messages: `ciphertext` + `key_wraps` (sealed to the members, main/services/access/scopeKeys.ts), `author_id`,
 *   `sent_at` (ISO instant), `signature` (the author's Ed25519 over id, conversation, author, time and ciphertext).
 *   The text is never stored in clear.
 * - message_reads: one row per message read by one user (unread counts follow the user from PC to PC).
 * - contact_drop_rules: one row (id `rules`) with the alert's thresholds; absent = the defaults.
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0150: Migration = {
  name: '0150_messages',
  async up(knex) {
    await knex.schema.createTable('conversations', (t) => {
      syncColumns(t);
      t.text('kind').notNullable();
      t.text('group_id');
      t.text('circle_id');
      t.text('created_by').notNullable();
      t.text('nonce');
      t.integer('history').notNullable().defaultTo(0);
    });
    await knex.schema.createTable('conversation_members', (t) => {
      syncColumns(t);
      t.text('conversation_id').notNullable();
      t.text('user_id').notNullable();
      t.text('added_by').notNullable();
      t.text('signature').notNullable();
      t.index(['conversation_id']);
      t.index(['user_id']);
    });
    await knex.schema.createTable('messages', (t) => {
      syncColumns(t);
      t.text('conversation_id').notNullable();
      t.text('author_id').notNullable();
      t.text('sent_at').notNullable();
      t.text('ciphertext').notNullable();
      t.text('key_wraps').notNullable();
      t.text('signature').notNullable();
      t.index(['conversation_id', 'sent_at']);
    });
    await knex.schema.createTable('message_reads', (t) => {
      syncColumns(t);
      t.text('message_id').notNullable();
      t.text('conversation_id').notNullable();
      t.text('user_id').notNullable();
      t.text('read_at').notNullable();
      t.index(['user_id', 'conversation_id']);
    });
    await knex.schema.createTable('contact_drop_rules', (t) => {
      syncColumns(t);
      t.integer('recent_days').notNullable();
      t.integer('baseline_weeks').notNullable();
      t.integer('threshold_percent').notNullable();
      t.float('min_baseline_per_week').notNullable();
    });
  },
};
