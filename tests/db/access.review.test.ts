/**
 * Review of access rights (issue 3): one test per bug found, each failing before its fix.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Stretches Argon2id (as in production) so that concurrent keyring.json writes overlap deterministically. */
const slowKdf = vi.hoisted(() => ({ ms: 0 }));
vi.mock('../../main/crypto/kdf', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../main/crypto/kdf')>();
  return {
    ...m,
    deriveKek: async (...args: Parameters<typeof m.deriveKek>) => {
      if (slowKdf.ms > 0) await new Promise((r) => setTimeout(r, slowKdf.ms));
      return m.deriveKek(...args);
    },
  };
});
import { fromB64, sealTo, toB64 } from '../../main/crypto/identity';
import { openSlot, readKeyring } from '../../main/crypto/keyring';
import { entryHash } from '../../main/services/audit/auditLog';
import { Session } from '../../main/core/session';
import type { OpenAssociation } from '../../main/services/association/associationStore';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { caught, addUser, switchTo } from '../helpers/access';


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

  it('disabling a user with an invalid group change is refused and leaves their slot: they still unlock', async () => {
    await addUser(t, 'bea', 'social_worker');
    const bea = (await t.call('users:list', {})).items.find((u) => u.name === 'bea')!.id;
    const e = await caught(t.call('users:update', { id: bea, disabled: true, groupIds: ['0190a000-0000-7000-8000-0000000000ff'] }));
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect((await t.call('users:list', {})).items.find((u) => u.id === bea)).toMatchObject({ disabled: false });
    await switchTo(t, 'bea');
    expect((await t.call('session:current', {}))?.user.name).toBe('bea');
  });

  it('a password change and an approval running together both reach keyring.json (no lost slot, no lost password)', async () => {
    await t.call('session:requestAccount', { dir: t.dir, name: 'nadia', password: PASSWORD });
    const [request] = (await t.call('users:requests', {})).items;
    // Argon2id takes ~0.5 s in production: the approval (no Argon2id) runs while the password change derives its keys.
    slowKdf.ms = 40;
    const [, approved] = await Promise.all([
      t.call('users:changePassword', { currentPassword: PASSWORD, newPassword: 'un nouveau mot de passe' }),
      new Promise((r) => setTimeout(r, 5)).then(() => t.call('users:approve', { requestId: request!.id, roleId: 'social_worker', groupIds: [] })),
    ]);
    slowKdf.ms = 0;
    const keyring = await readKeyring(t.dir);
    expect(keyring.requests.map((r) => r.userName), 'request back in keyring.json').toEqual([]);
    expect(keyring.slots.map((s) => s.userId), 'approved slot lost').toContain(approved.id);
    expect(await caught(openSlot(keyring, 'admin', 'un nouveau mot de passe')), 'new password lost').toBeNull();
    await switchTo(t, 'nadia');
  });

  it('a pending-audit entry with a malformed time (sealed by anyone to the public audit key) does not break the audit screen', async () => {
    const keyring = await readKeyring(t.dir);
    const forged = { action: 'session.unlockFailed', actorName: 'x', details: {}, at: 'pas une date' };
    const sealed = await toB64(await sealTo(await fromB64(keyring.auditPublicKey!), new TextEncoder().encode(JSON.stringify(forged))));
    await t.call('session:lock', { reason: 'user' });
    writeFileSync(join(t.dir, 'pending-audit.json'), JSON.stringify({ failures: { count: 0, lastAt: null }, entries: [sealed] }));
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const { items } = await t.call('audit:list', { limit: 100, offset: 0 });
    expect(items.find((e) => e.action === 'session.unlockFailed')?.details).toEqual({ unreadablePendingEntries: 1 });
    expect(JSON.parse(readFileSync(join(t.dir, 'pending-audit.json'), 'utf8'))).toMatchObject({ entries: [] });
  });

  it('notes:history answers NOT_FOUND for a note about a person outside a volunteer\'s groups, as notes:list does', async () => {
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    await addUser(t, 'vic', 'volunteer', [g]);
    // Awa is in no group: the volunteer may not see her. A note about her addressed to the volunteer's group:
    const noteId = (await t.call('notes:add', { personId, text: 'situation de Awa', visibility: { kind: 'groups', groupIds: [g] } })).id;
    await switchTo(t, 'vic');
    expect(await caught(t.call('notes:list', { personId }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('notes:history', { id: noteId }))).toMatchObject({ code: 'NOT_FOUND' });
  });
  it('audit:verify notices an entry inserted before the first one (seq 0 or below)', async () => {
    const db = t.core.session()!.ctx.db;
    const row = { seq: 0, at: new Date().toISOString(), actor_id: null, actor_name: 'faussaire', action: 'person.create', target_type: 'person', target_id: personId, details: '{}', prev_hash: '0'.repeat(64) };
    await db('audit_log').insert({ ...row, hash: entryHash(row) });
    expect(await t.call('audit:verify', {})).toMatchObject({ ok: false, firstBadEntry: 1 });
  });

  it('wrong passwords sent at once are tried one after the other: the growing delay holds and every failure is counted', async () => {
    await t.call('session:lock', { reason: 'user' });
    const wrong = () => caught(t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'mauvais mot de passe' }));
    await wrong();
    await wrong();
    // From the third failure on, the next attempt must wait: of four sent together, only the first is tried.
    const codes = (await Promise.all([wrong(), wrong(), wrong(), wrong()])).map((e) => e?.code);
    expect(codes.filter((c) => c === 'WRONG_CREDENTIALS')).toHaveLength(1);
    expect(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS')).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(t.dir, 'pending-audit.json'), 'utf8')).failures.count).toBe(3);
  });

  it('an unlock that fails after the slot was opened wipes the user\'s secret keys, not only the database key', async () => {
    await t.core.session()!.ctx.db('meta').where({ key: 'audit_secret_key' }).update({ value: '!!! abîmé !!!' });
    await t.call('session:lock', { reason: 'user' });
    const opened: OpenAssociation[] = [];
    const original = Session.start.bind(Session);
    vi.spyOn(Session, 'start').mockImplementation(async (association, ...rest) => {
      opened.push(association);
      return original(association, ...rest);
    });
    expect(await caught(t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD }))).not.toBeNull();
    vi.restoreAllMocks();
    const zero = (k: Uint8Array) => k.every((b) => b === 0);
    expect(opened).toHaveLength(1);
    expect(zero(opened[0]!.dbKey)).toBe(true);
    expect(zero(opened[0]!.keys.boxSecretKey)).toBe(true);
    expect(zero(opened[0]!.keys.signSecretKey)).toBe(true);
  });
});
