/**
 * Erasing a person (docs/erasure.md): two-step confirmation, legal hold, every record and blob removed, the paper's
 * key gone with its row, `db raw-copy` and every file of the folder free of the person's name, e-mail and paper
 * bytes, the audit trail keeping the act without the data, and a database restored from before the erasure cleaned
 * again by `reapplyErasuresToAssociation`, with the register read from a backup destination's `erasures.json`.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { readErasureRegister } from '../../main/db/erasure';
import { registerLegalHold } from '../../main/services/erasure/legalHolds';
import { reapplyErasuresToAssociation } from '../../main/services/erasure/erasureService';
import { readErasureRegisterFile, writeErasureRegisterFile } from '../../main/services/erasure/registerFile';
import { PASSWORD, TEST_KDF, fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { leaks } from '../helpers/files';

const SECRETS = ['Ninon', 'Vasseur-Erasmus', 'ninon.vasseur@example.org', 'Suivi logement Ninon', 'Dossier CAF Ninon', 'Consentement photo'];

describe('erasing a person', () => {
  let t: TestCore;
  let personId: string;
  let otherId: string;
  let paperId: string;
  let paperBytes: Buffer;
  let blobName: string;
  let restored: string;

  beforeAll(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Ninon', lastName: 'Vasseur-Erasmus', email: 'ninon.vasseur@example.org', kinds: ['beneficiary'] } })).id;
    otherId = (await t.call('people:create', { person: { firstName: 'Jean', lastName: 'Petit', kinds: ['member'] } })).id;
    await t.call('notes:add', { personId, text: 'Suivi logement Ninon', visibility: { kind: 'everyone' } });
    await t.call('notes:add', { personId, text: 'Suivi logement Ninon (privé)', visibility: { kind: 'me' } });
    await t.call('tasks:create', { task: { title: 'Dossier CAF Ninon', personId } });
    await t.call('consents:record', { personId, consent: { purpose: 'Consentement photo', givenOn: '2026-01-05' } });
    paperId = (await t.call('vault:addDocument', { personId, meta: { type: 'autre', title: 'Titre de séjour' }, files: [{ name: 'carte.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] })).id;
    paperBytes = Buffer.from((await t.call('vault:readDocument', { id: paperId })).bytes);
    const db = t.core.session()!.ctx.db;
    blobName = ((await db('documents').where({ id: paperId }).first('blob_name')) as { blob_name: string }).blob_name;
    // A backup taken before the erasure: the folder copied while locked.
    await t.call('session:lock', { reason: 'user' });
    restored = join(tempDir('solidariciel-restored-'), 'Entraide.solidariciel');
    cpSync(t.dir, restored, { recursive: true });
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
  }, 60_000);

  afterAll(async () => {
    await t.cleanup();
  });

  it('refuses a name that does not match, and nothing is erased', async () => {
    await expect(t.call('people:erase', { id: personId, confirmName: 'Jean Petit' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await t.call('people:get', { id: personId })).person.lastName).toBe('Vasseur-Erasmus');
  });

  it('refuses while a legal hold applies, naming it, and nothing is erased', async () => {
    const drop = registerLegalHold({ id: 'test-hold', check: async (_db, id) => (id === personId ? 'un reçu fiscal de test a été émis' : null) });
    try {
      expect((await t.call('people:legalHolds', { id: personId })).items).toEqual([{ id: 'test-hold', reason: 'un reçu fiscal de test a été émis' }]);
      await expect(t.call('people:erase', { id: personId, confirmName: 'Ninon Vasseur-Erasmus' })).rejects.toMatchObject({ code: 'LEGAL_HOLD', message: expect.stringContaining('reçu fiscal de test') });
    } finally {
      drop();
    }
    expect((await t.call('vault:listDocuments', { personId })).items).toHaveLength(1);
  });

  it('erases every record, the paper and its key; the audit keeps the act without the data', async () => {
    const r = await t.call('people:erase', { id: personId, confirmName: '  ninon   VASSEUR-erasmus ' });
    expect(r).toMatchObject({ personId, papers: 1, counts: { people: 1, case_notes: 2, tasks: 1, consents: 1, documents: 1 } });
    await expect(t.call('people:get', { id: personId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.call('vault:readDocument', { id: paperId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.call('people:get', { id: otherId })).person.firstName).toBe('Jean');
    const db = t.core.session()!.ctx.db;
    for (const table of ['people', 'case_notes', 'tasks', 'consents', 'documents']) {
      expect(await db(table).where(table === 'people' ? { id: personId } : { person_id: personId }).count({ n: '*' })).toEqual([{ n: 0 }]);
    }
    expect(existsSync(join(t.dir, 'vault', blobName.slice(0, 2), blobName))).toBe(false);
    const register = await readErasureRegister(db);
    expect(register.map((e) => e.kind).sort()).toEqual(['case_notes', 'case_notes', 'consents', 'documents', 'people', 'tasks']);
    expect(register.find((e) => e.kind === 'documents')?.blobName).toBe(blobName);
    expect(JSON.stringify(register)).not.toMatch(/Ninon|Vasseur|example\.org/);
    const audit = await t.call('audit:list', { action: 'person.erase', limit: 10, offset: 0 });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorName: 'admin', targetId: personId });
    expect(JSON.stringify(audit.items[0])).not.toMatch(/Ninon|Vasseur/);
    expect((await t.call('audit:verify', {})).ok).toBe(true);
    // A second erasure finds nobody.
    await expect(t.call('people:erase', { id: personId, confirmName: 'Ninon Vasseur-Erasmus' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('leaves no name, e-mail or paper bytes in db raw-copy nor in any file of the folder', async () => {
    const out = join(tempDir('solidariciel-rawcopy-'), 'copie.sqlite');
    await t.call('db:rawCopy', { out });
    const copy = readFileSync(out);
    for (const s of SECRETS) expect(copy.includes(Buffer.from(s, 'utf8')), s).toBe(false);
    expect(copy.includes(Buffer.from('Jean', 'utf8'))).toBe(true); // the copy does hold the others: the check can fail
    expect(copy.includes(paperBytes.subarray(200, 264))).toBe(false);
    expect(leaks(t.dir, SECRETS)).toEqual([]);
  });

  it('an association restored from before the erasure is cleaned again from the register kept at the destination', async () => {
    const db = t.core.session()!.ctx.db;
    const destination = tempDir('solidariciel-backups-');
    const associationId = t.core.session()!.association.associationId;
    expect(await writeErasureRegisterFile(db, destination, associationId, new Date())).toBe(6);
    const entries = await readErasureRegisterFile(destination, associationId);
    await expect(readErasureRegisterFile(destination, 'une-autre-association')).rejects.toMatchObject({ code: 'VALIDATION' });

    const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
    try {
      const call = async (channel: 'session:unlock' | 'people:search', request: unknown) => {
        const env = await dispatch(core.handlers, channel, request as never, noEvents);
        if (!env.ok) throw new Error(env.error.message);
        return env.value as never;
      };
      await call('session:unlock', { dir: restored, userName: 'admin', password: PASSWORD });
      const before = (await call('people:search', { query: 'Ninon', limit: 10 })) as { items: unknown[] };
      expect(before.items).toHaveLength(1); // the restore brought her back…
      expect(existsSync(join(restored, 'vault', blobName.slice(0, 2), blobName))).toBe(true);
      const session = core.session()!;
      const r = await reapplyErasuresToAssociation(session.ctx.db, restored, entries, session.ctx.mutator);
      expect(r).toMatchObject({ removed: 6, papers: 1 });
      expect(((await call('people:search', { query: 'Ninon', limit: 10 })) as { items: unknown[] }).items).toHaveLength(0); // …and the register erased her again
      expect(existsSync(join(restored, 'vault', blobName.slice(0, 2), blobName))).toBe(false);
      expect((await readErasureRegister(session.ctx.db)).length).toBe(6);
    } finally {
      await core.close();
    }
    expect(leaks(restored, SECRETS)).toEqual([]);
    rmSync(restored, { recursive: true, force: true });
    mkdirSync(restored, { recursive: true });
  });
});
