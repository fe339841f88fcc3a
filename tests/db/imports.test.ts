/**
 * People imports through the service (imports:preview / imports:run): line numbers as the file shows them,
 * the matching rules (same e-mail whatever its case; same names and birth date whatever their accents), fill-only
 * merging, and unreadable files refused with their name and nothing written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, newTestCore, type TestCore } from '../helpers/core';

const utf8 = (s: string) => new TextEncoder().encode(s);

async function importBytes(t: TestCore, fileName: string, bytes: Uint8Array, dryRun = false) {
  const preview = await t.call('imports:preview', { fileName, bytes });
  return t.call('imports:run', { fileName, bytes, columns: preview.columns, dryRun });
}
const importFixture = (t: TestCore, name: string, dryRun = false) => importBytes(t, name, fixture('imports', name), dryRun);

async function countRows(t: TestCore): Promise<{ people: number; changeLog: number }> {
  const db = t.core.session()!.ctx.db;
  const n = async (table: string) => Number(((await db(table).count({ n: '*' }).first()) as { n: number }).n);
  return { people: await n('people'), changeLog: await n('change_log') };
}

async function personBy(t: TestCore, query: string) {
  const found = await t.call('people:search', { query });
  expect(found.total, `exactly one person for « ${query} »`).toBe(1);
  return (await t.call('people:get', { id: found.items[0]!.id })).person;
}

describe('imports through the service', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('reports errors and warnings on the lines of the file (HelloAsso: a quoted newline moves later rows down)', async () => {
    const r = await importFixture(t, 'helloasso-paiements.csv');
    expect(r.errors.map((e) => e.line)).toEqual([6]);
    expect(r.warnings.map((w) => ({ line: w.line, field: w.field }))).toEqual([
      { line: 8, field: 'birthDate' },
      { line: 10, field: 'email' },
    ]);
    for (const issue of [...r.errors, ...r.warnings]) expect(issue.message).toMatch(new RegExp(`^Ligne ${issue.line} : `));
    expect(r.warnings[0]!.message).toContain('31/02/1980');
    expect(r.warnings[1]!.message).toContain('pas-une-adresse');
  });

  it('Paheko: the row whose name is only spaces is an error on line 6', async () => {
    const r = await importFixture(t, 'paheko-membres.csv');
    expect(r.errors.map((e) => e.line)).toEqual([6]);
    expect(r.warnings).toEqual([]);
    expect(r.imported).toBe(19);
    const joel = await personBy(t, 'joel.legall20@exemple.fr');
    expect({ first: joel.firstName, last: joel.lastName, birth: joel.birthDate, number: joel.memberNumber }).toEqual({ first: 'Joël', last: 'Le Gall', birth: '1950-04-23', number: '200' });
  });

  it('treasurer spreadsheet (Windows-1252): error on line 3; blank rows still count in line numbers', async () => {
    const r = await importFixture(t, 'tableur-tresorier.csv');
    expect(r.errors.map((e) => e.line)).toEqual([3]);
    expect(r.warnings).toEqual([]);
    expect(r.imported).toBe(12);
    // MARTIN Benoît is on line 16 of the file (after an empty row of separators and a blank line).
    const bytes = Buffer.from(fixture('imports', 'tableur-tresorier.csv'));
    const at = bytes.indexOf('19/02/1943');
    expect(at).toBeGreaterThan(0);
    bytes.write('31', at, 'latin1'); // still Windows-1252: only ASCII digits change
    const bad = await importBytes(t, 'tableur.csv', new Uint8Array(bytes));
    expect(bad.warnings.map((w) => ({ line: w.line, field: w.field }))).toEqual([{ line: 16, field: 'birthDate' }]);
  });

  it('HelloAsso then the spreadsheet: the same people are recognised and completed, never overwritten', async () => {
    await importFixture(t, 'helloasso-paiements.csv');
    const bernardBefore = await personBy(t, 'raphael.bernard0@exemple.fr');
    const r = await importFixture(t, 'tableur-tresorier.csv');
    // Yasmine Fontaine's HelloAsso row had no name (an error): she is the only new person.
    expect({ imported: r.imported, updated: r.updated, unchanged: r.unchanged }).toEqual({ imported: 1, updated: 11, unchanged: 0 });
    expect((await personBy(t, 'yasmine')).lastName).toBe('Fontaine');
    // Same e-mail: names keep their HelloAsso spelling (not BERNARD), the phone is filled in.
    const bernard = await personBy(t, 'raphael.bernard0@exemple.fr');
    expect(bernard.id).toBe(bernardBefore.id);
    expect({ first: bernard.firstName, last: bernard.lastName }).toEqual({ first: 'Raphaël', last: 'Bernard' });
    expect(bernardBefore.phone).toBeNull();
    expect(bernard.phone?.replace(/\D/g, '')).toBe('0610869000');
    // Same names and birth date (HelloAsso's e-mail was invalid): the e-mail is learnt.
    const bjorn = await personBy(t, 'bjorn.nguyen7@exemple.fr');
    expect({ first: bjorn.firstName, last: bjorn.lastName, birth: bjorn.birthDate }).toEqual({ first: 'Björn', last: 'Nguyen', birth: '1980-01-08' });
    // Same e-mail; HelloAsso's birth date (31/02) was left empty: the spreadsheet's fills it.
    expect((await personBy(t, 'raphael.girard5@exemple.fr')).birthDate).toBe('1955-02-17');
    // Same e-mail, BENOÎT/Benoît: one person.
    expect((await t.call('people:search', { query: 'ines benoit' })).total).toBe(1);
  });

  it('same e-mail in another case → the same person; empty fields filled, filled ones kept', async () => {
    const { id } = await t.call('people:create', {
      person: { firstName: 'Alicia', lastName: 'Martin-Durand', email: 'Alice.Martin@Exemple.FR', phone: '06 11 11 11 11', city: 'Paris' },
    });
    const csv = 'Nom;Prénom;Email;Téléphone;Code postal;Ville\r\nMARTIN;Alice;alice.martin@exemple.fr;07 99 99 99 99;69003;Lyon\r\n';
    const r = await importBytes(t, 'adherents.csv', utf8(csv));
    expect({ imported: r.imported, updated: r.updated, unchanged: r.unchanged, errors: r.errors }).toEqual({ imported: 0, updated: 1, unchanged: 0, errors: [] });
    const p = (await t.call('people:get', { id })).person;
    expect({ first: p.firstName, last: p.lastName, email: p.email, phone: p.phone, city: p.city, postalCode: p.postalCode }).toEqual({
      first: 'Alicia',
      last: 'Martin-Durand',
      email: 'Alice.Martin@Exemple.FR',
      phone: '06 11 11 11 11',
      city: 'Paris',
      postalCode: '69003',
    });
    expect((await t.call('people:search', { query: '' })).total).toBe(1);
    const again = await importBytes(t, 'adherents.csv', utf8(csv));
    expect({ imported: again.imported, updated: again.updated, unchanged: again.unchanged }).toEqual({ imported: 0, updated: 0, unchanged: 1 });
  });

  it('same names and birth date written with other accents and case → the same person', async () => {
    const { id } = await t.call('people:create', { person: { firstName: 'Hélène', lastName: 'Lefèvre', birthDate: '1980-05-01' } });
    const csv = 'Nom;Prénom;Date de naissance;Email;Ville\nLEFEVRE;helene;01/05/1980;helene.l@exemple.fr;Montreuil\nLefevre;Helene;02/05/1980;autre.helene@exemple.fr;\n';
    const r = await importBytes(t, 'liste.csv', utf8(csv));
    // The second row has another birth date: another person.
    expect({ imported: r.imported, updated: r.updated }).toEqual({ imported: 1, updated: 1 });
    const p = (await t.call('people:get', { id })).person;
    expect({ first: p.firstName, last: p.lastName, email: p.email, city: p.city, birth: p.birthDate }).toEqual({
      first: 'Hélène',
      last: 'Lefèvre',
      email: 'helene.l@exemple.fr',
      city: 'Montreuil',
      birth: '1980-05-01',
    });
    expect((await t.call('people:search', { query: 'lefevre' })).total).toBe(2);
  });

  it('a dry run reports the same counts and writes nothing (no person, no change-log entry)', async () => {
    const before = await countRows(t);
    const dry = await importFixture(t, 'paheko-membres.csv', true);
    expect(dry).toMatchObject({ dryRun: true, imported: 19 });
    expect(await countRows(t)).toEqual(before);
  });

  const unreadable: [string, () => Uint8Array][] = [
    ['an empty file', () => new Uint8Array(0)],
    ['garbage bytes', () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)],
    ['a PNG renamed .csv', () => fixture('scans', 'carte-identite-specimen.png')],
    ['a UTF-16 text', () => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Nom;Prénom\r\nMartin;Zoé\r\n', 'utf16le')]))],
    ['only blank lines', () => utf8(';;;\r\n\r\n   \r\n')],
  ];
  for (const [label, bytes] of unreadable) {
    it(`${label} → IMPORT_UNREADABLE naming the file; nothing written`, async () => {
      await t.call('people:create', { person: { firstName: 'Zoé', lastName: 'Bernard' } });
      const before = await countRows(t);
      const fileName = 'export-adherents-2026.csv';
      const preview = await t.call('imports:preview', { fileName, bytes: bytes() }).catch((e: Error & { code?: string }) => e);
      expect(preview).toMatchObject({ code: 'IMPORT_UNREADABLE' });
      expect((preview as Error).message).toContain(fileName);
      // Calling run directly (a client skipping the preview) is refused the same way.
      const run = await t.call('imports:run', { fileName, bytes: bytes(), columns: ['lastName', 'firstName'] }).catch((e: Error & { code?: string }) => e);
      expect(run).toMatchObject({ code: 'IMPORT_UNREADABLE' });
      expect((run as Error).message).toContain(fileName);
      expect(await countRows(t)).toEqual(before);
    });
  }
});
