/**
 * Internal messages between two devices through a real hub (docs/messages.md): the members read them, a non-member
 * (even an administrator) does not, the hub's storage and a decrypted copy of the database hold no message text; a
 * message written without syncing reaches the others at the next sync; a member added later reads the messages sent
 * after they joined, or the history when the conversation says so; unread counts follow the user across devices.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../hub/helpers';
import { pairThroughHub, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser, caught, switchTo } from '../helpers/access';
import { leaks } from '../helpers/files';

const texts = async (t: TestCore, conversationId: string) => (await t.call('messages:thread', { conversationId })).items.map((m) => m.text);
const allTexts = async (t: TestCore) => (await t.call('messages:list', {})).items.map((m) => m.text);
const sync = async (...cores: TestCore[]) => {
  for (const c of cores) await c.call('sync:now', {});
};

describe('messages through a real hub', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let group: string;
  const ids: Record<string, string> = {};
  const secret = ['Rendez-vous chez Mme Lefort', 'Message au groupe Nord', 'Réponse écrite hors ligne', 'Avant arrivée de Dan', 'Après arrivée de Dan', 'Historique partagé avec Dan'];

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    group = (await a.call('groups:create', { name: 'Équipe Nord' })).id;
    for (const [name, groups] of [['bea', [group]], ['carl', [group]], ['dan', []]] as const) ids[name] = await addUser(a, name, 'social_worker', [...groups]);
    b = await pairThroughHub(hub.url, a);
  }, 120_000);

  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('a message to a user and one to a group are read by their members on the other device, not by others', async () => {
    await switchTo(a, 'bea');
    const toCarl = await a.call('messages:send', { to: { kind: 'user', userId: ids['carl']! }, text: 'Rendez-vous chez Mme Lefort' });
    const toGroup = await a.call('messages:send', { to: { kind: 'group', groupId: group }, text: 'Message au groupe Nord' });
    // The same pair writes into the same conversation.
    expect((await a.call('messages:send', { to: { kind: 'user', userId: ids['carl']! }, text: 'Encore un mot' })).conversationId).toBe(toCarl.conversationId);
    await sync(a, b);

    await switchTo(b, 'carl');
    expect(await texts(b, toCarl.conversationId)).toEqual(['Rendez-vous chez Mme Lefort', 'Encore un mot']);
    expect(await texts(b, toGroup.conversationId)).toEqual(['Message au groupe Nord']);
    const list = await b.call('messages:conversations', {});
    expect(list.unread).toBe(3);
    expect(list.items.find((c) => c.id === toCarl.conversationId)).toMatchObject({ kind: 'users', title: 'bea', unread: 2 });

    await switchTo(b, 'dan');
    expect(await allTexts(b)).toEqual([]);
    expect((await caught(b.call('messages:thread', { conversationId: toCarl.conversationId })))?.code).toBe('NOT_FOUND');
    expect((await b.call('messages:unread', {})).unread).toBe(0);

    // An administrator outside the conversation and the group reads nothing either, on either device.
    for (const t of [a, b]) {
      await switchTo(t, 'admin');
      expect(await allTexts(t)).toEqual([]);
    }
  });

  it('a reply written without syncing reaches the other device at the next sync; read marks follow the user', async () => {
    await switchTo(b, 'carl');
    const conv = (await b.call('messages:conversations', {})).items.find((c) => c.kind === 'users')!;
    await b.call('messages:send', { to: { kind: 'conversation', conversationId: conv.id }, text: 'Réponse écrite hors ligne' });
    await b.call('messages:markRead', { conversationId: conv.id });
    expect((await b.call('messages:unread', {})).unread).toBe(1); // the group message is still unread

    await switchTo(a, 'bea');
    await sync(a);
    expect(await texts(a, conv.id)).not.toContain('Réponse écrite hors ligne');
    await sync(b, a);
    expect(await texts(a, conv.id)).toContain('Réponse écrite hors ligne');
    expect((await a.call('messages:unread', {})).unread).toBe(1);

    // Carl's read marks made on the laptop count on the office PC.
    await switchTo(a, 'carl');
    expect((await a.call('messages:conversations', {})).items.find((c) => c.id === conv.id)?.unread).toBe(0);
    expect((await a.call('messages:list', { unread: true })).items.map((m) => m.text)).toEqual(['Message au groupe Nord']);
  });

  it('a member added later reads what was sent after they joined, or the history when the conversation keeps it', async () => {
    await switchTo(a, 'bea');
    const plain = (await a.call('messages:start', { userIds: [ids['carl']!], history: false })).conversationId;
    await a.call('messages:send', { to: { kind: 'conversation', conversationId: plain }, text: 'Avant arrivée de Dan' });
    expect((await a.call('messages:addMembers', { conversationId: plain, userIds: [ids['dan']!] })).shared).toBe(0);
    await a.call('messages:send', { to: { kind: 'conversation', conversationId: plain }, text: 'Après arrivée de Dan' });

    const kept = (await a.call('messages:start', { userIds: [ids['carl']!], history: true })).conversationId;
    await a.call('messages:send', { to: { kind: 'conversation', conversationId: kept }, text: 'Historique partagé avec Dan' });
    expect((await a.call('messages:addMembers', { conversationId: kept, userIds: [ids['dan']!] })).shared).toBe(1);
    await sync(a, b);

    await switchTo(b, 'dan');
    expect(await texts(b, plain)).toEqual(['Après arrivée de Dan']);
    expect(await texts(b, kept)).toEqual(['Historique partagé avec Dan']);
    await switchTo(b, 'carl');
    expect(await texts(b, plain)).toEqual(['Avant arrivée de Dan', 'Après arrivée de Dan']);
  });

  it("the hub's storage, both association folders and a decrypted copy of the database hold no message text", async () => {
    expect(leaks(hub.dataDir, secret)).toEqual([]);
    expect(leaks(a.dir, secret)).toEqual([]);
    expect(leaks(b.dir, secret)).toEqual([]);
    await switchTo(a, 'admin');
    const folder = tempDir('solidariciel-raw-');
    await a.call('db:rawCopy', { out: join(folder, 'copie.sqlite') });
    expect(leaks(folder, secret)).toEqual([]);
  });
});
