/**
 * Papers under access rights (issue 3 §1, §5, §6) through the contract: a group paper's key is sealed to the group
 * (no title in clear), readable by a member and absent for a non-member; papers of people the user may not see are
 * left out; refusals are FORBIDDEN naming the permission; every add, view, export and print is in the audit trail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { caught, addUser, expectForbidden, switchTo } from '../helpers/access';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const png = () => [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }];
const TITLE = 'Titre de séjour de Zoé';

describe('papers under access rights', () => {
  let t: TestCore;
  let group: string;
  let awa: string;
  let marc: string;
  let scratch: string;
  const db = () => t.core.session()!.ctx.db;
  const listed = async () => (await t.call('vault:listDocuments', {})).items.map((d) => d.title ?? d.type).sort();

  beforeEach(async () => {
    t = await newTestCore();
    scratch = tempDir('solidariciel-export-');
    group = (await t.call('groups:create', { name: 'Antenne Nord' })).id;
    awa = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    marc = (await t.call('people:create', { person: { firstName: 'Marc', lastName: 'Durand' } })).id;
    await t.call('people:setGroups', { personId: awa, groupIds: [group] });
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a group paper: sealed to the group, readable by a member, absent for a non-member', async () => {
    await addUser(t, 'bea', 'social_worker', [group]);
    await addUser(t, 'carl', 'social_worker');
    const open = await t.call('vault:addDocument', { personId: awa, meta: { type: 'carte_identite', title: 'Carte commune' }, files: png() });
    const paper = await t.call('vault:addDocument', {
      personId: awa,
      meta: { type: 'titre_sejour', title: TITLE, note: 'Renouvellement en cours', visibility: { kind: 'groups', groupIds: [group] } },
      files: png(),
    });
    const row = (await db()('documents').where({ id: paper.id }).first()) as Record<string, string | null>;
    expect(row).toMatchObject({ title: null, note: null, wrapped_key: '' });
    expect(JSON.parse(row.key_wraps!)).toEqual(expect.arrayContaining([expect.objectContaining({ s: `group:${group}` })]));
    expect(JSON.stringify(row)).not.toMatch(/Zoé|Renouvellement/);
    expect(await listed()).toEqual(['Carte commune', TITLE]);

    await switchTo(t, 'carl');
    expect(await listed()).toEqual(['Carte commune']);
    expect(await caught(t.call('vault:readDocument', { id: paper.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('vault:recordPrint', { id: paper.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('vault:exportDocument', { id: paper.id, path: join(scratch, 'x.pdf') }))).toMatchObject({ code: 'NOT_FOUND' });
    // verify checks what carl can decrypt, and says so.
    expect(await t.call('vault:verify', {})).toEqual({ checked: 1, failed: [] });

    await switchTo(t, 'bea');
    const mine = (await t.call('vault:listDocuments', { personId: awa })).items.find((d) => d.id === paper.id)!;
    expect(mine).toMatchObject({ title: TITLE, note: 'Renouvellement en cours', visibility: { kind: 'groups', groupIds: [group] } });
    const read = await t.call('vault:readDocument', { id: paper.id });
    expect(sha256(read.bytes)).toBe(paper.sha256);
    expect(await t.call('vault:verify', {})).toEqual({ checked: 2, failed: [] });
    expect(open.id).not.toBe(paper.id);
  });

  it('a damaged group paper is reported to a member by verify, not skipped', async () => {
    await addUser(t, 'bea', 'social_worker', [group]);
    const paper = await t.call('vault:addDocument', { personId: awa, meta: { type: 'autre', title: TITLE, visibility: { kind: 'groups', groupIds: [group] } }, files: png() });
    const row = (await db()('documents').where({ id: paper.id }).first()) as { blob_name: string };
    rmSync(join(t.dir, 'vault', row.blob_name.slice(0, 2), row.blob_name));
    await switchTo(t, 'bea');
    const report = await t.call('vault:verify', {});
    expect(report.checked).toBe(1);
    expect(report.failed.map((f) => f.id)).toEqual([paper.id]);
    expect(report.failed[0]!.title).toContain(TITLE);
  });

  it('an unknown group in the visibility is refused before any blob is written', async () => {
    const vault = join(t.dir, 'vault');
    const before = existsSync(vault) ? readdirSync(vault).length : 0;
    const e = await caught(t.call('vault:addDocument', { personId: awa, meta: { type: 'autre', visibility: { kind: 'groups', groupIds: ['0190a5a0-0000-7000-8000-000000000000'] } }, files: png() }));
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect(existsSync(vault) ? readdirSync(vault).length : 0).toBe(before);
  });

  it('papers of people the user may not see are left out', async () => {
    await t.call('roles:save', { id: 'antenne', name: 'Antenne', permissions: ['people.readGroups', 'documents.read'] });
    await addUser(t, 'nina', 'antenne', [group]);
    await t.call('vault:addDocument', { personId: awa, meta: { type: 'autre', title: "Pièce d'Awa" }, files: png() });
    const other = await t.call('vault:addDocument', { personId: marc, meta: { type: 'autre', title: 'Pièce de Marc' }, files: png() });
    await switchTo(t, 'nina');
    expect(await listed()).toEqual(["Pièce d'Awa"]);
    expect((await t.call('vault:listDocuments', { personId: marc })).items).toEqual([]);
    expect(await caught(t.call('vault:readDocument', { id: other.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.call('vault:verify', {})).checked).toBe(1);
  });

  it('refusals name the missing permission', async () => {
    const { id } = await t.call('vault:addDocument', { personId: awa, meta: { type: 'autre' }, files: png() });
    await addUser(t, 'tresor', 'treasurer');
    await addUser(t, 'accueil', 'reception');
    await addUser(t, 'lecteur', 'readonly');
    await switchTo(t, 'tresor');
    await expectForbidden(t.call('vault:listDocuments', {}), 'documents.read');
    await expectForbidden(t.call('vault:readDocument', { id }), 'documents.read');
    await expectForbidden(t.call('vault:recordPrint', { id }), 'documents.read');
    await expectForbidden(t.call('vault:verify', {}), 'documents.read');
    await switchTo(t, 'lecteur');
    await expectForbidden(t.call('vault:addDocument', { personId: awa, meta: { type: 'autre' }, files: png() }), 'documents.add');
    await switchTo(t, 'accueil');
    await expectForbidden(t.call('vault:exportDocument', { id, path: join(scratch, 'x.pdf') }), 'documents.export');
    expect((await t.call('vault:readDocument', { id })).bytes.length).toBeGreaterThan(0);
  });

  it('every add, view, export and print is in the audit trail', async () => {
    const { id } = await t.call('vault:addDocument', { personId: awa, meta: { type: 'carte_identite', title: TITLE }, files: png() });
    await t.call('vault:readDocument', { id });
    await t.call('vault:readDocument', { id });
    await t.call('vault:recordPrint', { id });
    await t.call('vault:exportDocument', { id, path: join(scratch, 'copie.pdf') });
    const entries = (await t.call('audit:list', { targetId: id })).items.reverse();
    expect(entries.map((e) => e.action)).toEqual(['document.add', 'document.view', 'document.view', 'document.print', 'document.export']);
    expect(entries.every((e) => e.actorName === 'admin' && e.details.personId === awa)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('Zoé');
    expect((await t.call('audit:verify', {})).ok).toBe(true);
  });
});
