/**
 * The FEC writer (main/services/ledger/fec.ts) checked line by line against art. A.47 A-1 LPF: the 18 columns in
 * their order, a header line, tabs, CR LF, dates AAAAMMJJ, amounts with a comma, every entry balanced, the file name.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FEC_COLUMNS, fecAmount, fecBytes, fecContent, fecFileName, type FecEntry } from '../../../main/services/ledger/fec';

const entry = (num: string, date: string, cents: number, extra: Partial<FecEntry> = {}): FecEntry => ({
  journalCode: 'CA',
  journalLabel: 'Caisse',
  num,
  date,
  pieceRef: '',
  pieceDate: date,
  label: 'Cotisation 2026 Dupont',
  validDate: date,
  lines: [
    { account: '530', accountLabel: 'Caisse', debitCents: cents, creditCents: 0 },
    { account: '756', accountLabel: 'Cotisations', debitCents: 0, creditCents: cents },
  ],
  ...extra,
});

describe('FEC (art. A.47 A-1 LPF)', () => {
  it('header: the 18 columns in their order, tab-separated', () => {
    const text = fecContent([]);
    expect(text).toBe(`${FEC_COLUMNS.join('\t')}\r\n`);
    expect(FEC_COLUMNS).toEqual(['JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib', 'PieceRef', 'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise', 'Idevise']);
  });

  it('every record has 18 fields, dates AAAAMMJJ, amounts with a comma, each entry balanced', () => {
    const text = fecContent([entry('1', '2026-01-05', 4500), entry('2', '2026-03-15', 123456, { label: 'Don\tmanuel\nMartin', pieceRef: 'R-7' })]);
    expect(text.endsWith('\r\n')).toBe(true);
    const records = text.slice(0, -2).split('\r\n');
    expect(records).toHaveLength(5);
    const rows = records.slice(1).map((r) => r.split('\t'));
    for (const r of rows) {
      expect(r).toHaveLength(18);
      expect(r[3]).toMatch(/^\d{8}$/);
      expect(r[9]).toMatch(/^\d{8}$/);
      expect(r[15]).toMatch(/^\d{8}$/);
      expect(r[11]).toMatch(/^\d+,\d{2}$/);
      expect(r[12]).toMatch(/^\d+,\d{2}$/);
    }
    expect(rows[0]).toEqual(['CA', 'Caisse', '1', '20260105', '530', 'Caisse', '', '', '1', '20260105', 'Cotisation 2026 Dupont', '45,00', '0,00', '', '', '20260105', '', '']);
    expect(rows[3]!.slice(8, 13)).toEqual(['R-7', '20260315', 'Don manuel Martin', '0,00', '1234,56']);
    const byEntry = new Map<string, number>();
    const cents = (s: string) => Number(s.replace(',', ''));
    for (const r of rows) byEntry.set(r[2]!, (byEntry.get(r[2]!) ?? 0) + cents(r[11]!) - cents(r[12]!));
    expect([...byEntry.values()]).toEqual([0, 0]);
  });

  it('refuses an unbalanced or one-line entry, naming it', () => {
    const bad = entry('7', '2026-02-01', 100);
    bad.lines[1]!.creditCents = 99;
    expect(() => fecContent([bad])).toThrow(/écriture 7 du 2026-02-01 n’est pas équilibrée \(débit 1,00, crédit 0,99\)/);
    expect(() => fecContent([{ ...entry('8', '2026-02-01', 100), lines: [{ account: '530', accountLabel: 'Caisse', debitCents: 0, creditCents: 0 }] }])).toThrow(/écriture 8/);
  });

  it('amounts never go through floats', () => {
    expect(fecAmount(0)).toBe('0,00');
    expect(fecAmount(5)).toBe('0,05');
    expect(fecAmount(1000000001)).toBe('10000000,01');
    expect(() => fecAmount(-1)).toThrow();
    expect(() => fecAmount(1.5)).toThrow();
  });

  it('file name <SIREN>FEC<AAAAMMJJ>.txt; a bad SIREN is refused', () => {
    expect(fecFileName('123456789', '2026-12-31')).toBe('123456789FEC20261231.txt');
    expect(() => fecFileName('12345678', '2026-12-31')).toThrow(/SIREN invalide/);
  });

  it('bytes in ISO 8859-15: accents and € kept, typographic quotes folded', () => {
    const bytes = fecBytes('Dépense € l’été « x »');
    expect(iconv.decode(bytes, 'iso-8859-15')).toBe('Dépense € l\'été " x "');
    expect(bytes.includes(0xa4)).toBe(true); // € in ISO 8859-15
  });
});
