/**
 * People under access rights (issue 3 §1) through the contract: a volunteer sees only the people of their groups and
 * not their restricted fields; a treasurer's save keeps the birth date they cannot see; member numbers are not
 * searchable without people.readMembership; every refusal is FORBIDDEN naming the permission; writes are audited
 * with field names only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, newTestCore, type TestCore } from '../helpers/core';
import { caught, addUser, expectForbidden, switchTo } from '../helpers/access';


describe('people under access rights', () => {
  let t: TestCore;
  let group: string;
  let awa: string;
  let marc: string;
  const db = () => t.core.session()!.ctx.db;

  beforeEach(async () => {
    t = await newTestCore();
    group = (await t.call('groups:create', { name: 'Antenne Nord' })).id;
    awa = (
      await t.call('people:create', {
        person: { firstName: 'Awa', lastName: 'Diallo', birthDate: '1990-04-02', memberNumber: 'A-042', membershipStart: '2026-01-01', notes: 'Hébergée chez sa sœur', kinds: ['member'] },
      })
    ).id;
    marc = (await t.call('people:create', { person: { firstName: 'Marc', lastName: 'Durand', birthDate: '1970-01-01' } })).id;
    await t.call('people:setGroups', { personId: awa, groupIds: [group] });
  });
  afterEach(async () => t.cleanup());

  it('a volunteer sees only the people of their groups, without details or membership', async () => {
    await addUser(t, 'vera', 'volunteer', [group]);
    await switchTo(t, 'vera');
    const all = await t.call('people:search', { query: '' });
    expect(all.items.map((p) => p.id)).toEqual([awa]);
    expect(all.items[0]).toMatchObject({ firstName: 'Awa', birthDate: null, memberNumber: null });
    expect((await t.call('people:search', { query: 'durand' })).total).toBe(0);
    const { person, household } = await t.call('people:get', { id: awa });
    expect(person).toMatchObject({ firstName: 'Awa', birthDate: null, notes: null, memberNumber: null, membershipStart: null, hiddenFields: ['details', 'membership'] });
    expect(household).toBeNull();
    expect(await caught(t.call('people:get', { id: marc }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.call('people:findDuplicates', { person: { firstName: 'Marc', lastName: 'Durand' } })).items).toEqual([]);
    expect((await t.call('households:list', {})).items).toEqual([]);
    // No write, no archive, no import, no household.
    await expectForbidden(t.call('people:create', { person: { firstName: 'Nouvelle', lastName: 'Personne' } }), 'people.write');
    await expectForbidden(t.call('people:update', { id: awa, person: { firstName: 'Awa', lastName: 'D.' } }), 'people.write');
    await expectForbidden(t.call('people:archive', { id: awa, archived: true }), 'people.archive');
    await expectForbidden(t.call('households:create', { name: 'Famille Diallo', memberIds: [awa] }), 'people.write');
    const bytes = fixture('imports', 'helloasso-paiements.csv');
    await expectForbidden(t.call('imports:preview', { fileName: 'helloasso-paiements.csv', bytes }), 'people.import');
    await expectForbidden(t.call('imports:run', { fileName: 'helloasso-paiements.csv', bytes, columns: [] }), 'people.import');
  });

  it('a volunteer of no group sees nobody; a role without people.read(Groups) is refused', async () => {
    await addUser(t, 'solo', 'volunteer');
    await t.call('roles:save', { id: 'taches', name: 'Tâches seulement', permissions: ['tasks.read'] });
    await addUser(t, 'tom', 'taches');
    await switchTo(t, 'solo');
    expect((await t.call('people:search', { query: '' })).items).toEqual([]);
    expect(await caught(t.call('people:get', { id: awa }))).toMatchObject({ code: 'NOT_FOUND' });
    await switchTo(t, 'tom');
    await expectForbidden(t.call('people:search', { query: '' }), 'people.read');
    await expectForbidden(t.call('people:get', { id: awa }), 'people.read');
    await expectForbidden(t.call('people:findDuplicates', { person: { firstName: 'Awa' } }), 'people.read');
    await expectForbidden(t.call('households:list', {}), 'people.read');
  });

  it("a treasurer's save keeps the birth date, household and notes they cannot see; their create leaves them empty", async () => {
    const household = (await t.call('households:create', { name: 'Famille Diallo', memberIds: [awa] })).id;
    await addUser(t, 'tresor', 'treasurer');
    await switchTo(t, 'tresor');
    const { person } = await t.call('people:get', { id: awa });
    expect(person).toMatchObject({ birthDate: null, notes: null, householdId: null, memberNumber: 'A-042', hiddenFields: ['details'] });
    // The form sends back what it shows: hidden fields null; the treasurer changes the membership end.
    const { id: _id, archivedAt: _a, createdAt: _c, updatedAt: _u, hiddenFields: _h, ...input } = person;
    await t.call('people:update', { id: awa, person: { ...input, membershipEnd: '2026-12-31', birthDate: '2000-01-01' } });
    const created = (await t.call('people:create', { person: { firstName: 'Léa', lastName: 'Roux', birthDate: '2001-02-03', notes: 'écrit sans pouvoir lire', memberNumber: 'B-7' } })).id;
    await expectForbidden(t.call('households:create', { name: 'Famille Roux', memberIds: [created] }), 'people.readDetails');
    await switchTo(t, 'admin');
    expect((await t.call('people:get', { id: awa })).person).toMatchObject({ birthDate: '1990-04-02', notes: 'Hébergée chez sa sœur', householdId: household, membershipEnd: '2026-12-31', hiddenFields: [] });
    expect((await t.call('people:get', { id: created })).person).toMatchObject({ birthDate: null, notes: null, memberNumber: 'B-7' });
    const updates = (await t.call('audit:list', { action: 'person.update', targetId: awa })).items;
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ actorName: 'tresor', details: { fields: ['membershipEnd'] } });
    expect(JSON.stringify(updates[0])).not.toContain('2026-12-31');
  });

  it('member numbers are neither shown nor searchable without people.readMembership', async () => {
    await addUser(t, 'accueil', 'reception');
    for (const q of ['A-042', '042', 'a-04', 'awa 042', 'diallo a-', 'diallo 04']) expect((await t.call('people:search', { query: q })).items.map((p) => p.id)).toEqual([awa]);
    await switchTo(t, 'accueil');
    for (const q of ['A-042', '042', 'a-04', 'awa 042']) expect({ q, total: (await t.call('people:search', { query: q })).total }).toEqual({ q, total: 0 });
    const found = await t.call('people:search', { query: 'awa' });
    expect(found.items.map((p) => p.id)).toEqual([awa]);
    expect(found.items[0]).toMatchObject({ memberNumber: null, birthDate: '1990-04-02' });
    // The member number has its own column, searched only with the permission; search_text never holds it.
    expect(await db()('people').where({ id: awa }).first('search_text', 'member_search')).toEqual({ search_text: ' awa diallo 1990-04-02 ', member_search: 'a-042' });
    // '42' is in the member number only ('04' would find her birth date, which the reception may see).
    for (const q of ['a', 'a-', '42']) expect((await t.call('people:search', { query: `diallo ${q}` })).total).toBe(q === 'a' ? 1 : 0);
  });

  it("a treasurer's import ignores the columns of details (birth dates) and is audited with counts", async () => {
    await addUser(t, 'tresor', 'treasurer');
    await switchTo(t, 'tresor');
    const fileName = 'paheko-membres.csv';
    const bytes = fixture('imports', fileName);
    const preview = await t.call('imports:preview', { fileName, bytes });
    expect(preview.columns).toContain('birthDate');
    const report = await t.call('imports:run', { fileName, bytes, columns: preview.columns });
    expect(report.imported).toBeGreaterThan(0);
    await switchTo(t, 'admin');
    const born = (await db()('people').whereNotNull('birth_date').pluck('id')) as string[];
    expect(born.sort()).toEqual([awa, marc].sort());
    const [entry] = (await t.call('audit:list', { action: 'import.run' })).items;
    expect(entry).toMatchObject({ actorName: 'tresor', details: { rows: report.rows, imported: report.imported, updated: report.updated, ignoredFieldSets: ['details'] } });
  });

  it('creations, changes, archiving and households are in the audit trail, with ids and field names only', async () => {
    await t.call('people:update', { id: marc, person: { firstName: 'Marc', lastName: 'Durand-Petit', birthDate: '1970-01-01', phone: '06 11 22 33 44' } });
    await t.call('people:archive', { id: marc, archived: true });
    const hh = (await t.call('households:create', { name: 'Famille Diallo', memberIds: [awa] })).id;
    const entries = (await t.call('audit:list', { limit: 100 })).items;
    const of = (action: string, targetId: string) => entries.filter((e) => e.action === action && e.targetId === targetId);
    expect(of('person.create', awa)).toHaveLength(1);
    expect(of('person.create', marc)).toHaveLength(1);
    expect(of('person.update', marc)[0]?.details).toEqual({ fields: ['lastName', 'phone'] });
    expect(of('person.archive', marc)[0]?.details).toEqual({ archived: true });
    expect(of('household.create', hh)[0]?.details).toEqual({ memberIds: [awa] });
    expect(JSON.stringify(entries)).not.toMatch(/Durand-Petit|06 11|0611/);
    expect((await t.call('audit:verify', {})).ok).toBe(true);
  });
});
