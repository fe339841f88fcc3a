/**
 * Review of access rights (issue 3): one test per bug found, each failing before its fix.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';

describe('access review', () => {
  let t: TestCore;
  let personId: string;
  beforeEach(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo', kinds: ['beneficiary'] } })).id;
  });
  afterEach(async () => t.cleanup());

  it('a damaged grant row (signature or sealed secret not base64) is ignored at unlock, not a crash', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    const bea = await addUser(t, 'bea', 'social_worker', [g]);
    await t.call('notes:add', { personId, text: 'pour le groupe', visibility: { kind: 'groups', groupIds: [g] } });
    const db = t.core.session()!.ctx.db;
    const now = new Date().toISOString();
    const admin = t.core.session()!.ctx.user.id;
    await db('scope_key_grants').insert([
      { id: '0190a000-0000-7000-8000-000000000001', created_at: now, updated_at: now, scope_id: 'association', key_scope: `group:${g}`, epoch: 1, user_id: bea, sealed_secret: 'AAAA', granted_by: admin, signature: '!!! pas du base64 !!!' },
    ]);
    await switchTo(t, 'bea');
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['pour le groupe']);
  });
});
