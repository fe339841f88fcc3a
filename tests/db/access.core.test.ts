/**
 * Access rights end to end through the contract: account request and approval, groups, case notes of every
 * visibility read by the right people only, key rotation when a member leaves a group, disabling at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { caught, addUser, expectForbidden, switchTo } from '../helpers/access';


describe('access rights', () => {
  let t: TestCore;
  let personId: string;
  beforeEach(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo', kinds: ['beneficiary'] } })).id;
  });
  afterEach(async () => t.cleanup());

  it('a requested account cannot unlock until approved; then it can, with its role and groups', async () => {
    const g = (await t.call('groups:create', { name: 'Antenne Nord' })).id;
    await t.call('session:requestAccount', { dir: t.dir, name: 'nadia', password: PASSWORD });
    await t.call('session:lock', { reason: 'user' });
    expect(await caught(t.call('session:unlock', { dir: t.dir, userName: 'nadia', password: PASSWORD }))).toMatchObject({ code: 'PENDING_APPROVAL' });
    expect(await caught(t.call('session:unlock', { dir: t.dir, userName: 'nadia', password: 'wrong password!' }))).toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const [request] = (await t.call('users:requests', {})).items;
    expect(request).toMatchObject({ name: 'nadia' });
    await t.call('users:approve', { requestId: request!.id, roleId: 'volunteer', groupIds: [g] });
    await switchTo(t, 'nadia');
    const info = await t.call('session:current', {});
    expect(info?.user).toMatchObject({ name: 'nadia', roleId: 'volunteer', groupIds: [g] });
    expect(info?.permissions).toContain('notes.write');
    expect(info?.permissions).not.toContain('people.read');
    // Unlocks again (the slot was re-sealed under the password at first unlock).
    await switchTo(t, 'nadia');
  });

  it('notes: only me / groups / users / everyone are read by exactly the right users', async () => {
    const g = (await t.call('groups:create', { name: 'Équipe Nord' })).id;
    const bea = await addUser(t, 'bea', 'social_worker', [g]);
    await addUser(t, 'carl', 'social_worker');
    await t.call('notes:add', { personId, text: 'Note admin seul', visibility: { kind: 'me' } });
    await t.call('notes:add', { personId, text: 'Note équipe nord', visibility: { kind: 'groups', groupIds: [g] } });
    await t.call('notes:add', { personId, text: 'Note pour Béa', visibility: { kind: 'users', userIds: [bea] } });
    await t.call('notes:add', { personId, text: 'Note pour tous', visibility: { kind: 'everyone' } });
    const texts = async () => (await t.call('notes:list', { personId })).items.map((n) => n.text).sort();
    expect(await texts()).toEqual(['Note admin seul', 'Note pour Béa', 'Note pour tous', 'Note équipe nord']);
    await switchTo(t, 'bea');
    expect(await texts()).toEqual(['Note pour Béa', 'Note pour tous', 'Note équipe nord']);
    await switchTo(t, 'carl');
    expect(await texts()).toEqual(['Note pour tous']);
  });

  it('removing a member rotates the group key: new notes are out of their reach, old ones stay', async () => {
    const g = (await t.call('groups:create', { name: 'Galaxie' })).id;
    const bea = await addUser(t, 'bea', 'social_worker', [g]);
    await addUser(t, 'dan', 'social_worker', [g]);
    await switchTo(t, 'dan');
    await t.call('notes:add', { personId, text: 'avant', visibility: { kind: 'groups', groupIds: [g] } });
    await switchTo(t, 'admin');
    await t.call('users:update', { id: bea, groupIds: [] });
    await switchTo(t, 'dan');
    await t.call('notes:add', { personId, text: 'après', visibility: { kind: 'groups', groupIds: [g] } });
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text).sort()).toEqual(['après', 'avant']);
    await switchTo(t, 'bea');
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['avant']);
  });

  it('a member added by an administrator outside the group gets new content at once and the history at a member’s next unlock', async () => {
    const g = (await t.call('groups:create', { name: 'Galaxie' })).id;
    await addUser(t, 'dan', 'social_worker', [g]);
    const eve = await addUser(t, 'eve', 'social_worker');
    await switchTo(t, 'dan');
    await t.call('notes:add', { personId, text: 'historique', visibility: { kind: 'groups', groupIds: [g] } });
    await switchTo(t, 'admin');
    await t.call('users:update', { id: eve, groupIds: [g] });
    await switchTo(t, 'dan'); // dan holds the old epoch: hands it to eve
    await t.call('notes:add', { personId, text: 'nouveau', visibility: { kind: 'groups', groupIds: [g] } });
    await switchTo(t, 'eve');
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text).sort()).toEqual(['historique', 'nouveau']);
  });

  it('disabling takes effect at once: the password opens nothing; re-enabling restores the account', async () => {
    const bea = await addUser(t, 'bea', 'social_worker');
    await t.call('users:update', { id: bea, disabled: true });
    await t.call('session:lock', { reason: 'user' });
    expect(await caught(t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD }))).toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    await t.call('users:update', { id: bea, disabled: false });
    await switchTo(t, 'bea');
    expect((await t.call('session:current', {}))?.user.name).toBe('bea');
  });

  it('a volunteer (notes.readOwn) reads their own notes and those addressed to them or their group, not the association-wide ones', async () => {
    const g = (await t.call('groups:create', { name: 'Galaxie' })).id;
    const other = (await t.call('groups:create', { name: 'Autre' })).id;
    const vera = await addUser(t, 'vera', 'volunteer', [g]);
    await addUser(t, 'omar', 'social_worker', [other]);
    await t.call('people:setGroups', { personId, groupIds: [g] });
    await t.call('notes:add', { personId, text: 'pour tous', visibility: { kind: 'everyone' } });
    await t.call('notes:add', { personId, text: 'pour la galaxie', visibility: { kind: 'groups', groupIds: [g] } });
    await t.call('notes:add', { personId, text: 'pour Véra', visibility: { kind: 'users', userIds: [vera] } });
    await t.call('notes:add', { personId, text: 'pour l’autre groupe', visibility: { kind: 'groups', groupIds: [other] } });
    await switchTo(t, 'vera');
    await t.call('notes:add', { personId, text: 'de Véra', visibility: { kind: 'me' } });
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text).sort()).toEqual(['de Véra', 'pour Véra', 'pour la galaxie']);
  });

  it('only the author revises a note; revisions keep the old text', async () => {
    const { id } = await t.call('notes:add', { personId, text: 'premier jet', visibility: { kind: 'everyone' } });
    await t.call('notes:revise', { id, text: 'version corrigée' });
    const [note] = (await t.call('notes:list', { personId })).items;
    expect(note).toMatchObject({ text: 'version corrigée', revisions: 2 });
    expect((await t.call('notes:history', { id })).items.map((r) => r.text)).toEqual(['premier jet', 'version corrigée']);
    await addUser(t, 'bea', 'social_worker');
    await switchTo(t, 'bea');
    await expectForbidden(t.call('notes:revise', { id, text: 'pirate' }));
  });

  it('consent recorded and withdrawn, audited', async () => {
    const { id } = await t.call('consents:record', { personId, consent: { purpose: 'Suivi social', givenOn: '2026-11-02' } });
    await t.call('consents:withdraw', { id, withdrawnOn: '2026-11-20' });
    const [c] = (await t.call('consents:list', { personId })).items;
    expect(c).toMatchObject({ purpose: 'Suivi social', withdrawnOn: '2026-11-20', collectedBy: 'admin', withdrawnBy: 'admin' });
    const actions = (await t.call('audit:list', { limit: 50 })).items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['consent.record', 'consent.withdraw']));
  });
});

describe('the user directory', () => {
  it('lists active users’ names for anyone unlocked, without roles; users:list stays for administrators', async () => {
    const t = await newTestCore();
    try {
      const bea = await addUser(t, 'bea', 'volunteer');
      const carl = await addUser(t, 'carl', 'reception');
      await t.call('users:update', { id: carl, disabled: true });
      await switchTo(t, 'bea');
      const { items } = await t.call('users:directory', {});
      expect(items.map((u) => u.name)).toEqual(['admin', 'bea']);
      expect(items.find((u) => u.id === bea)).toEqual({ id: bea, name: 'bea', displayName: 'bea' });
      await expectForbidden(t.call('users:list', {}), 'users.manage');
    } finally {
      await t.cleanup();
    }
  });
});

describe('small leaks closed', () => {
  it('a disabled user cannot be chosen as a reader; group people counts only count people the reader may see', async () => {
    const t = await newTestCore();
    try {
      const personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
      const g = (await t.call('groups:create', { name: 'Nord' })).id;
      const h = (await t.call('groups:create', { name: 'Sud' })).id;
      const other = (await t.call('people:create', { person: { firstName: 'Ba', lastName: 'Sow' } })).id;
      await t.call('people:setGroups', { personId, groupIds: [g] });
      await t.call('people:setGroups', { personId: other, groupIds: [h] });
      const carl = await addUser(t, 'carl', 'social_worker');
      await addUser(t, 'vera', 'volunteer', [g]);
      await t.call('users:update', { id: carl, disabled: true });
      await expect(t.call('notes:add', { personId, text: 'x', visibility: { kind: 'users', userIds: [carl] } })).rejects.toMatchObject({ code: 'VALIDATION' });
      const counts = async () => Object.fromEntries((await t.call('groups:list', {})).items.map((x) => [x.name, x.peopleCount]));
      expect(await counts()).toEqual({ Nord: 1, Sud: 1 });
      await switchTo(t, 'vera');
      expect(await counts()).toEqual({ Nord: 1, Sud: 0 });
    } finally {
      await t.cleanup();
    }
  });
});
