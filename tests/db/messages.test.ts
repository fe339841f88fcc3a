/**
 * Messages on one device against hostile input and insiders (docs/messages.md): a member row or an author written into
 * the database outside the app changes nothing, a role without `messages.write` is refused by name, bad recipients get
 * a French message and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { addUser, caught, expectForbidden, switchTo } from '../helpers/access';
import { asInsider } from '../helpers/insider';
import { memberMessage } from '../../main/services/messages/conversations';
import { sign, toB64 } from '../../main/crypto/identity';

describe('messages: insiders, permissions and bad input', () => {
  let t: TestCore;
  const ids: Record<string, string> = {};
  let conv = '';
  const count = async (table: string) => Number(((await t.core.session()!.ctx.db(table).count({ n: '*' })) as { n: number }[])[0]!.n);

  beforeAll(async () => {
    t = await newTestCore();
    for (const name of ['bea', 'carl', 'dan', 'eve']) ids[name] = await addUser(t, name, 'social_worker');
    await t.call('roles:save', { id: 'lecteur', name: 'Lecteur muet', permissions: ['people.read'] });
    ids['mute'] = await addUser(t, 'mute', 'lecteur');
    await switchTo(t, 'bea');
    conv = (await t.call('messages:send', { to: { kind: 'user', userId: ids['carl']! }, text: 'Premier message' })).conversationId;
  }, 60_000);

  afterAll(async () => t?.cleanup());

  it('a member row written by an insider (self-signed, or claiming a member as its author) adds nobody', async () => {
    await asInsider(t, 'dan', async (db, keys) => {
      const now = new Date().toISOString();
      const row = (addedBy: string, signature: string, id: string) => ({ id, created_at: now, updated_at: now, scope_id: 'association', conversation_id: conv, user_id: ids['dan']!, added_by: addedBy, signature });
      const selfSigned = await toB64(await sign(keys.signSecretKey, memberMessage(conv, ids['dan']!, ids['dan']!)));
      const claimed = await toB64(await sign(keys.signSecretKey, memberMessage(conv, ids['dan']!, ids['bea']!)));
      await db('conversation_members').insert([row(ids['dan']!, selfSigned, '01900000-0000-7000-8000-000000000001'), row(ids['bea']!, claimed, '01900000-0000-7000-8000-000000000002')]);
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: 'correct horse battery' });
    await t.call('messages:send', { to: { kind: 'conversation', conversationId: conv }, text: 'Après la manœuvre' });
    const thread = await t.call('messages:thread', { conversationId: conv });
    expect(thread.conversation.memberNames).toEqual(['bea', 'carl']);
    await switchTo(t, 'dan');
    expect((await t.call('messages:list', {})).items).toEqual([]);
    expect((await caught(t.call('messages:thread', { conversationId: conv })))?.code).toBe('NOT_FOUND');
  });

  it("a message whose author or conversation was changed in the database is not shown (the author's signature fails)", async () => {
    await switchTo(t, 'carl');
    expect((await t.call('messages:thread', { conversationId: conv })).items.map((m) => m.text)).toEqual(['Premier message', 'Après la manœuvre']);
    await asInsider(t, 'dan', async (db) => {
      const first = (await db('messages').where({ conversation_id: conv }).orderBy('sent_at').first('id')) as { id: string };
      await db('messages').where({ id: first.id }).update({ author_id: ids['dan']! });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'carl', password: 'correct horse battery' });
    expect((await t.call('messages:thread', { conversationId: conv })).items.map((m) => m.text)).toEqual(['Après la manœuvre']);
  });

  it('a conversation whose creator was rewritten is no longer one (denied, never disclosed)', async () => {
    await asInsider(t, 'dan', async (db) => {
      await db('conversations').where({ id: conv }).update({ created_by: ids['dan']! });
    });
    await t.call('session:unlock', { dir: t.dir, userName: 'dan', password: 'correct horse battery' });
    expect((await t.call('messages:conversations', {})).items).toEqual([]);
    expect((await caught(t.call('messages:send', { to: { kind: 'conversation', conversationId: conv }, text: 'Je suis le créateur' })))?.code).toBe('NOT_FOUND');
  });

  it('a role without messages.write is refused by name; reading stays possible', async () => {
    await switchTo(t, 'mute');
    await expectForbidden(t.call('messages:send', { to: { kind: 'user', userId: ids['bea']! }, text: 'Bonjour Béa' }), 'messages.write');
    await expectForbidden(t.call('messages:start', { userIds: [ids['bea']!] }), 'messages.write');
    expect((await t.call('messages:conversations', {})).items).toEqual([]);
    await expectForbidden(t.call('contacts:drops', {}), 'contacts.alerts');
  });

  it('bad recipients and empty text get a French message and write nothing', async () => {
    await switchTo(t, 'admin');
    await t.call('users:update', { id: ids['eve']!, disabled: true });
    await switchTo(t, 'bea');
    const before = [await count('messages'), await count('conversations')];
    const cases: [unknown, string, RegExp][] = [
      [{ to: { kind: 'user', userId: ids['bea']! }, text: 'À moi-même' }, 'VALIDATION', /vous-même/],
      [{ to: { kind: 'user', userId: '01900000-0000-7000-8000-0000000000ff' }, text: 'Personne ici' }, 'NOT_FOUND', /Utilisateur introuvable/],
      [{ to: { kind: 'user', userId: ids['eve']! }, text: 'Eve est partie' }, 'VALIDATION', /désactivé/],
      [{ to: { kind: 'group', groupId: '01900000-0000-7000-8000-0000000000ff' }, text: 'Groupe fantôme' }, 'NOT_FOUND', /Groupe introuvable/],
      [{ to: { kind: 'circle', circleId: '01900000-0000-7000-8000-0000000000ff' }, text: 'Cercle fantôme' }, 'NOT_FOUND', /Cercle introuvable/],
      [{ to: { kind: 'user', userId: ids['carl']! }, text: '   ' }, 'VALIDATION', /écrivez un message/i],
      [{ to: { kind: 'user', userId: 'pas-un-id' }, text: 'Bonjour' }, 'VALIDATION', /./],
    ];
    for (const [request, code, message] of cases) {
      const e = await caught(t.call('messages:send', request as never));
      expect(e?.code, JSON.stringify(request)).toBe(code);
      expect(e?.message).toMatch(message);
    }
    expect([await count('messages'), await count('conversations')]).toEqual(before);
  });
});
