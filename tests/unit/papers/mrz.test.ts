/**
 * The MRZ reader on text (shared/domain/mrz.ts, mrzDates.ts): specimens of each kind built with their check digits
 * (tests/helpers/mrzSpecimens.ts), spoiled check digits refused, OCR slips mended only when check digits agree, and
 * text exactly as tesseract 5 read our 300-dpi OCR-B specimens (fillers read as K, X, S, E).
 */
import { describe, expect, it } from 'vitest';
import { cleanMrzLine, findMrzLines, readMrz, repairFillers } from '../../../shared/domain/mrz';
import { birthDateFromMrz, compareWithRecord, expiryDateFromMrz, suggestFrenchIdExpiry } from '../../../shared/domain/mrzDates';
import { checkDigit, frenchId, td1, td3 } from '../../helpers/mrzSpecimens';

const TODAY = '2026-12-06';
const helene = { last: 'LEFEVRE', first: 'HELENE MARIE', birth: '850412', sex: 'F' as const, expiry: '310930', number: '19AB2O345' };
const around = (lines: string[]) => ['RÉPUBLIQUE FRANÇAISE', 'Nom : Lefèvre', ...lines, ''].join('\n');

describe('check digits of the specimens (ICAO Doc 9303 part 3 §4.9)', () => {
  it('follow the 7-3-1 weights of the ICAO example', () => {
    // Doc 9303 part 3, worked example: date 520727 → 3, document number AB2134<<< → 5.
    expect(checkDigit('520727')).toBe('3');
    expect(checkDigit('AB2134<<<')).toBe('5');
  });
});

describe('readMrz', () => {
  it('reads a passport (TD3): type, expiry, names, birth date', () => {
    const r = readMrz(around(td3(helene)), TODAY);
    expect(r).toMatchObject({ kind: 'TD3', documentType: 'passeport', expiresOn: '2031-09-30', lastName: 'LEFEVRE', firstNames: 'HELENE MARIE', birthDate: '1985-04-12', valid: true, errors: [] });
  });

  it('reads an identity card and a residence permit (TD1)', () => {
    expect(readMrz(around(td1(helene, 'ID')), TODAY)).toMatchObject({ kind: 'TD1', documentType: 'carte_identite', expiresOn: '2031-09-30', valid: true });
    expect(readMrz(around(td1(helene, 'IR')), TODAY)).toMatchObject({ kind: 'TD1', documentType: 'titre_sejour', expiresOn: '2031-09-30', valid: true });
  });

  it('reads an old French card (2 × 36): no expiry, one suggested from its issue month', () => {
    const r = readMrz(around(frenchId({ ...helene, issued: '0709' })), TODAY);
    expect(r).toMatchObject({ kind: 'FRENCH_NATIONAL_ID', documentType: 'carte_identite', expiresOn: null, issuedMonth: '2007-09', suggestedExpiresOn: '2022-08-31', suggestedYears: 15, valid: true });
  });

  it('refuses every kind with a spoiled check digit, naming the field in French', () => {
    for (const lines of [td3(helene, true), td1(helene, 'ID', true), frenchId({ ...helene, issued: '0709' }, true)]) {
      const r = readMrz(lines.join('\n'), TODAY);
      expect(r?.valid).toBe(false);
      expect(r?.errors.join(' ')).toMatch(/champ refusé, chiffre de contrôle/);
    }
  });

  it('refuses a spoiled check digit of the document number rather than "mending" the number', () => {
    const [l1, l2] = td3(helene);
    const spoiled = l2!.slice(0, 9) + String((Number(l2![9]) + 5) % 10) + l2!.slice(10);
    expect(readMrz([l1, spoiled].join('\n'), TODAY)?.valid).toBe(false);
  });

  it('returns null when the text holds no MRZ', () => {
    expect(readMrz('Avis d’imposition 2025\nRevenu fiscal de référence : 12 345 €', TODAY)).toBeNull();
    expect(readMrz('', TODAY)).toBeNull();
  });

  it('mends O/0 and I/1 where the field type or the check digits say so', () => {
    const [l1, l2] = td3(helene);
    // Dates read with letters, the name with digits, and the document number's O read as 0.
    const slipped = [l1!.replace('MARIE', 'MAR1E'), l2!.replace('850412', '85O4I2').replace('19AB2O345', '19AB20345')];
    const r = readMrz(slipped.join('\n'), TODAY);
    expect(r).toMatchObject({ valid: true, birthDate: '1985-04-12', firstNames: 'HELENE MARIE' });
  });

  it('does not "mend" a wrong digit into a valid one', () => {
    const [l1, l2] = td3(helene);
    // A B where a 2 stands is mended to 8 (the only digit a B can be): the check digit still refuses the date.
    const r = readMrz([l1, l2!.replace('850412', '85041B')].join('\n'), TODAY);
    expect(r?.valid).toBe(false);
  });

  it('reads text as tesseract 5 gave it for our OCR-B specimens (English then French model)', () => {
    const ocr = [
      'P<FRALEFEVRE<X<HELENE<MARIEK<<<<K<<<<<<<<<<<\n19AB203459FRA8504124F3109306<<<<<<<<<<<<<<06',
      'IDFRA19AB203459KK<K<K<<<<<<<K<K<K<\n8504124F3109306FRA<K<<<<<<<<<<6\nLEFEVRE<<HELENE<XMARIE<<<<<<<<<',
      'IDFRALEFEVRE<<<<<K<<esssss<<<<<075123\n070907519AB23HELENE<X<MARIE<8504124F6',
      'IDFRA19AB203459K<<<< <<< KKK KKK KK\n8504124F3109306FRA<K<<<<<<<<<<6\nLEFEVRE<<HELENE<XMARIE<<<<<<<<<',
      // French model, old card: the office code's 0 read twice (0O), the second of the pair being the extra one.
      'IDFRANGUYEN<<<<<<<<<<<<<<<<<<<0O75123\n0906075123454THI<<LAN<<<<<<9201176F2',
    ];
    const kinds = ocr.map((t) => readMrz(`SPECIMEN\n${t}`, TODAY));
    expect(kinds.map((r) => [r?.kind, r?.valid, r?.lastName, r?.birthDate])).toEqual([
      ['TD3', true, 'LEFEVRE', '1985-04-12'],
      ['TD1', true, 'LEFEVRE', '1985-04-12'],
      ['FRENCH_NATIONAL_ID', true, 'LEFEVRE', '1985-04-12'],
      ['TD1', true, 'LEFEVRE', '1985-04-12'],
      ['FRENCH_NATIONAL_ID', true, 'NGUYEN', '1992-01-17'],
    ]);
  });
});

describe('OCR fix-ups', () => {
  it('reads guillemets as fillers and drops spaces', () => {
    expect(cleanMrzLine('P<FRA LEFEVRE«HELENE‹MARIE «««««««««', 44)).toBe('P<FRALEFEVRE<<HELENE<MARIE<<<<<<<<<<<<<<<<<<');
  });

  it('repairs fillers read as letters between fillers and in the tail, never inside a word', () => {
    expect(repairFillers('LEFEVRE<X<HELENE<<<K<<')).toBe('LEFEVRE<<<HELENE<<<<<<');
    expect(repairFillers('ERIKSSON<<KEVIN<<<<')).toBe('ERIKSSON<<KEVIN<<<<');
  });

  it('fits a line by its longest run of fillers, not by cutting digits', () => {
    expect(cleanMrzLine('8504124F3109306FRA<<<<<<<<<<<<6', 30)).toBe('8504124F3109306FRA<<<<<<<<<<<6');
    expect(cleanMrzLine('IDFRALEFEVRE<<<<<<<<<<<<<<075123', 36)).toBe('IDFRALEFEVRE<<<<<<<<<<<<<<<<<<075123');
  });

  it('prefers the kind whose line lengths fit best', () => {
    const fr = frenchId({ ...helene, issued: '0709' });
    expect(findMrzLines(fr.join('\n'))?.kind).toBe('FRENCH_NATIONAL_ID');
    expect(findMrzLines(td3(helene).join('\n'))?.kind).toBe('TD3');
  });
});

describe('MRZ dates (ICAO Doc 9303 part 3) and the old card rule (décret 2013-1188)', () => {
  it('puts birth years in the latest century not after today', () => {
    expect(birthDateFromMrz('850412', TODAY)).toBe('1985-04-12');
    expect(birthDateFromMrz('100412', TODAY)).toBe('2010-04-12');
    expect(birthDateFromMrz('261207', TODAY)).toBe('1926-12-07');
    expect(birthDateFromMrz('85<<<<', TODAY)).toBeNull();
    expect(birthDateFromMrz('850231', TODAY)).toBeNull();
  });

  it('reads expiry years 00–69 as 2000s', () => {
    expect(expiryDateFromMrz('310930')).toBe('2031-09-30');
    expect(expiryDateFromMrz('991231')).toBe('1999-12-31');
  });

  it('suggests 15 years for adults from 2004-01-02 to 2013-12-31, 10 years otherwise, the earliest possible day', () => {
    expect(suggestFrenchIdExpiry('2007-09', '1985-04-12')).toEqual({ expiresOn: '2022-08-31', years: 15 });
    expect(suggestFrenchIdExpiry('2007-09', '1995-04-12')).toEqual({ expiresOn: '2017-08-31', years: 10 });
    expect(suggestFrenchIdExpiry('2003-12', '1960-01-01')).toEqual({ expiresOn: '2013-11-30', years: 10 });
    expect(suggestFrenchIdExpiry('2004-01', '1960-01-01')).toEqual({ expiresOn: '2013-12-31', years: 10 });
    expect(suggestFrenchIdExpiry('2013-12', '1960-01-01')).toEqual({ expiresOn: '2028-11-30', years: 15 });
    expect(suggestFrenchIdExpiry('2014-01', '1960-01-01')).toEqual({ expiresOn: '2023-12-31', years: 10 });
    expect(suggestFrenchIdExpiry('2007-09', null)).toEqual({ expiresOn: '2017-08-31', years: 10 });
    expect(suggestFrenchIdExpiry('2007-13', null)).toBeNull();
  });
});

describe('compareWithRecord', () => {
  const paper = { lastName: 'LEFEVRE', firstNames: 'HELENE MARIE', birthDate: '1985-04-12' };
  it('ignores accents, case, hyphens and a shorter first name on the record', () => {
    expect(compareWithRecord(paper, { lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1985-04-12' })).toEqual([]);
    expect(compareWithRecord({ ...paper, lastName: 'SAINT ANGE' }, { lastName: 'Saint-Ange', firstName: null, birthDate: null })).toEqual([]);
  });
  it('names what differs', () => {
    const diff = compareWithRecord(paper, { lastName: 'Lefebvre', firstName: 'Marie', birthDate: '1985-04-21' });
    expect(diff.map((d) => d.field)).toEqual(['lastName', 'firstNames', 'birthDate']);
    expect(diff[2]).toEqual({ field: 'birthDate', onPaper: '1985-04-12', onRecord: '1985-04-21' });
  });
});
