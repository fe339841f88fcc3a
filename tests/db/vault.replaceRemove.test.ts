/**
 * Replacing and removing a paper (docs/access.md "Replacing and removing papers"): the new scan becomes the paper (same id, type, dates,
 * title and visibility), the old key's wrapped copies are overwritten and the old blob deleted; a removal leaves a
 * tombstone with no key, title or note and deletes the blob; only the writer or an administrator may; both audited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, newTestCore, type TestCore } from '../helpers/core';
import { addUser, caught, expectForbidden, switchTo } from '../helpers/access';
import { localDayOf } from '../../shared/domain/paperName';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const png = () => [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }];
const caf = () => [{ name: 'caf.pdf', bytes: fixture('scans', 'attestation-caf-2pages.pdf') }];

interface Row {
  blob_name: string;
  wrapped_key: string;
  key_wraps: string | null;
  ciphertext: string | null;
  title: string | null;
  note: string | null;
  deleted_at: string | null;
  type: string;
  expires_on: string | null;
  visibility: string;
  pages: number;
}

describe('replace and remove a paper', () => {
  let t: TestCore;
  let awa: string;
  const db = () => t.core.session()!.ctx.db;
  const row = async (id: string) => (await db()('documents').where({ id }).first()) as Row;
  const blobPath = (name: string) => join(t.dir, 'vault', name.slice(0, 2), name);
  const audit = async (action: 'vault.replaced' | 'vault.removed') => (await t.call('audit:list', { action, limit: 10 })).items;

  beforeEach(async () => {
    t = await newTestCore();
    awa = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
  });
  afterEach(async () => t.cleanup());

  it('replace: the new scan becomes the paper, metadata kept, old key overwritten and old blob deleted, audited', async () => {
    const meta = { type: 'attestation_caf' as const, title: 'Attestation de novembre', expiresOn: '2027-03-31', note: 'Copie lisible' };
    const added = await t.call('vault:addDocument', { personId: awa, meta, files: png() });
    const before = await row(added.id);
    expect(existsSync(blobPath(before.blob_name))).toBe(true);

    const replaced = await t.call('vault:replaceDocument', { id: added.id, files: caf() });
    expect(replaced).toMatchObject({ id: added.id, pages: 2 });
    const after = await row(added.id);
    expect(after).toMatchObject({ type: 'attestation_caf', expires_on: '2027-03-31', title: 'Attestation de novembre', note: 'Copie lisible', pages: 2, deleted_at: null });
    expect(after.blob_name).not.toBe(before.blob_name);
    expect(after.wrapped_key).not.toBe(before.wrapped_key);
    // No copy of the old wrapped key left in any row (its sealed bytes, whatever the JSON around them).
    const sealed = before.wrapped_key.match(/[A-Za-z0-9+/_=-]{40,}/)![0];
    const cells = ((await db()('documents').select()) as Record<string, unknown>[]).flatMap((r) => Object.values(r).map(String));
    expect(cells.some((c) => c.includes(sealed))).toBe(false);
    expect(cells.some((c) => c.includes(after.wrapped_key.match(/[A-Za-z0-9+/_=-]{40,}/)![0]))).toBe(true);
    expect(existsSync(blobPath(before.blob_name))).toBe(false);
    expect(existsSync(blobPath(after.blob_name))).toBe(true);

    const read = await t.call('vault:readDocument', { id: added.id });
    expect(sha256(read.bytes)).toBe(replaced.sha256);
    expect(read.document.pages).toBe(2);
    expect((await t.call('vault:listDocuments', { personId: awa })).items).toHaveLength(1);
    expect(await audit('vault.replaced')).toEqual([expect.objectContaining({ targetId: added.id, actorName: 'admin', details: expect.objectContaining({ personId: awa, pages: 2, previousPages: 1 }) })]);
  });

  it('replace: a refused file changes nothing (old scan still readable, no audit entry)', async () => {
    const added = await t.call('vault:addDocument', { personId: awa, meta: { type: 'carte_identite' }, files: png() });
    const before = await row(added.id);
    const error = await caught(t.call('vault:replaceDocument', { id: added.id, files: [{ name: 'scan.pdf', bytes: new TextEncoder().encode('pas un PDF') }] }));
    expect(error).toMatchObject({ code: 'VALIDATION' });
    expect(error!.message).toContain('scan.pdf');
    expect(await row(added.id)).toEqual(before);
    expect(sha256((await t.call('vault:readDocument', { id: added.id })).bytes)).toBe(added.sha256);
    expect(await audit('vault.replaced')).toHaveLength(0);
  });

  it('replace keeps a narrower visibility: the new key is sealed to the same scope, title still sealed', async () => {
    const added = await t.call('vault:addDocument', { personId: awa, meta: { type: 'titre_sejour', title: 'Titre de Zoé', visibility: { kind: 'me' } }, files: png() });
    const before = await row(added.id);
    await t.call('vault:replaceDocument', { id: added.id, files: caf() });
    const after = await row(added.id);
    expect(after).toMatchObject({ title: null, wrapped_key: '', visibility: before.visibility });
    expect(after.key_wraps).not.toBe(before.key_wraps);
    expect(after.ciphertext).not.toBe(before.ciphertext);
    const listed = (await t.call('vault:listDocuments', { personId: awa })).items[0]!;
    expect(listed).toMatchObject({ title: 'Titre de Zoé', visibility: { kind: 'me' }, pages: 2 });
  });

  it('remove: tombstone without key, title or note; blob deleted; gone from lists and reads; audited', async () => {
    const added = await t.call('vault:addDocument', { personId: awa, meta: { type: 'passeport', title: 'Passeport malien', note: 'Original vu' }, files: png() });
    const kept = await t.call('vault:addDocument', { personId: awa, meta: { type: 'carte_vitale' }, files: png() });
    const before = await row(added.id);
    await t.call('vault:removeDocument', { id: added.id });
    const after = await row(added.id);
    expect(after.deleted_at).not.toBeNull();
    expect(after).toMatchObject({ wrapped_key: '', key_wraps: null, ciphertext: null, title: null, note: null });
    expect(existsSync(blobPath(before.blob_name))).toBe(false);
    expect((await t.call('vault:listDocuments', { personId: awa })).items.map((d) => d.id)).toEqual([kept.id]);
    expect(await caught(t.call('vault:readDocument', { id: added.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await caught(t.call('vault:removeDocument', { id: added.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await audit('vault.removed')).toEqual([expect.objectContaining({ targetId: added.id, details: { personId: awa, type: 'passeport', pages: 1 } })]);
    expect(JSON.stringify(await audit('vault.removed'))).not.toContain('Passeport malien');
  });

  it('who may: the writer or an administrator; others are refused in French; no documents.add, no change', async () => {
    await addUser(t, 'lea', 'reception');
    await addUser(t, 'tom', 'reception');
    await addUser(t, 'ines', 'treasurer');
    const byAdmin = await t.call('vault:addDocument', { personId: awa, meta: { type: 'carte_identite' }, files: png() });

    await switchTo(t, 'lea');
    const own = await t.call('vault:addDocument', { personId: awa, meta: { type: 'justificatif_domicile' }, files: png() });
    const refused = await caught(t.call('vault:removeDocument', { id: byAdmin.id }));
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused!.message).toContain('Seule la personne qui a ajouté cette pièce, ou un administrateur, peut la retirer');
    expect(await caught(t.call('vault:replaceDocument', { id: byAdmin.id, files: caf() }))).toMatchObject({ code: 'FORBIDDEN' });
    await t.call('vault:replaceDocument', { id: own.id, files: caf() });

    await switchTo(t, 'tom');
    expect(await caught(t.call('vault:removeDocument', { id: own.id }))).toMatchObject({ code: 'FORBIDDEN' });

    await switchTo(t, 'ines');
    await expectForbidden(t.call('vault:removeDocument', { id: own.id }), 'documents.add');

    await switchTo(t, 'admin');
    await t.call('vault:removeDocument', { id: own.id });
    expect((await t.call('vault:listDocuments', { personId: awa })).items.map((d) => d.id)).toEqual([byAdmin.id]);
    expect((await audit('vault.removed')).map((e) => e.actorName)).toEqual(['admin']);
    expect((await audit('vault.replaced')).map((e) => e.actorName)).toEqual(['lea']);
  });

  it('the exported file name names the person and the paper type', async () => {
    const added = await t.call('vault:addDocument', { personId: awa, meta: { type: 'carte_identite' }, files: png() });
    const read = await t.call('vault:readDocument', { id: added.id });
    expect(read.person).toEqual({ firstName: 'Awa', lastName: 'Diallo' });
    expect(read.fileName).toBe(`DIALLO_Awa_carte-identite_${localDayOf(read.document.createdAt)}.pdf`);
  });
});
