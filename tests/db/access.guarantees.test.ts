/**
 * The guarantees of issue 3, each tested where it can fail:
 * - an "only me" note is absent in clear from every file of the association folder and from a decrypted raw copy,
 *   while an "everyone" note is present in the raw copy (so the search would find it);
 * - the audit trail: unlocks, failed unlocks (recorded while locked, moved in at the next unlock); tampering with any
 *   entry, removing one or inserting one is found at the right entry;
 * - the growing delay after failed unlocks;
 * - the recovery code resets a password and keeps the user's keys; a renewed code replaces the old one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { createCore } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { openSlot, readKeyring } from '../../main/crypto/keyring';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { entryHash } from '../../main/services/audit/auditLog';
import { unlockDelaySeconds } from '../../main/services/association/pendingAudit';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';
import { newTestCore, PASSWORD, TEST_KDF, tempDir, type TestCore } from '../helpers/core';
import { addUser, switchTo } from '../helpers/access';
import { leaks } from '../helpers/files';
import { plainQuery } from '../helpers/plainSqlite';

const SECRET = 'Secret de Zoé : hébergée chez sa sœur depuis mars';
const PUBLIC = 'Rendez-vous CAF le 3 décembre';

describe('an "only me" note never sits in clear', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('absent from every file of the folder and from db raw-copy; the "everyone" note is in the copy', async () => {
    const personId = (await t.call('people:create', { person: { firstName: 'Zoé', lastName: 'Martin' } })).id;
    const g = (await t.call('groups:create', { name: 'Nord' })).id;
    await addUser(t, 'bea', 'social_worker', [g]);
    await t.call('notes:add', { personId, text: SECRET, visibility: { kind: 'me' } });
    await t.call('notes:add', { personId, text: `${SECRET} (groupe)`, visibility: { kind: 'groups', groupIds: [g] } });
    await t.call('notes:add', { personId, text: PUBLIC, visibility: { kind: 'everyone' } });
    await t.call('tasks:create', { task: { title: `${SECRET} (tâche)`, visibility: { kind: 'me' } } });
    const out = join(tempDir('solidariciel-rawcopy-'), 'copie.sqlite');
    await t.call('db:rawCopy', { out });
    const copy = readFileSync(out);
    expect(copy.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
    expect(copy.includes(Buffer.from(PUBLIC, 'utf8'))).toBe(true);
    expect(copy.includes(Buffer.from('Secret de Zo', 'utf8'))).toBe(false);
    expect(copy.includes(Buffer.from('hébergée', 'utf8'))).toBe(false);
    await t.call('session:lock', {});
    expect(leaks(t.dir, ['Secret de Zo', 'hébergée chez sa', PUBLIC])).toEqual([]);
    // The copy is readable as plain SQLite and the administrator's own note is there only as ciphertext.
    const rows = (plainQuery(out, 'SELECT body, ciphertext FROM case_notes')) as { body: string | null; ciphertext: string | null }[];
    expect(rows.filter((r) => r.body === PUBLIC)).toHaveLength(1);
    expect(rows.filter((r) => r.ciphertext !== null)).toHaveLength(2);
  });

  it('a raw copy is refused to a non-administrator (db.rawCopy) and never overwrites a file', async () => {
    const out = join(tempDir('solidariciel-rawcopy-'), 'copie.sqlite');
    await t.call('db:rawCopy', { out });
    await expect(t.call('db:rawCopy', { out })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await addUser(t, 'bea', 'coordinator');
    await switchTo(t, 'bea');
    await expect(t.call('db:rawCopy', { out: `${out}.2` })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('db.rawCopy') });
  });
});

/** Opens the association's database directly, with the audit triggers dropped: what a tamperer with the key would do. */
async function tamper(t: TestCore, work: (db: Knex) => Promise<void>): Promise<void> {
  await t.call('session:lock', {});
  const { dbKey } = await openSlot(await readKeyring(t.dir), 'admin', PASSWORD);
  const db = openSqlCipher(join(t.dir, 'association.db'), Buffer.from(dbKey).toString('hex'));
  try {
    await db.raw('DROP TRIGGER audit_log_no_update');
    await db.raw('DROP TRIGGER audit_log_no_delete');
    await work(db);
  } finally {
    await db.destroy();
  }
  await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
}

describe('the audit trail', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
    for (const name of ['A', 'B', 'C', 'D']) await t.call('people:create', { person: { firstName: name, lastName: 'Test' } });
  });
  afterEach(async () => t.cleanup());

  it('records unlocks, failed unlocks (moved in at the next unlock) and creations, and verifies', async () => {
    await t.call('session:lock', {});
    await expect(t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'pas le bon mot de passe' })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await expect(t.call('session:unlock', { dir: t.dir, userName: 'inconnu', password: 'pas le bon mot de passe' })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const { items } = await t.call('audit:list', { limit: 500 });
    const actions = items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['association.create', 'session.unlock', 'session.lock', 'person.create']));
    expect(items.filter((e) => e.action === 'session.unlockFailed').map((e) => e.actorName).sort()).toEqual(['admin', 'inconnu']);
    // An account waiting for approval that tries to unlock is recorded too (not counted towards the delay).
    await t.call('session:requestAccount', { dir: t.dir, name: 'lea', password: PASSWORD });
    await t.call('session:lock', {});
    await expect(t.call('session:unlock', { dir: t.dir, userName: 'lea', password: PASSWORD })).rejects.toMatchObject({ code: 'PENDING_APPROVAL' });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const pending = (await t.call('audit:list', { action: 'session.unlockFailed', actorName: 'lea', limit: 5 })).items;
    expect(pending.map((e) => e.details)).toEqual([{ reason: 'pendingApproval' }]);
    expect((await t.call('audit:list', { action: 'user.request', limit: 5 })).items.map((e) => e.actorName)).toEqual(['lea']);
    expect(await t.call('audit:verify', {})).toMatchObject({ ok: true, firstBadEntry: null });
    expect((await t.call('audit:list', { action: 'person.create', limit: 10 })).total).toBe(4);
  });

  type Tamper = (seq: number) => (db: Knex) => Promise<void>;
  const changes: [string, Tamper][] = [
    ['a changed field', (seq) => async (db) => void (await db('audit_log').where({ seq }).update({ actor_name: 'quelqu’un d’autre' }))],
    [
      'a changed field with its own hash recomputed',
      (seq) => async (db) => {
        const row = (await db('audit_log').where({ seq }).first()) as { hash: string } & Record<string, unknown>;
        const { hash: _h, ...fields } = { ...row, action: 'person.update' };
        await db('audit_log').where({ seq }).update({ action: 'person.update', hash: entryHash(fields as never) });
      },
    ],
    ['a removed entry', (seq) => async (db) => void (await db('audit_log').where({ seq }).delete())],
  ];
  it.each(changes)('%s is found at that entry', async (_label, change) => {
    const before = await t.call('audit:verify', {});
    expect(before.ok).toBe(true);
    const target = 3;
    await tamper(t, change(target));
    const after = await t.call('audit:verify', {});
    expect(after.ok).toBe(false);
    // A recomputed hash moves the break to the next entry, whose prev_hash no longer matches.
    expect(after.firstBadEntry).toBe(_label.includes('recomputed') ? target + 1 : target);
  });

  it('an entry inserted in the middle is found', async () => {
    await tamper(t, async (db) => {
      const row = (await db('audit_log').where({ seq: 2 }).first()) as Record<string, unknown>;
      await db.raw('UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3');
      await db('audit_log').insert({ ...row, seq: 3, action: 'person.archive' });
    });
    expect(await t.call('audit:verify', {})).toMatchObject({ ok: false, firstBadEntry: 3 });
  });

  it('the trail refuses UPDATE and DELETE through SQL while its triggers are there', async () => {
    const db = t.core.session()!.ctx.db;
    await expect(db('audit_log').where({ seq: 1 }).update({ actor_name: 'x' })).rejects.toThrow(/append-only/);
    await expect(db('audit_log').where({ seq: 1 }).delete()).rejects.toThrow(/append-only/);
  });
});

describe('failed unlocks', () => {
  it('the delay grows after the second failure, is enforced without trying the password, and resets on success', async () => {
    let now = new Date('2026-11-21T09:00:00.000Z');
    const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF, clock: { now: () => now } });
    const call = async <C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
      const env = await dispatch(core.handlers, channel, request, noEvents);
      if (!env.ok) throw Object.assign(new Error(env.error.message), { code: env.error.code });
      return env.value as never;
    };
    const dir = join(tempDir(), 'Asso');
    try {
      await call('association:create', { dir, name: 'Asso', adminName: 'admin', password: PASSWORD });
      await call('session:lock', { reason: 'user' });
      const wrong = () => call('session:unlock', { dir, userName: 'admin', password: 'mauvais mot de passe' });
      await expect(wrong()).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
      await expect(wrong()).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
      await expect(wrong()).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' }); // 3rd: now a delay of 1 s
      // Even the right password waits.
      await expect(call('session:unlock', { dir, userName: 'admin', password: PASSWORD })).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS', message: expect.stringContaining('1 s') });
      now = new Date(now.getTime() + 1000);
      await expect(wrong()).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' }); // 4th: 2 s
      now = new Date(now.getTime() + 1000);
      await expect(wrong()).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
      now = new Date(now.getTime() + 1000);
      await call('session:unlock', { dir, userName: 'admin', password: PASSWORD });
      const failed = (await call('audit:list', { action: 'session.unlockFailed', limit: 50 })).items;
      expect(failed).toHaveLength(4);
      await call('session:lock', { reason: 'user' });
      await expect(wrong()).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' }); // counter reset: no delay
      await expect(wrong()).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    } finally {
      await core.close();
    }
    expect([1, 2, 3, 4, 5, 6, 20].map(unlockDelaySeconds)).toEqual([0, 0, 1, 2, 4, 8, 60]);
  });
});

describe('the recovery code', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('resets a forgotten password and the user keeps their "only me" notes; audited', async () => {
    expect(t.recoveryCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/);
    const personId = (await t.call('people:create', { person: { firstName: 'Zoé', lastName: 'Martin' } })).id;
    await addUser(t, 'bea', 'social_worker');
    await switchTo(t, 'bea');
    await t.call('notes:add', { personId, text: 'note de Béa seule', visibility: { kind: 'me' } });
    await t.call('session:lock', {});
    await expect(t.call('session:resetPassword', { dir: t.dir, userName: 'bea', recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA', newPassword: 'nouveau mot de passe' })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:resetPassword', { dir: t.dir, userName: 'bea', recoveryCode: t.recoveryCode.toLowerCase(), newPassword: 'nouveau mot de passe' });
    await expect(t.call('session:unlock', { dir: t.dir, userName: 'bea', password: PASSWORD })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:unlock', { dir: t.dir, userName: 'bea', password: 'nouveau mot de passe' });
    expect((await t.call('notes:list', { personId })).items.map((n) => n.text)).toEqual(['note de Béa seule']);
    await switchTo(t, 'admin');
    const used = (await t.call('audit:list', { action: 'recovery.used', limit: 5 })).items;
    expect(used).toHaveLength(1);
    expect(used[0]).toMatchObject({ actorName: 'code de secours', details: { userName: 'bea', keysKept: true } });
    expect((await t.call('audit:verify', {})).ok).toBe(true);
  });

  it('a renewed code replaces the old one; the sheet is a PDF with the code', async () => {
    const { recoveryCode } = await t.call('recovery:renew', {});
    expect(recoveryCode).not.toBe(t.recoveryCode);
    const { pdf } = await t.call('recovery:sheet', { recoveryCode });
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    await t.call('session:lock', {});
    await expect(t.call('session:resetPassword', { dir: t.dir, userName: 'admin', recoveryCode: t.recoveryCode, newPassword: 'nouveau mot de passe' })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await t.call('session:resetPassword', { dir: t.dir, userName: 'admin', recoveryCode, newPassword: 'nouveau mot de passe' });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'nouveau mot de passe' });
  });
});
