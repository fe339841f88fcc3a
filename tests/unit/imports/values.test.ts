import { describe, expect, it } from 'vitest';
import {
  cleanName,
  normalizeEmail,
  normalizePhone,
  normalizePostalCode,
  parseAmountCents,
  parseCivility,
  parseFrenchDate,
  splitFullNameLastFirst,
} from '../../../main/services/imports';

const TODAY = '2026-11-21';
const birth = (s: string, today = TODAY) => parseFrenchDate(s, 'birth', today);
const event = (s: string, today = TODAY) => parseFrenchDate(s, 'event', today);

describe('parseFrenchDate', () => {
  it('reads the three French styles, with or without a time', () => {
    expect(birth('03/01/1964')).toEqual({ ok: true, value: '1964-01-03' });
    expect(birth('1998-01-23')).toEqual({ ok: true, value: '1998-01-23' });
    expect(event('15/09/2026 18:23:00')).toEqual({ ok: true, value: '2026-09-15' });
    expect(event('15/09/2026 18:23')).toEqual({ ok: true, value: '2026-09-15' });
    expect(event('2026-09-15T18:23:00Z')).toEqual({ ok: true, value: '2026-09-15' });
    expect(birth('5/9/1980')).toEqual({ ok: true, value: '1980-09-05' });
    expect(birth('  ')).toEqual({ ok: true, value: null });
  });
  it('refuses impossible dates and other text', () => {
    for (const s of ['31/02/1980', '29/02/2023', '00/01/2000', '12/13/2000', '2026-02-30', '15/09/2026 25:00', 'hier', '15/09', '1980']) {
      expect(birth(s), s).toEqual({ ok: false });
    }
    expect(birth('29/02/2024')).toEqual({ ok: true, value: '2024-02-29' });
  });
  it('never puts a two-digit birth year in the future', () => {
    expect(birth('03/01/64').ok && birth('03/01/64')).toEqual({ ok: true, value: '1964-01-03' });
    expect(birth('12/07/70')).toEqual({ ok: true, value: '1970-07-12' });
    expect(birth('05/05/20')).toEqual({ ok: true, value: '2020-05-05' });
    expect(birth('05/05/20', '2020-05-04')).toEqual({ ok: true, value: '1920-05-05' });
    expect(birth('05/05/20', '2020-05-05')).toEqual({ ok: true, value: '2020-05-05' });
    expect(birth('21/11/26')).toEqual({ ok: true, value: '2026-11-21' });
    expect(birth('22/11/26')).toEqual({ ok: true, value: '1926-11-22' });
    expect(birth('01/01/00')).toEqual({ ok: true, value: '2000-01-01' });
  });
  it('puts two-digit membership and payment years in the century closest to today', () => {
    expect(event('01/09/26')).toEqual({ ok: true, value: '2026-09-01' });
    expect(event('01/09/99')).toEqual({ ok: true, value: '1999-09-01' });
    expect(event('01/09/27')).toEqual({ ok: true, value: '2027-09-01' });
    expect(event('01/01/80', '2026-01-01')).toEqual({ ok: true, value: '1980-01-01' });
    expect(event('01/01/69', '2020-01-01')).toEqual({ ok: true, value: '2069-01-01' });
    expect(event('01/01/71', '2020-01-01')).toEqual({ ok: true, value: '1971-01-01' });
  });
});

describe('parseAmountCents', () => {
  it.each([
    ['15,00', 1500],
    ['15.00', 1500],
    ['15,5', 1550],
    ['15', 1500],
    ['15,00 €', 1500],
    ['€ 15', 1500],
    ['1 234,50', 123450],
    ['1\u00a0234,50 €', 123450],
    ['1\u202f234,50', 123450],
    ['1.234,50', 123450],
    ['1,234.50', 123450],
    ['1 000 000', 100000000],
    ['1.234.567', 123456700],
    ['0,07', 7],
    ['-5,50', -550],
    ['20 EUR', 2000],
  ])('%s → %i cents', (input, cents) => {
    expect(parseAmountCents(input)).toEqual({ ok: true, value: cents });
  });
  it('refuses what is not one amount', () => {
    for (const s of ['quinze', '15,005', '1.234', '1,2,3', '12.5.3', '15 ou 20', '1.23,4,5']) expect(parseAmountCents(s), s).toEqual({ ok: false });
    expect(parseAmountCents(' ')).toEqual({ ok: true, value: null });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['06.10.86.90.00', '06 10 86 90 00'],
    ['0610869000', '06 10 86 90 00'],
    ['06-10-86-90-00', '06 10 86 90 00'],
    [' 06 10 86 90 00 ', '06 10 86 90 00'],
    ['610869000', '06 10 86 90 00'],
    ['+33 6 10 86 90 00', '+33 6 10 86 90 00'],
    ['+33 (0)6 10 86 90 00', '+33 6 10 86 90 00'],
    ['0033610869000', '+33 6 10 86 90 00'],
    ['+32 470 12 34 56', '+32470123456'],
  ])('%s → %s', (input, out) => {
    expect(normalizePhone(input)).toEqual({ ok: true, value: out });
  });
  it('refuses text and too short numbers', () => {
    expect(normalizePhone('voir mail')).toEqual({ ok: false });
    expect(normalizePhone('123')).toEqual({ ok: false });
    expect(normalizePhone('')).toEqual({ ok: true, value: null });
  });
});

describe('e-mail, civility, postal code', () => {
  it('lower-cases and validates e-mails', () => {
    expect(normalizeEmail('  Zoe.Durand@Exemple.FR ')).toEqual({ ok: true, value: 'zoe.durand@exemple.fr' });
    expect(normalizeEmail('pas-une-adresse')).toEqual({ ok: false });
    expect(normalizeEmail('a@b')).toEqual({ ok: false });
  });
  it('reads civilities', () => {
    expect(parseCivility('Madame')).toEqual({ ok: true, value: 'Mme' });
    expect(parseCivility('M.')).toEqual({ ok: true, value: 'M' });
    expect(parseCivility('Mx')).toEqual({ ok: true, value: 'Mx' });
    expect(parseCivility('Dr')).toEqual({ ok: false });
  });
  it('gives French postal codes their leading zero back', () => {
    expect(normalizePostalCode('1000', null)).toBe('01000');
    expect(normalizePostalCode('1000', 'Belgique')).toBe('1000');
    expect(normalizePostalCode(' 75011 ', 'France')).toBe('75011');
  });
});

describe('names', () => {
  it('title-cases ALL-CAPS names and tidies spaces', () => {
    expect(cleanName('BERNARD')).toBe('Bernard');
    expect(cleanName('  LE   GALL ')).toBe('Le Gall');
    expect(cleanName('BEN SALAH')).toBe('Ben Salah');
    expect(cleanName('DA SILVA')).toBe('Da Silva');
    expect(cleanName('JEAN-NOËL')).toBe('Jean-Noël');
    expect(cleanName("D'ALMEIDA")).toBe("D'Almeida");
    expect(cleanName('BENOÎT')).toBe('Benoît');
    expect(cleanName('de La Fontaine')).toBe('de La Fontaine');
  });
  it.each([
    ['LE GALL Joël', 'Le Gall', 'Joël'],
    ['BEN SALAH Agnès', 'Ben Salah', 'Agnès'],
    ['DA SILVA Maria', 'Da Silva', 'Maria'],
    ['ROUSSEAU Jean-Noël', 'Rousseau', 'Jean-Noël'],
    ['MÜLLER Côme', 'Müller', 'Côme'],
    ['DUPONT Marie Claire', 'Dupont', 'Marie Claire'],
    ['LE GALL JEAN-NOËL', 'Le Gall', 'Jean-Noël'],
    ['Dupont Marie', 'Dupont', 'Marie'],
    ['DUPONT', 'Dupont', ''],
    ['   ', '', ''],
  ])('splits %j', (input, lastName, firstName) => {
    expect(splitFullNameLastFirst(input)).toEqual({ lastName, firstName });
  });
});
