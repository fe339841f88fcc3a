/**
 * normalizeRow skips zod's `personInput` when the draft it built is valid by construction (`alreadyValid`). These
 * tests hold that shortcut to `personInput.parse`: every person normalizeRecords returns — fixtures and random rows,
 * including over-long, blank, oddly spaced and invalid values — is a fixed point of `personInput.parse` (valid, and
 * exactly what zod would have returned), with the keys in personInput's order. Also checks the ASCII shortcuts of
 * the folding functions against their Unicode paths.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectShape, normalizeForMatch, normalizeRecords, readTable, suggestMapping } from '../../../main/services/imports';
import type { ImportField } from '../../../shared/domain/imports';
import { personInput } from '../../../shared/domain/person';
import { foldForSearch, memberNumberSearchText, personSearchText } from '../../../main/services/people/searchText';

const dir = path.resolve(process.cwd(), '../shared/fixtures/imports');
const TODAY = '2026-11-21';
const SCHEMA_KEYS = Object.keys(personInput.shape);

function expectFixedPoints(people: unknown[]): void {
  for (const p of people) {
    expect(personInput.parse(p)).toEqual(p);
    expect(Object.keys(p as object)).toEqual(SCHEMA_KEYS);
  }
}

describe('every imported person is what personInput.parse returns for it', () => {
  for (const name of ['helloasso-paiements.csv', 'paheko-membres.csv', 'tableur-tresorier.csv']) {
    it(name, () => {
      const table = readTable(name, readFileSync(path.join(dir, name)));
      const r = normalizeRecords(table, suggestMapping(table.headers, detectShape(table.headers)), { today: TODAY });
      expect(r.records.length).toBeGreaterThan(0);
      expectFixedPoints(r.records.map((x) => x.person));
    });
  }

  const FIELDS: ImportField[] = ['civility', 'lastName', 'firstName', 'fullNameLastFirst', 'birthDate', 'email', 'phone', 'phone2', 'addressLine', 'postalCode', 'city', 'country', 'memberNumber', 'membershipStart', 'membershipEnd', 'notes', 'amount', 'paymentDate'];
  const cell = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', '   ', '\t', 'M.', 'Mme', 'x', "D'ALMEIDA", 'Jean-Noël', 'ÉLODIE', 'œuvre', '31/02/1980', '12/05/1964', '1980-05-01', '01/01/2099', '5/6/64', 'a@b.fr', ' A@B.FR ', 'pas-une-adresse', 'a@b', '06 10 86 90 00', '+33 6 10 86 90 00', '612345678', '12', '1234', '75011', '15,00', 'France', 'Belgique', 'ligne 1\nligne 2', '  \n  '),
    fc.string({ minLength: 190, maxLength: 320 }),
    fc.string({ minLength: 9_990, maxLength: 10_020 }).map((s) => ` ${s} `),
    fc.array(fc.constantFrom('a', ' ', '\u00a0', '\n', 'É', 'x', '@', '.'), { maxLength: 60 }).map((a) => a.join('')),
  );

  it('random rows and mappings (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.constantFrom(...FIELDS), { nil: null }), { minLength: 1, maxLength: 8 }), fc.array(fc.array(cell, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 5 }), fc.subarray(['member', 'volunteer', 'beneficiary'] as const), (columns, rows, kinds) => {
        const table = { format: 'csv' as const, encoding: 'utf-8' as const, separator: ';' as const, headers: columns.map((_, i) => `c${i}`), rows: rows.map((cells, i) => ({ line: i + 2, cells: cells.slice(0, columns.length) })) };
        const r = normalizeRecords(table, columns, { today: TODAY, defaultKinds: [...kinds] });
        expectFixedPoints(r.records.map((x) => x.person));
      }),
      { numRuns: 400 },
    );
  });

  it('a value zod refuses still goes through zod (warning, field emptied)', () => {
    const long = 'x'.repeat(130);
    const table = { format: 'csv' as const, encoding: 'utf-8' as const, separator: ';' as const, headers: ['nom', 'ville'], rows: [{ line: 2, cells: ['Martin', long] }] };
    const r = normalizeRecords(table, ['lastName', 'city'], { today: TODAY });
    expect(r.records[0]?.person.city).toBeNull();
    expect(r.warnings.map((w) => [w.line, w.field])).toEqual([[2, 'city']]);
    expectFixedPoints(r.records.map((x) => x.person));
  });
});

describe('ASCII shortcuts of the folding functions', () => {
  const foldRef = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss').replace(/[^\p{L}\p{N}@.+_-]+/gu, ' ').trim();
  const matchRef = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss').replace(/[^\p{L}\p{N}]+/gu, '');
  it('give the same result as the Unicode path (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 40 }), fc.string({ maxLength: 40 })), (s) => {
        expect(foldForSearch(s)).toBe(foldRef(s));
        expect(normalizeForMatch(s)).toBe(matchRef(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('a person\'s search text folded part by part equals the whole line folded at once (property)', () => {
    const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('Hélène', 'LEFÈVRE', 'Œdipe', ' N\'Diaye ', 'Jean-Noël', ''));
    fc.assert(
      fc.property(text, text, fc.option(text, { nil: null }), fc.option(text, { nil: null }), (firstName, lastName, email, memberNumber) => {
        const p = personInput.parse({ firstName, lastName, memberNumber, phone: '06 12 34 56 78' });
        const whole = foldRef([p.firstName, p.lastName, email ?? '', '0612345678', ''].join(' '));
        expect(personSearchText({ ...p, email })).toBe(whole === '' ? '' : ` ${whole} `);
        expect(memberNumberSearchText(p.memberNumber)).toBe(foldRef(p.memberNumber ?? ''));
      }),
      { numRuns: 1000 },
    );
  });
});
