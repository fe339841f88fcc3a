/**
 * The import preview shows what changes (docs/ui.md « Import wizard »): each person already stored that the file
 * completes, field by field before → after; a person the user unticks is left exactly as stored, the rows matching
 * them create nobody, and the report says they were left out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personChanges } from '../../main/services/imports';
import { personInput } from '../../shared/domain/person';
import { fixture, newTestCore, type TestCore } from '../helpers/core';

async function importFile(t: TestCore, name: string, dryRun: boolean, excludePersonIds: string[] = []) {
  const bytes = fixture('imports', name);
  const preview = await t.call('imports:preview', { fileName: name, bytes });
  return t.call('imports:run', { fileName: name, bytes, columns: preview.columns, dryRun, excludePersonIds });
}

async function idOf(t: TestCore, query: string): Promise<string> {
  const found = await t.call('people:search', { query });
  expect(found.total, `exactly one person for « ${query} »`).toBe(1);
  return found.items[0]!.id;
}

describe('personChanges', () => {
  it('lists only the fields that differ, in field order, empty text as null, kinds as lists', () => {
    const before = personInput.parse({ firstName: 'Awa', lastName: 'Diallo', city: '  ', kinds: ['member'] });
    const after = personInput.parse({ firstName: 'Awa', lastName: 'Diallo', city: 'Lyon', phone: '06 12 34 56 78', kinds: ['member', 'volunteer'] });
    expect(personChanges(before, after)).toEqual([
      { field: 'phone', before: null, after: '06 12 34 56 78' },
      { field: 'city', before: null, after: 'Lyon' },
      { field: 'kinds', before: ['member'], after: ['member', 'volunteer'] },
    ]);
    expect(personChanges(after, after)).toEqual([]);
  });
});

describe('import preview of updates', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
    await importFile(t, 'helloasso-paiements.csv', false);
  });
  afterEach(async () => t.cleanup());

  it('the dry run lists each known person completed, with each field before → after, and writes nothing', async () => {
    const bernardId = await idOf(t, 'raphael.bernard0@exemple.fr');
    const dry = await importFile(t, 'tableur-tresorier.csv', true);
    expect({ updated: dry.updated, excluded: dry.excluded, listed: dry.updates.length }).toEqual({ updated: 11, excluded: 0, listed: 11 });
    const bernard = dry.updates.find((u) => u.personId === bernardId)!;
    expect({ first: bernard.firstName, last: bernard.lastName, line: bernard.line, excluded: bernard.excluded }).toEqual({ first: 'Raphaël', last: 'Bernard', line: 2, excluded: false });
    const phone = bernard.changes.find((c) => c.field === 'phone')!;
    expect(phone.before).toBeNull();
    expect(String(phone.after).replace(/\D/g, '')).toBe('0610869000');
    // Fill-only: a change never replaces a stored value.
    for (const u of dry.updates) for (const c of u.changes) if (c.field !== 'kinds') expect(c.before, `${u.lastName} ${c.field}`).toBeNull();
    // Listed in file order.
    const lines = dry.updates.map((u) => u.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect((await t.call('people:get', { id: bernardId })).person.phone).toBeNull();
  });

  it('an unticked person is not updated; the others are; the report says who was left out', async () => {
    const bernardId = await idOf(t, 'raphael.bernard0@exemple.fr');
    const girardId = await idOf(t, 'raphael.girard5@exemple.fr');
    const peopleBefore = (await t.call('people:search', { query: '' })).total;
    const r = await importFile(t, 'tableur-tresorier.csv', false, [bernardId]);
    expect({ imported: r.imported, updated: r.updated, excluded: r.excluded }).toEqual({ imported: 1, updated: 10, excluded: 1 });
    expect(r.updates.filter((u) => u.excluded).map((u) => u.personId)).toEqual([bernardId]);
    // Bernard stays as stored (and no duplicate of him was created); Girard gained the birth date.
    expect((await t.call('people:get', { id: bernardId })).person.phone).toBeNull();
    expect((await t.call('people:get', { id: girardId })).person.birthDate).toBe('1955-02-17');
    expect((await t.call('people:search', { query: '' })).total).toBe(peopleBefore + 1);
    expect((await t.call('people:search', { query: 'raphael bernard' })).total).toBe(1);
    // The same file again: only Bernard is still to complete.
    const again = await importFile(t, 'tableur-tresorier.csv', true);
    expect(again.updates.map((u) => u.personId)).toEqual([bernardId]);
  });
});
