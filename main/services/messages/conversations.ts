/**
 * Who is in a conversation, as the signatures say (docs/messages.md "Members"; DESIGN.md "Keys", trust rule).
 *
 * - A **users** conversation's id is UUIDv5 of `users|<creator>|<nonce>`: the creator cannot be swapped without
 *   changing the id. Its members are the creator plus every `conversation_members` row signed (Ed25519, certified key)
 *   by someone already a member: a colleague who writes a row into the database adds nobody.
 * - A **group** conversation (one per group, id UUIDv5 of `group|<group id>`) is the group's signed members; its
 *   messages are sealed to the group's latest key epoch, so they follow the group's membership and key rotation.
 * - A **circle** conversation (id UUIDv5 of `circle|<circle id>|<group id>`) is the members of the group that backs
 *   the circle (docs/volunteers.md "Circles"): sealed to that group's key like a group conversation. The group is
 *   taken from the circle when the conversation is made and bound into its id: a circle later pointed at another
 *   group in the database gets a new conversation, the old messages stay sealed to the old group.
 * A row whose id does not match what it claims is ignored.
 */
import type { Knex } from 'knex';
import { v5 as uuidv5 } from 'uuid';
import type { Visibility } from '../../../shared/domain/access';
import type { ConversationKind } from '../../../shared/domain/message';
import { fromB64, verify } from '../../crypto/identity';
import type { ServiceContext } from '../context';
import { verifiedAccess, type VerifiedAccess } from '../access/verifiedAccess';

/** The namespace of conversation ids (UUIDv5, RFC 9562 §5.5). */
const NAMESPACE = '5b0d6c64-4f8e-4d1e-9a57-2f0c1f6e8a31';

export const usersConversationId = (createdBy: string, nonce: string): string => uuidv5(`users|${createdBy}|${nonce}`, NAMESPACE);
export const groupConversationId = (groupId: string): string => uuidv5(`group|${groupId}`, NAMESPACE);
export const circleConversationId = (circleId: string, groupId: string): string => uuidv5(`circle|${circleId}|${groupId}`, NAMESPACE);

/** What a member row's signature covers. */
export const memberMessage = (conversationId: string, userId: string, addedBy: string): string => `solidariciel/v1/conversation-member|${conversationId}|${userId}|${addedBy}`;

export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  group_id: string | null;
  circle_id: string | null;
  created_by: string;
  nonce: string | null;
  history: number;
  created_at: string;
}

interface MemberRow {
  user_id: string;
  added_by: string;
  signature: string;
}

/** True when the row's id is the one its kind, creator and nonce (or group, circle) give. */
export function genuine(c: ConversationRow): boolean {
  if (c.kind === 'users') return c.nonce !== null && c.id === usersConversationId(c.created_by, c.nonce);
  if (c.kind === 'group') return c.group_id !== null && c.id === groupConversationId(c.group_id);
  if (c.kind === 'circle') return c.circle_id !== null && c.group_id !== null && c.id === circleConversationId(c.circle_id, c.group_id);
  return false;
}

/** A support circle's name and backing group (main/services/messages/circles.ts); null for an unknown circle. */
export type CircleLookup = (db: Knex | Knex.Transaction, circleId: string) => Promise<{ name: string; groupId: string } | null>;

export class Conversations {
  private signed: Promise<VerifiedAccess> | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly circles: CircleLookup,
  ) {}

  /** One genuine, live conversation; undefined otherwise. */
  async get(db: Knex | Knex.Transaction, id: string): Promise<ConversationRow | undefined> {
    const row = (await db('conversations').where({ id }).whereNull('deleted_at').first()) as ConversationRow | undefined;
    return row && genuine(row) ? row : undefined;
  }

  /**
   * The verified members of `c` (user ids). Users: the creator, then, until nothing changes, every member row signed by
   * a member with a certified key. Group and circle: the (backing) group's signed members.
   */
  async members(db: Knex | Knex.Transaction, c: ConversationRow): Promise<string[]> {
    if (c.kind !== 'users') {
      // One check of the signed memberships per request (services are built per call), not one per conversation.
      this.signed ??= verifiedAccess(db, this.ctx.scopes.root);
      return [...((await this.signed).members.get(c.group_id!) ?? [])];
    }
    const rows = (await db('conversation_members').where({ conversation_id: c.id }).whereNull('deleted_at').select('user_id', 'added_by', 'signature')) as MemberRow[];
    const members = new Set([c.created_by]);
    const keys = new Map<string, Uint8Array | null>();
    const signKey = async (uid: string) => {
      if (!keys.has(uid)) keys.set(uid, await this.ctx.scopes.certifiedSignKey(db, uid));
      return keys.get(uid) ?? null;
    };
    let pending = rows;
    for (;;) {
      const next: MemberRow[] = [];
      for (const r of pending) {
        if (members.has(r.user_id)) continue;
        const key = members.has(r.added_by) ? await signKey(r.added_by) : null;
        const sig = key ? await fromB64(r.signature).catch(() => null) : null;
        if (key && sig && (await verify(key, memberMessage(c.id, r.user_id, r.added_by), sig))) members.add(r.user_id);
        else next.push(r);
      }
      if (next.length === pending.length) break;
      pending = next;
    }
    return [...members];
  }

  /** Whom a message of `c` is sealed to (besides its writer, always). */
  async visibilities(db: Knex | Knex.Transaction, c: ConversationRow): Promise<Visibility[]> {
    if (c.kind !== 'users') return [{ kind: 'groups', groupIds: [c.group_id!] }];
    const others = (await this.members(db, c)).filter((u) => u !== this.ctx.user.id);
    return others.length > 0 ? [{ kind: 'users', userIds: others }] : [{ kind: 'me' }];
  }

  /** The conversation's name for its members: the other members' names, or the group's or circle's name. */
  async title(db: Knex | Knex.Transaction, c: ConversationRow, memberIds: readonly string[]): Promise<{ title: string; memberNames: string[] }> {
    const names = (await db('users').whereIn('id', [...memberIds]).select('id', 'display_name')) as { id: string; display_name: string }[];
    const memberNames = names.map((n) => n.display_name).sort((a, b) => a.localeCompare(b, 'fr'));
    if (c.kind === 'group') {
      const g = (await db('groups').where({ id: c.group_id }).first('name')) as { name: string } | undefined;
      return { title: g?.name ?? 'Groupe', memberNames };
    }
    if (c.kind === 'circle') return { title: (await this.circles(db, c.circle_id!))?.name ?? 'Cercle', memberNames };
    const others = names.filter((n) => n.id !== this.ctx.user.id).map((n) => n.display_name).sort((a, b) => a.localeCompare(b, 'fr'));
    return { title: others.length > 0 ? others.join(', ') : this.ctx.user.displayName, memberNames };
  }

  /**
   * The conversations the current user is in (verified), or has written to (a user writing to a group they are not
   * in sees their own messages there).
   */
  async mine(db: Knex | Knex.Transaction): Promise<{ row: ConversationRow; members: string[] }[]> {
    const me = this.ctx.user.id;
    const rows = (await db('conversations').whereNull('deleted_at').select()) as ConversationRow[];
    const wrote = new Set((await db('messages').where({ author_id: me }).whereNull('deleted_at').distinct('conversation_id').pluck('conversation_id')) as string[]);
    const out: { row: ConversationRow; members: string[] }[] = [];
    for (const row of rows) {
      if (!genuine(row)) continue;
      if (row.kind === 'users' && row.created_by !== me && !(await db('conversation_members').where({ conversation_id: row.id, user_id: me }).whereNull('deleted_at').first('id'))) continue;
      if (row.kind !== 'users' && !this.ctx.access.groupIds.includes(row.group_id!) && !wrote.has(row.id)) continue;
      const members = await this.members(db, row);
      if (members.includes(me) || wrote.has(row.id)) out.push({ row, members });
    }
    return out;
  }
}
