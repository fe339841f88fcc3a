import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixture, newTestCore, PASSWORD, type TestCore } from '../helpers/core';

const expected = JSON.parse(readFileSync(resolve(process.cwd(), '../shared/fixtures/imports/expected.json'), 'utf8')) as Record<string, { rows: number; imported: number; errors: number; warnings: number }> & {
  combined: { order: string[]; distinctPeople: number; searchHelene: number };
};

async function importFile(t: TestCore, name: string, dryRun = false) {
  const bytes = fixture('imports', name);
  const preview = await t.call('imports:preview', { fileName: name, bytes });
  return t.call('imports:run', { fileName: name, bytes, columns: preview.columns, dryRun });
}

describe('reception desk through the core', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('imports each fixture with the expected counts', async () => {
    for (const name of ['helloasso-paiements.csv', 'paheko-membres.csv', 'tableur-tresorier.csv']) {
      const fresh = await newTestCore();
      const r = await importFile(fresh, name);
      const e = expected[name]!;
      expect({ name, rows: r.rows, imported: r.imported + r.updated + r.unchanged, errors: r.errors.length, warnings: r.warnings.length }).toEqual({
        name,
        rows: e.rows,
        imported: e.imported,
        errors: e.errors,
        warnings: e.warnings,
      });
      await fresh.cleanup();
    }
  });

  it('imports the three files into the expected number of distinct people; re-import changes nothing', async () => {
    for (const name of expected.combined.order) await importFile(t, name);
    const all = await t.call('people:search', { query: '', limit: 500 });
    expect(all.total).toBe(expected.combined.distinctPeople);
    const helene = await t.call('people:search', { query: 'helene' });
    expect(helene.total).toBe(expected.combined.searchHelene);
    const again = await importFile(t, expected.combined.order[0]!);
    expect(again.imported).toBe(0);
    expect(again.updated).toBe(0);
    const after = await t.call('people:search', { query: '', limit: 500 });
    expect(after.total).toBe(expected.combined.distinctPeople);
  });

  it('dry run reports without writing', async () => {
    const r = await importFile(t, 'helloasso-paiements.csv', true);
    expect(r.imported).toBe(19);
    expect((await t.call('people:search', { query: '' })).total).toBe(0);
  });

  it('finds people case- and accent-insensitively by name, e-mail, phone and member number', async () => {
    const id = (
      await t.call('people:create', {
        person: { firstName: 'Hélène', lastName: 'Lefèvre', email: 'Helene.L@Exemple.fr', phone: '06 12 34 56 78', memberNumber: 'A-042', kinds: ['member'] },
      })
    ).id;
    await t.call('people:create', { person: { firstName: 'Marc', lastName: 'Durand' } });
    for (const q of ['helene', 'LEFEVRE', 'lefè', 'he', 'helene.l@exemple', '0612345678', '06 12 34', 'A-042', 'hélène lef']) {
      const r = await t.call('people:search', { query: q });
      expect({ q, ids: r.items.map((i) => i.id) }).toEqual({ q, ids: [id] });
    }
    expect((await t.call('people:search', { query: 'zzz' })).total).toBe(0);
  });

  it('warns of probable duplicates and archives without deleting', async () => {
    const { id } = await t.call('people:create', { person: { firstName: 'Inès', lastName: 'Benoît', birthDate: '1998-01-23' } });
    const dup = await t.call('people:findDuplicates', { person: { firstName: 'ines', lastName: 'BENOIT', birthDate: '1998-01-23' } });
    expect(dup.items.map((p) => p.id)).toEqual([id]);
    await t.call('people:archive', { id, archived: true });
    expect((await t.call('people:search', { query: 'benoit' })).total).toBe(0);
    expect((await t.call('people:search', { query: 'benoit', includeArchived: true })).total).toBe(1);
  });

  it('keeps papers and tasks across lock and unlock; a wrong password changes nothing', async () => {
    const { id } = await t.call('people:create', { person: { firstName: 'Hélène', lastName: 'Petit' } });
    const tif = await t.call('vault:addDocument', { personId: id, meta: { type: 'attestation_domiciliation' }, files: [{ name: 'attestation.tif', bytes: fixture('scans', 'attestation-domicile-2pages.tif') }] });
    expect(tif.pages).toBe(2);
    const card = await t.call('vault:addDocument', { personId: id, meta: { type: 'carte_identite', expiresOn: '2031-01-01' }, files: [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] });
    expect(card.pages).toBe(1);
    const session = await t.call('session:current', {});
    const { id: taskId } = await t.call('tasks:create', { task: { title: 'Rappeler la CAF', personId: id, assigneeId: session!.user.id, dueDate: '2020-01-01' } });
    await t.call('session:lock', {});
    await expect(t.call('people:search', { query: '' })).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(t.call('session:unlock', { dir: t.dir, userName: 'admin', password: 'wrong password!' })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    await expect(t.call('people:search', { query: '' })).rejects.toMatchObject({ code: 'LOCKED' });
    await t.call('session:unlock', { dir: t.dir, userName: 'ADMIN', password: PASSWORD });
    const docs = await t.call('vault:listDocuments', { personId: id });
    expect(docs.items.map((d) => d.type).sort()).toEqual(['attestation_domiciliation', 'carte_identite']);
    const read = await t.call('vault:readDocument', { id: tif.id });
    expect(new TextDecoder().decode(read.bytes.subarray(0, 5))).toBe('%PDF-');
    expect((await t.call('tasks:list', { view: 'overdue' })).items.map((x) => x.id)).toEqual([taskId]);
    expect((await t.call('tasks:list', { view: 'mine' })).items.map((x) => x.id)).toEqual([taskId]);
    await t.call('tasks:setStatus', { id: taskId, status: 'done' });
    expect((await t.call('tasks:list', { view: 'overdue' })).items).toEqual([]);
    expect((await t.call('vault:verify', {})).failed).toEqual([]);
  });
});
