import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { readTable } from '../../../main/services/imports';
import { AppError } from '../../../shared/domain/errors';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('readTable — CSV encodings and separators', () => {
  it('reads UTF-8 without BOM, comma-separated', () => {
    const t = readTable('a.csv', utf8('Nom,Prénom,Ville\nLefèvre,Agnès,Montélimar\n'));
    expect(t).toMatchObject({ format: 'csv', encoding: 'utf-8', separator: ',' });
    expect(t.headers).toEqual(['Nom', 'Prénom', 'Ville']);
    expect(t.rows).toEqual([{ line: 2, cells: ['Lefèvre', 'Agnès', 'Montélimar'] }]);
  });

  it('reads UTF-8 with BOM and strips it from the first header', () => {
    const t = readTable('a.csv', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Nom;Prénom\r\nDurand;Zoé\r\n')]));
    expect(t.encoding).toBe('utf-8-bom');
    expect(t.separator).toBe(';');
    expect(t.headers[0]).toBe('Nom');
  });

  it('reads a tab-separated file', () => {
    const t = readTable('export.txt', utf8('Nom\tPrénom\tCommentaire\nMartin\tLéa\tvient le mardi, parfois le jeudi\n'));
    expect(t.separator).toBe('\t');
    expect(t.rows[0]?.cells).toEqual(['Martin', 'Léa', 'vient le mardi, parfois le jeudi']);
  });

  it('decodes Windows-1252 (œ, ’, …, €)', () => {
    const bytes = iconv.encode('NOM;Prénom;Observations;Cotisation €\r\nCŒUR;Zoé;l’œuvre… continue;"15,00 €"\r\n', 'windows-1252');
    expect(bytes.includes(0x9c)).toBe(true); // œ is a single 0x9C byte: not valid UTF-8
    const t = readTable('tableur.csv', bytes);
    expect(t.encoding).toBe('windows-1252');
    expect(t.headers).toEqual(['NOM', 'Prénom', 'Observations', 'Cotisation €']);
    expect(t.rows[0]?.cells).toEqual(['CŒUR', 'Zoé', 'l’œuvre… continue', '15,00 €']);
  });

  it('is not fooled by a ; inside a quoted header cell of a comma file', () => {
    const t = readTable('q.csv', utf8('"Nom; prénom",Email,"Remarques; divers"\n"DURAND Zoé",zoe@exemple.fr,"a; b; c"\n'));
    expect(t.separator).toBe(',');
    expect(t.headers).toEqual(['Nom; prénom', 'Email', 'Remarques; divers']);
    expect(t.rows[0]?.cells).toEqual(['DURAND Zoé', 'zoe@exemple.fr', 'a; b; c']);
  });

  it('numbers records by their first physical line and drops blank ones', () => {
    const text = 'Nom;Note\r\nA;"une\r\ndeux\r\ntrois"\r\n\r\n;;\r\n  ;  \r\nB;x\nC;"y"\r\n';
    const t = readTable('l.csv', utf8(text));
    expect(t.rows.map((r) => [r.line, r.cells[0]])).toEqual([
      [2, 'A'],
      [8, 'B'],
      [9, 'C'],
    ]);
    expect(t.rows[0]?.cells[1]).toBe('une\ndeux\ntrois');
    expect(t.rows.every((r) => r.cells.length === t.headers.length)).toBe(true);
  });

  it('pads short rows and names empty header cells', () => {
    const t = readTable('p.csv', utf8('Nom;;Ville\nDurand\n'));
    expect(t.headers).toEqual(['Nom', 'Colonne 2', 'Ville']);
    expect(t.rows[0]?.cells).toEqual(['Durand', '', '']);
  });
});

describe('readTable — unreadable files', () => {
  const failure = (name: string, bytes: Uint8Array): AppError => {
    try {
      readTable(name, bytes);
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error('readTable did not throw');
  };

  it('refuses binary garbage, naming the file', () => {
    const garbage = new Uint8Array(512).map((_, i) => (i * 7919 + 13) % 256);
    const e = failure('adherents.csv', garbage);
    expect(e.code).toBe('IMPORT_UNREADABLE');
    expect(e.message).toContain('« adherents.csv »');
    expect(e.message).toMatch(/binaire/);
  });

  it('refuses an empty file, a file of blank lines and a damaged workbook', () => {
    expect(failure('vide.csv', new Uint8Array()).message).toMatch(/vide\.csv.*vide/);
    expect(failure('blanc.csv', utf8('\r\n;;;\r\n\r\n')).message).toMatch(/en-tête/);
    const e = failure('classeur.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]));
    expect(e.code).toBe('IMPORT_UNREADABLE');
    expect(e.message).toContain('classeur.xlsx');
  });

  it('refuses UTF-16 with a hint', () => {
    const e = failure('unicode.txt', new Uint8Array([0xff, 0xfe, 0x4e, 0x00, 0x6f, 0x00, 0x6d, 0x00]));
    expect(e.message).toMatch(/UTF-16.*CSV UTF-8/);
  });
});

describe('readTable — XLSX', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'solidariciel-imports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the first sheet with spreadsheet row numbers and ISO dates', () => {
    const serial = (iso: string) => (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
    const ws = XLSX.utils.aoa_to_sheet([
      ['Nom', 'Prénom', 'Né(e) le', 'Tél', 'CP', 'Cotisation'],
      ['DUPONT', 'Zoé', null, 610869000, 1000, 15.5],
      [],
      ['MARTIN', 'Léa', '12/07/70', '06 11 22 33 44', '75011', '10'],
    ]);
    ws['C2'] = { t: 'n', v: serial('1964-01-03'), z: 'dd/mm/yyyy' };
    ws['F2'] = { t: 'n', v: 15.5, z: '#,##0.00 €' };
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Adhérents');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['autre'], ['feuille']]), 'Autre');
    const file = path.join(dir, 'adherents.xlsx');
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);

    const t = readTable('adherents.xlsx', new Uint8Array(readFileSync(file)));
    expect(t).toMatchObject({ format: 'xlsx', encoding: null, separator: null });
    expect(t.headers).toEqual(['Nom', 'Prénom', 'Né(e) le', 'Tél', 'CP', 'Cotisation']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['DUPONT', 'Zoé', '1964-01-03', '610869000', '1000', '15.50 €'] },
      { line: 4, cells: ['MARTIN', 'Léa', '12/07/70', '06 11 22 33 44', '75011', '10'] },
    ]);
  });

  it('recognises a workbook by its zip magic even with a .csv name', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Nom'], ['Durand']]), 'A');
    const bytes = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    expect(readTable('mal-nomme.csv', bytes)).toMatchObject({ format: 'xlsx', headers: ['Nom'], rows: [{ line: 2, cells: ['Durand'] }] });
  });
});

/** SheetJS's zip helpers (typed `any` by the package), used to patch a written workbook. */
interface ZipEntry {
  content: Uint8Array;
}
const zipLib = XLSX.CFB as {
  read(data: Uint8Array, opts: { type: 'array' }): unknown;
  find(zip: unknown, path: string): ZipEntry | null;
  write(zip: unknown, opts: { fileType: 'zip'; type: 'array' }): ArrayLike<number>;
};

describe('readTable — XLSX with an oversized range', () => {
  it('reads only up to the last filled cell when the sheet claims A1:XFD1048576', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Nom', 'Prénom'], ['Durand', 'Zoé']]), 'A');
    const zip = zipLib.read(new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer), { type: 'array' });
    const sheet = zipLib.find(zip, '/xl/worksheets/sheet1.xml');
    if (!sheet) throw new Error('sheet1.xml not found');
    const xml = new TextDecoder().decode(sheet.content);
    expect(xml).toContain('<dimension ref="A1:B2"/>');
    sheet.content = new TextEncoder().encode(xml.replace('<dimension ref="A1:B2"/>', '<dimension ref="A1:XFD1048576"/>'));
    const bytes = new Uint8Array(zipLib.write(zip, { fileType: 'zip', type: 'array' }));

    const t = readTable('grand.xlsx', bytes);
    expect(t.headers).toEqual(['Nom', 'Prénom']);
    expect(t.rows).toEqual([{ line: 2, cells: ['Durand', 'Zoé'] }]);
  }, 10_000);
});
