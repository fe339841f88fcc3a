/**
 * Internal messages (docs/messages.md): written on this device, sealed at once for the conversation's members
 * (main/services/access/scopeKeys.ts: a random record key per message, XChaCha20-Poly1305, the key sealed to each
 * member's certified X25519 key or to the group's latest epoch), signed by the author (Ed25519), and sent to the
 * other devices at the next sync like any row. The text is never stored in clear: the hub and a decrypted copy of
 * the database (`db raw-copy`) hold ciphertext only. Writing needs `messages.write` (every built-in role has it).
 *
 * Unread counts are synced (`message_reads`, one row per message read by one user): a user who reads on one office
 * PC finds the message read on the other.
 */
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import type { ConversationSummary, Message, MessageLine, Recipient } from '../../../shared/domain/message';
import { fromB64, verify } from '../../crypto/identity';
import { parseWraps } from '../access/scopeKeys';
import type { ServiceContext } from '../context';
import { circleLookup } from './circles';
import { circleConversationId, Conversations, groupConversationId, memberMessage, usersConversationId, type CircleLookup, type ConversationRow } from './conversations';

const TABLE = 'messages';
/** Messages, conversations and read marks travel in the association's envelopes: their content is sealed per member. */
const SCOPE = 'association';

interface MessageRow {
  id: string;
  conversation_id: string;
  author_id: string;
  sent_at: string;
  ciphertext: string;
  key_wraps: string;
  signature: string;
}

/** What the author's signature covers: the row's place and its ciphertext (a message moved or altered fails). */
const messageSigned = (m: Pick<MessageRow, 'id' | 'conversation_id' | 'author_id' | 'sent_at' | 'ciphertext'>) =>
  `solidariciel/v1/message|${m.id}|${m.conversation_id}|${m.author_id}|${m.sent_at}|${m.ciphertext}`;

export class MessagesService {
  readonly conversations: Conversations;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly circles: CircleLookup = circleLookup,
  ) {
    this.conversations = new Conversations(ctx, circles);
  }

  /** Writes `text` to `to` and returns the message's and its conversation's ids. NOT_FOUND for an unknown recipient. */
  async send(to: Recipient, text: string): Promise<{ id: string; conversationId: string }> {
    this.ctx.access.require('messages.write');
    return this.ctx.db.transaction(async (trx) => {
      const conv = await this.resolve(trx, to);
      const id = uuidv7();
      const sealed = await this.ctx.scopes.sealRecordTo(trx, this.ctx.mutator, await this.conversations.visibilities(trx, conv), TABLE, id, { text });
      const row = { id, conversation_id: conv.id, author_id: this.ctx.user.id, sent_at: this.ctx.clock.now().toISOString(), ciphertext: sealed.ciphertext };
      const signature = await this.ctx.scopes.signAsMe(messageSigned(row));
      await this.ctx.mutator.with(trx).insert(TABLE, [{ ...row, key_wraps: sealed.key_wraps, signature, scope_id: SCOPE }]);
      await this.ctx.audit({ action: 'message.send', targetType: 'conversation', targetId: conv.id, details: { messageId: id, kind: conv.kind } }, trx);
      return { id, conversationId: conv.id };
    });
  }

  /** Starts a conversation between the current user and `userIds`; `history`: members added later read the past. */
  async start(userIds: readonly string[], history: boolean): Promise<string> {
    this.ctx.access.require('messages.write');
    return this.ctx.db.transaction(async (trx) => (await this.create(trx, userIds, history)).id);
  }

  /**
   * Adds users to a users conversation the current user is in. When the conversation keeps its history for newcomers,
   * every earlier message's key is sealed to them too (the current user must be able to open it). Returns how many
   * messages were shared.
   */
  async addMembers(conversationId: string, userIds: readonly string[]): Promise<number> {
    this.ctx.access.require('messages.write');
    return this.ctx.db.transaction(async (trx) => {
      const conv = await this.mineOrNotFound(trx, conversationId);
      if (conv.kind !== 'users') throw new AppError('VALIDATION', "Les membres d'une conversation de groupe ou de cercle sont ceux du groupe ou du cercle : changez-les sur l'écran Utilisateurs ou Cercles.");
      const members = await this.conversations.members(trx, conv);
      const fresh = [...new Set(userIds)].filter((u) => !members.includes(u));
      for (const u of fresh) await this.requireRecipient(trx, u);
      if (fresh.length === 0) return 0;
      await this.insertMembers(trx, conv.id, fresh);
      let shared = 0;
      if (conv.history === 1) {
        const rows = (await trx(TABLE).where({ conversation_id: conv.id }).whereNull('deleted_at').select('id', 'key_wraps')) as Pick<MessageRow, 'id' | 'key_wraps'>[];
        for (const r of rows) {
          const next = await this.ctx.scopes.addReaders(trx, r.key_wraps, fresh);
          if (next && next.added.length > 0) {
            await this.ctx.mutator.with(trx).update(TABLE, r.id, { key_wraps: next.keyWraps });
            shared++;
          }
        }
      }
      await this.ctx.audit({ action: 'conversation.addMembers', targetType: 'conversation', targetId: conv.id, details: { userIds: fresh, history: conv.history === 1, shared } }, trx);
      return shared;
    });
  }

  /** The current user's conversations, latest message first, and the total unread count. */
  async list(): Promise<{ items: ConversationSummary[]; unread: number }> {
    const items: ConversationSummary[] = [];
    for (const { row, members } of await this.conversations.mine(this.ctx.db)) items.push(await this.summary(row, members));
    items.sort((a, b) => (b.lastAt ?? '').localeCompare(a.lastAt ?? ''));
    return { items, unread: items.reduce((n, c) => n + c.unread, 0) };
  }

  /** One conversation and the messages the current user can read in it, oldest first. */
  async thread(conversationId: string): Promise<{ conversation: ConversationSummary; items: Message[] }> {
    const conv = await this.mineOrNotFound(this.ctx.db, conversationId);
    const members = await this.conversations.members(this.ctx.db, conv);
    return { conversation: await this.summary(conv, members), items: await this.readable(this.ctx.db(TABLE).where({ conversation_id: conv.id })) };
  }

  /** Marks every readable message of the conversation read by the current user; returns the unread count left overall. */
  async markRead(conversationId: string): Promise<number> {
    const conv = await this.mineOrNotFound(this.ctx.db, conversationId);
    const unread = (await this.readable(this.ctx.db(TABLE).where({ conversation_id: conv.id }))).filter((m) => !m.read);
    if (unread.length > 0) {
      const at = this.ctx.clock.now().toISOString();
      await this.ctx.mutator.insert(
        'message_reads',
        unread.map((m) => ({ id: uuidv7(), message_id: m.id, conversation_id: conv.id, user_id: this.ctx.user.id, read_at: at, scope_id: SCOPE })),
      );
    }
    return this.unread();
  }

  /** Every message the current user can read (only the unread ones with `unreadOnly`), oldest first. */
  async messages(unreadOnly: boolean): Promise<MessageLine[]> {
    const ids = (await this.conversations.mine(this.ctx.db)).map((c) => c.row.id);
    const all = await this.readable(this.ctx.db(TABLE).whereIn('conversation_id', ids));
    return all.filter((m) => !unreadOnly || !m.read).map(({ id, conversationId, from, text, sentAt }) => ({ id, conversationId, from, text, sentAt }));
  }

  /** How many messages written by others the current user can open and has not read (no decryption needed). */
  async unread(): Promise<number> {
    let n = 0;
    for (const { row } of await this.conversations.mine(this.ctx.db)) n += await this.unreadIn(row.id);
    return n;
  }

  private async unreadIn(conversationId: string): Promise<number> {
    const me = this.ctx.user.id;
    const rows = (await this.ctx.db(`${TABLE} as m`)
      .where('m.conversation_id', conversationId)
      .whereNull('m.deleted_at')
      .whereNot('m.author_id', me)
      .whereNotExists((q) => q.from('message_reads as r').whereRaw('r.message_id = m.id').where('r.user_id', me).whereNull('r.deleted_at'))
      .select('m.key_wraps')) as { key_wraps: string }[];
    return rows.filter((r) => (parseWraps(r.key_wraps) ?? []).some((w) => w.s === `user:${me}` || (w.e !== undefined && this.ctx.scopes.holds(w.s, w.e)))).length;
  }

  private async summary(row: ConversationRow, members: string[]): Promise<ConversationSummary> {
    const last = (await this.ctx.db(TABLE).where({ conversation_id: row.id }).whereNull('deleted_at').max({ at: 'sent_at' }).first()) as { at: string | null } | undefined;
    return { id: row.id, kind: row.kind, memberIds: members, ...(await this.conversations.title(this.ctx.db, row, members)), unread: await this.unreadIn(row.id), lastAt: last?.at ?? null, history: row.history === 1 };
  }

  /** Opens the messages of `q` the current user can read and whose author's signature checks; oldest first. */
  private async readable(q: Knex.QueryBuilder): Promise<Message[]> {
    const me = this.ctx.user.id;
    const rows = (await q.whereNull('deleted_at').orderBy([{ column: 'sent_at' }, { column: 'id' }]).select()) as MessageRow[];
    const read = new Set((await this.ctx.db('message_reads').where({ user_id: me }).whereNull('deleted_at').pluck('message_id')) as string[]);
    const names = new Map(((await this.ctx.db('users').select('id', 'display_name')) as { id: string; display_name: string }[]).map((u) => [u.id, u.display_name]));
    const signKeys = new Map<string, Uint8Array | null>();
    const out: Message[] = [];
    for (const r of rows) {
      const fields = await this.ctx.scopes.openRecord<{ text: unknown }>(TABLE, r.id, r.ciphertext, r.key_wraps);
      if (typeof fields?.text !== 'string') continue;
      if (!signKeys.has(r.author_id)) signKeys.set(r.author_id, await this.ctx.scopes.certifiedSignKey(this.ctx.db, r.author_id));
      const key = signKeys.get(r.author_id);
      const sig = await fromB64(r.signature).catch(() => null);
      // A message whose author's signature does not check (forged author, moved to another conversation) is not shown.
      if (!key || !sig || !(await verify(key, messageSigned(r), sig))) continue;
      out.push({ id: r.id, conversationId: r.conversation_id, fromId: r.author_id, from: names.get(r.author_id) ?? '?', text: fields.text, sentAt: r.sent_at, mine: r.author_id === me, read: r.author_id === me || read.has(r.id) });
    }
    return out;
  }

  private async mineOrNotFound(db: Knex | Knex.Transaction, conversationId: string): Promise<ConversationRow> {
    const mine = (await this.conversations.mine(db)).find((c) => c.row.id === conversationId);
    if (!mine) throw new AppError('NOT_FOUND', 'Conversation introuvable.');
    return mine.row;
  }

  /** The conversation a message to `to` goes into, made when it does not exist yet. */
  private async resolve(trx: Knex.Transaction, to: Recipient): Promise<ConversationRow> {
    const me = this.ctx.user.id;
    if (to.kind === 'conversation') {
      const conv = await this.conversations.get(trx, to.conversationId);
      // A group or circle conversation takes anyone's message (like a note addressed to a group); the others only
      // their members'.
      if (conv && conv.kind !== 'users') return conv;
      return this.mineOrNotFound(trx, to.conversationId);
    }
    if (to.kind === 'user') {
      if (to.userId === me) throw new AppError('VALIDATION', 'Choisissez un autre destinataire que vous-même.');
      await this.requireRecipient(trx, to.userId);
      for (const { row, members } of await this.conversations.mine(trx)) {
        if (row.kind === 'users' && members.length === 2 && members.includes(to.userId) && members.includes(me)) return row;
      }
      return this.create(trx, [to.userId], false);
    }
    if (to.kind === 'group') {
      const g = (await trx('groups').where({ id: to.groupId }).whereNull('deleted_at').first('id')) as { id: string } | undefined;
      if (!g) throw new AppError('NOT_FOUND', 'Groupe introuvable.');
      return this.ensure(trx, { id: groupConversationId(g.id), kind: 'group', group_id: g.id, circle_id: null, history: 1 });
    }
    const circle = await this.circles(trx, to.circleId);
    if (!circle) throw new AppError('NOT_FOUND', 'Cercle introuvable.');
    return this.ensure(trx, { id: circleConversationId(to.circleId, circle.groupId), kind: 'circle', group_id: circle.groupId, circle_id: to.circleId, history: 1 });
  }

  /** The group's or circle's conversation row (the same id on every device: two devices making it at once merge). */
  private async ensure(trx: Knex.Transaction, c: Pick<ConversationRow, 'id' | 'kind' | 'group_id' | 'circle_id' | 'history'>): Promise<ConversationRow> {
    const existing = await this.conversations.get(trx, c.id);
    if (existing) return existing;
    await this.ctx.mutator.with(trx).insert('conversations', [{ ...c, created_by: this.ctx.user.id, nonce: null, scope_id: SCOPE }]);
    return (await this.conversations.get(trx, c.id))!;
  }

  private async create(trx: Knex.Transaction, userIds: readonly string[], history: boolean): Promise<ConversationRow> {
    const me = this.ctx.user.id;
    const others = [...new Set(userIds)].filter((u) => u !== me);
    if (others.length === 0) throw new AppError('VALIDATION', 'Choisissez au moins une autre personne.');
    for (const u of others) await this.requireRecipient(trx, u);
    const nonce = randomBytes(16).toString('hex');
    const id = usersConversationId(me, nonce);
    await this.ctx.mutator.with(trx).insert('conversations', [{ id, kind: 'users', group_id: null, circle_id: null, created_by: me, nonce, history: history ? 1 : 0, scope_id: SCOPE }]);
    await this.insertMembers(trx, id, [me, ...others]);
    await this.ctx.audit({ action: 'conversation.start', targetType: 'conversation', targetId: id, details: { userIds: others, history } }, trx);
    return (await this.conversations.get(trx, id))!;
  }

  private async insertMembers(trx: Knex.Transaction, conversationId: string, userIds: readonly string[]): Promise<void> {
    const me = this.ctx.user.id;
    const rows = [];
    for (const u of userIds) rows.push({ id: uuidv7(), conversation_id: conversationId, user_id: u, added_by: me, signature: await this.ctx.scopes.signAsMe(memberMessage(conversationId, u, me)), scope_id: SCOPE });
    await this.ctx.mutator.with(trx).insert('conversation_members', rows);
  }

  /** NOT_FOUND / VALIDATION for a user who cannot receive sealed messages (unknown, disabled, key not certified). */
  private async requireRecipient(trx: Knex.Transaction, userId: string): Promise<void> {
    const u = (await trx('users').where({ id: userId }).whereNull('deleted_at').first('display_name', 'disabled')) as { display_name: string; disabled: number } | undefined;
    if (!u) throw new AppError('NOT_FOUND', `Utilisateur introuvable (${userId}).`);
    if (u.disabled) throw new AppError('VALIDATION', `Le compte de ${u.display_name} est désactivé : choisissez une autre personne.`);
    if (!(await this.ctx.scopes.root.certifiedKey(trx, userId))) throw new AppError('VALIDATION', `La clé de ${u.display_name} n'est pas encore certifiée : un administrateur doit ouvrir une session.`);
  }
}
