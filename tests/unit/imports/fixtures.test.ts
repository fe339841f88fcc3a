import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectShape, isSamePerson, mergeFill, normalizeRecords, readTable, suggestMapping } from '../../../main/services/imports';
import type { NormalizeResult } from '../../../main/services/imports';
import type { PersonInput } from '../../../shared/domain/person';

const dir = path.resolve(process.cwd(), '../shared/fixtures/imports');
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<
  string,
  { rows: number; imported: number; errors: number; warnings: number }
> & { combined: { order: string[]; distinctPeople: number; searchHelene: number } };
const TODAY = '2026-11-21';

function importFile(name: string): NormalizeResult & { shape: string } {
  const table = readTable(name, readFileSync(path.join(dir, name)));
  const shape = detectShape(table.headers);
  return { shape, ...normalizeRecords(table, suggestMapping(table.headers, shape), { today: TODAY }) };
}

describe('fixtures give the expected counts', () => {
  for (const name of ['helloasso-paiements.csv', 'paheko-membres.csv', 'tableur-tresorier.csv']) {
    it(name, () => {
      const want = expected[name];
      const got = importFile(name);
      expect({ rows: got.rows, imported: got.records.length, errors: got.errors.length, warnings: got.warnings.length }).toEqual(want);
    });
  }
});

describe('helloasso-paiements.csv', () => {
  const r = importFile('helloasso-paiements.csv');
  it('is recognised and reports the exact lines', () => {
    expect(r.shape).toBe('helloasso');
    expect(r.errors).toEqual([{ line: 6, message: 'Ligne 6 : nom et prénom absents, ligne ignorée.' }]);
    expect(r.warnings.map((w) => [w.line, w.field])).toEqual([
      [8, 'birthDate'],
      [10, 'email'],
    ]);
    expect(r.warnings[0]?.message).toContain('31/02/1980');
  });
  it('numbers records after the quoted multi-line comment one line further down', () => {
    const lines = r.records.map((x) => x.line);
    expect(lines.slice(0, 4)).toEqual([2, 3, 4, 7]);
    expect(lines.at(-1)).toBe(22);
    const multi = r.records.find((x) => x.line === 4);
    expect(multi?.person.notes).toBe('Famille de 4 ; garde alternée\n"urgent" logement');
  });
  it('keeps the payer, the payment and empties the invalid values', () => {
    const first = r.records[0];
    expect(first?.person).toMatchObject({ lastName: 'Bernard', firstName: 'Raphaël', birthDate: '2004-09-15', country: 'France', kinds: ['member'] });
    expect(first?.payment).toEqual({ date: '2026-09-15', amountCents: 1500 });
    expect(r.records.find((x) => x.line === 8)?.person).toMatchObject({ lastName: 'Girard', birthDate: null });
    expect(r.records.find((x) => x.line === 10)?.person).toMatchObject({ firstName: 'Björn', email: null });
    expect(r.records.find((x) => x.line === 4)?.payment?.amountCents).toBe(550);
  });
});

describe('paheko-membres.csv', () => {
  const r = importFile('paheko-membres.csv');
  it('splits the "Nom & prénom" column and rejects the blank name on line 6', () => {
    expect(r.shape).toBe('paheko');
    expect(r.errors.map((e) => e.line)).toEqual([6]);
    const byNumber = new Map(r.records.map((x) => [x.person.memberNumber, x.person]));
    expect(byNumber.get('200')).toMatchObject({ lastName: 'Le Gall', firstName: 'Joël', phone: '06 30 74 49 20', membershipStart: '2025-04-23' });
    expect(byNumber.get('202')).toMatchObject({ lastName: 'Rousseau', firstName: 'Jean-Noël' });
    expect(byNumber.get('213')).toMatchObject({ lastName: 'Müller', firstName: 'Côme' });
    expect(byNumber.get('215')).toMatchObject({ lastName: 'Ben Salah', firstName: 'Agnès', birthDate: '1952-06-09' });
    expect(r.records.every((x) => x.payment === null)).toBe(true);
  });
});

describe('tableur-tresorier.csv', () => {
  const r = importFile('tableur-tresorier.csv');
  it('skips blank rows but keeps their lines, and rejects the nameless line 3', () => {
    expect(r.shape).toBe('spreadsheet');
    expect(r.errors.map((e) => e.line)).toEqual([3]);
    expect(r.records.map((x) => x.line)).toEqual([2, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 16]);
  });
  it('normalises names, dates in three styles, phones, amounts and Windows-1252 text', () => {
    const at = (line: number) => r.records.find((x) => x.line === line);
    expect(at(2)?.person).toMatchObject({ lastName: 'Bernard', phone: '06 10 86 90 00', notes: 'Bénévole très présent ? cœur sur la main’' });
    expect(at(2)?.payment).toEqual({ date: null, amountCents: 1500 });
    expect(at(4)?.person).toMatchObject({ lastName: 'Benoît', birthDate: '1998-01-23' });
    expect(at(6)?.person.birthDate).toBe('1970-07-12');
    expect(at(9)?.person.notes).toBe('a rappeler…');
    expect(at(14)?.person.birthDate).toBe('2003-04-07');
  });
});

describe('combined import (matching keys + mergeFill, as the database step will do)', () => {
  it('gives the expected number of distinct people', () => {
    const people: PersonInput[] = [];
    for (const name of expected.combined.order) {
      for (const { person } of importFile(name).records) {
        const i = people.findIndex((p) => isSamePerson(p, person));
        if (i < 0) people.push(person);
        else people[i] = mergeFill(people[i] as PersonInput, person).merged;
      }
    }
    expect(people).toHaveLength(expected.combined.distinctPeople);
    expect(people.filter((p) => /h[eé]l[eè]ne/i.test(p.firstName))).toHaveLength(expected.combined.searchHelene);
    // Björn Nguyen: invalid e-mail in HelloAsso, matched by name + birth date, e-mail filled from the spreadsheet.
    expect(people.find((p) => p.firstName === 'Björn' && p.lastName === 'Nguyen')?.email).toBe('bjorn.nguyen7@exemple.fr');
  });
});
