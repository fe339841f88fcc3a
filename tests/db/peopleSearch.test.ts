/**
 * People search (docs/architecture.md "Search"): birth dates typed the French way or ISO, whole words before
 * word starts before anywhere inside, names within one typo last, and typos never loose enough to bring anyone else
 * (`martin` never brings MARIE). Both plans: all matches ranked (≤ SEARCH_TOTAL_CAP) and the ranked walk (more).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../main/db/migrations';
import { Mutator } from '../../main/db/mutations';
import { PeopleRepository, personToRow, type PeopleReader } from '../../main/db/repositories/people';
import { SEARCH_TOTAL_CAP } from '../../main/db/repositories/peopleSearch';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { personInput } from '../../shared/domain/person';
import { tempDir } from '../helpers/core';

const NOW = '2026-12-06T09:00:00.000Z';
const PEOPLE: [string, string, string | null, string | null][] = [
  // [first name, last name, birth date, member number]
  ['Awa', 'DIALLO', '1944-12-09', 'ADH-000042'],
  ['Mamadou', 'Diallo', '1961-03-15', null],
  ['Hans', 'MÜLLER', '1944-02-01', null],
  ['Greta', 'Muller', null, null],
  ['Marie', 'Martin', '1980-05-01', null],
  ['Jean', 'Martin', '1944-07-30', null],
  ['Martine', 'Roux', '1975-01-20', null],
  ['Paul', 'Martinez', '1990-09-12', null],
  ['Marie', 'Curie', '1867-11-07', null],
  ['Léa', 'Lemartin', null, null],
  ['Yann', 'Dupont', '2001-12-09', null],
  ['Yves', 'Dupond', '1950-10-10', null],
  ['Odile', 'Pierre', '1944-12-19', null],
];

let root: string;
let db: Knex;
let ids: Map<string, string>;
const RECEPTION: PeopleReader = { scope: () => true, searchMemberNumbers: false };
/** "First LAST" of each person found, in rank order. */
const found = async (q: string, reader?: PeopleReader) => (await new PeopleRepository(db, reader).search(q, 50, false)).items.map((p) => `${p.firstName} ${p.lastName}`);

beforeAll(async () => {
  root = tempDir('solidariciel-search-');
  db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
  await migrate(db);
  const mutator = new Mutator(db, new HybridLogicalClock('device-test', () => Date.parse(NOW)), { now: () => new Date(NOW) });
  const rows = PEOPLE.map(([firstName, lastName, birthDate, memberNumber]) => personToRow(personInput.parse({ firstName, lastName, birthDate, memberNumber, kinds: ['member'] })));
  const inserted = await mutator.insert('people', rows);
  ids = new Map(PEOPLE.map(([f, l], i) => [`${f} ${l}`, inserted[i]!]));
});

afterAll(async () => {
  await db.destroy();
  rmSync(root, { recursive: true, force: true });
});

describe('people search: birth dates', () => {
  it('finds a birth date typed 09/12/1944, 9/12/1944, 09.12.1944 or 1944-12-09, and no one born another day', async () => {
    for (const q of ['09/12/1944', '9/12/1944', '09.12.1944', '09-12-1944', '1944-12-09']) expect(await found(q), q).toEqual(['Awa DIALLO']);
    expect(await found('10/12/1944')).toEqual([]);
    expect(await found('31/02/1944')).toEqual([]);
  });

  it('finds a year, a month and year, a day and month; with a name too', async () => {
    expect(await found('1944')).toEqual(['Awa DIALLO', 'Jean Martin', 'Hans MÜLLER', 'Odile Pierre']);
    expect(await found('12/1944')).toEqual(['Awa DIALLO', 'Odile Pierre']);
    expect(await found('09/12')).toEqual(['Awa DIALLO', 'Yann Dupont']);
    expect(await found('diallo 09/12/1944')).toEqual(['Awa DIALLO']);
    expect(await found('martin 1944')).toEqual(['Jean Martin']);
  });
});

describe('people search: ranking', () => {
  it('whole words first, then word starts, then anywhere inside', async () => {
    // Martin (whole word) › Martine, Martinez (word start) › Lemartin (inside); each rank in list order.
    expect(await found('martin')).toEqual(['Jean Martin', 'Marie Martin', 'Paul Martinez', 'Martine Roux', 'Léa Lemartin']);
    expect(await found('mar')).toEqual(['Marie Curie', 'Jean Martin', 'Marie Martin', 'Paul Martinez', 'Martine Roux', 'Léa Lemartin']);
  });

  it('every term must match; the weakest term sets the rank', async () => {
    expect(await found('marie martin')).toEqual(['Marie Martin']);
    expect(await found('mar mart')).toEqual(['Jean Martin', 'Marie Martin', 'Paul Martinez', 'Martine Roux', 'Léa Lemartin']);
  });
});

describe('people search: typos', () => {
  it('one letter missing, added, wrong or two swapped finds the name, after the exact matches', async () => {
    expect(await found('dialo')).toEqual(['Awa DIALLO', 'Mamadou Diallo']); // one missing
    expect(await found('diallou')).toEqual(['Awa DIALLO', 'Mamadou Diallo']); // one added
    expect(await found('dizllo')).toEqual(['Awa DIALLO', 'Mamadou Diallo']); // one wrong
    expect(await found('daillo')).toEqual(['Awa DIALLO', 'Mamadou Diallo']); // two swapped
    expect(await found('dialol')).toEqual(['Awa DIALLO', 'Mamadou Diallo']); // two swapped at the end
    expect(await found('ixallo')).toEqual([]); // two edits
  });

  it('mueller finds MÜLLER and Muller (ü folds to u: one letter more), muller finds them exactly', async () => {
    expect(await found('mueller')).toEqual(['Greta Muller', 'Hans MÜLLER']);
    expect(await found('muller')).toEqual(['Greta Muller', 'Hans MÜLLER']);
    expect(await found('müller')).toEqual(['Greta Muller', 'Hans MÜLLER']);
    expect(await found('hans mueller')).toEqual(['Hans MÜLLER']);
  });

  it('four-letter terms: a swap of the middle letters too; a typo with another term', async () => {
    expect(await found('paul')).toEqual(['Paul Martinez']);
    expect(await found('pual')).toEqual(['Paul Martinez']);
    expect(await found('mamadou dialo')).toEqual(['Mamadou Diallo']);
    expect(await found('awa dialo')).toEqual(['Awa DIALLO']);
  });

  it('typo matches come after exact ones: dupont finds DUPONT, then Dupond', async () => {
    expect(await found('dupont')).toEqual(['Yann Dupont', 'Yves Dupond']);
    expect(await found('dupond')).toEqual(['Yves Dupond', 'Yann Dupont']);
  });

  it('is not loose: martin never brings marie, short words and numbers get no typo', async () => {
    expect(await found('martin')).not.toContain('Marie Curie');
    expect(await found('marie')).toEqual(['Marie Curie', 'Marie Martin']);
    expect(await found('mari')).toEqual(['Marie Curie', 'Marie Martin']);
    expect(await found('jan')).toEqual([]); // three letters: no typo (Jean, Yann are one edit away)
    expect(await found('roix')).toEqual(['Martine Roux']);
    expect(await found('ux')).toEqual(['Martine Roux']);
    expect(await found('xyzw')).toEqual([]);
    expect(await found('1945')).toEqual([]);
  });
});

describe('people search: readers and large results', () => {
  it('member numbers only with people.readMembership; typos never reach them', async () => {
    expect(await found('ADH-000042')).toEqual(['Awa DIALLO']);
    expect(await found('ADH-000042', RECEPTION)).toEqual([]);
    expect(await found('dialo', RECEPTION)).toEqual(['Awa DIALLO', 'Mamadou Diallo']);
    expect(await found('09/12/1944', RECEPTION)).toEqual(['Awa DIALLO']);
  });

  it('more than SEARCH_TOTAL_CAP matches: whole words still first, the total capped, pages continue', async () => {
    const mutator = new Mutator(db, new HybridLogicalClock('device-test', () => Date.parse(NOW)), { now: () => new Date(NOW) });
    const many = Array.from({ length: SEARCH_TOTAL_CAP + 50 }, (_, i) => personToRow(personInput.parse({ firstName: `Abel${String(i).padStart(4, '0')}`, lastName: 'Aarons', kinds: [] })));
    const added = await mutator.insert('people', many);
    try {
      const repo = new PeopleRepository(db);
      const page = await repo.search('ab', 20, false);
      expect(page.totalCapped).toBe(true);
      expect(page.total).toBe(SEARCH_TOTAL_CAP);
      expect(page.items.map((p) => p.firstName)).toEqual(Array.from({ length: 20 }, (_, i) => `Abel${String(i).padStart(4, '0')}`));
      // `aarons` is a whole word of all of them, `abel0001` of one: it comes first although others sort before it.
      const one = await repo.search('aarons abel0001', 5, false);
      expect(one.items.map((p) => p.firstName)).toEqual(['Abel0001']);
      const next = await repo.search('ab', 20, false, 20);
      expect(next.items[0]!.firstName).toBe('Abel0020');
      const martin = await repo.search('martin', 50, false);
      expect(martin.items.map((p) => p.lastName)).toEqual(['Martin', 'Martin', 'Martinez', 'Roux', 'Lemartin']);
      expect(ids.size).toBe(PEOPLE.length);
    } finally {
      await db('people').whereIn('id', added).delete();
    }
  });
});
