/**
 * Reading MRZ specimens from images with the real OCR engine (main/ocr/engine.ts, tesseract.js): 300-dpi card and
 * passport pages drawn by ImageMagick in OCR-B (Debian fonts-ocr-b) at test time, of each kind, with good and with
 * spoiled check digits (refused), as PNG, JPEG, a card on an A4 page, inside a PDF like the vault stores, and as a
 * copier's black-and-white PDF (CCITT G4).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { recognizePage, stopOcrEngine } from '../../../main/ocr/engine';
import { bottomBand, imagesOf } from '../../../main/services/papers/mrzImages';
import { readMrzIn } from '../../../main/services/papers/mrzService';
import { frenchId, specimenPng, td1, td3 } from '../../helpers/mrzSpecimens';
import { g4Pdf } from '../../helpers/pdfKinds';

const dir = mkdtempSync(join(tmpdir(), 'mrz-specimens-'));
afterAll(async () => {
  await stopOcrEngine();
  rmSync(dir, { recursive: true, force: true });
});

const TODAY = '2026-12-06';
const person = { last: 'NGUYEN', first: 'THI LAN', birth: '920117', sex: 'F' as const, expiry: '300228', number: 'X4RT8O123' };
const old = { ...person, last: 'BOUCHARD', first: 'JEAN PIERRE', birth: '610305', sex: 'M' as const, number: '12345', issued: '0906' };

function png(name: string, lines: string[]): Uint8Array {
  const out = join(dir, `${name}.png`);
  specimenPng(lines, out);
  return new Uint8Array(readFileSync(out));
}

const SPECIMENS = [
  { name: 'passeport (TD3)', lines: td3(person), bad: td3(person, true), expect: { kind: 'TD3', documentType: 'passeport', expiresOn: '2030-02-28' } },
  { name: "carte d'identité (TD1)", lines: td1(person, 'ID'), bad: td1(person, 'ID', true), expect: { kind: 'TD1', documentType: 'carte_identite', expiresOn: '2030-02-28' } },
  { name: 'titre de séjour (TD1)', lines: td1(person, 'IR'), bad: td1(person, 'IR', true), expect: { kind: 'TD1', documentType: 'titre_sejour', expiresOn: '2030-02-28' } },
  {
    name: 'ancienne carte (2 × 36)',
    lines: frenchId(old),
    bad: frenchId(old, true),
    expect: { kind: 'FRENCH_NATIONAL_ID', documentType: 'carte_identite', expiresOn: null, issuedMonth: '2009-06', suggestedExpiresOn: '2024-05-31', suggestedYears: 15 },
  },
] as const;

describe('MRZ specimens read by the OCR engine', () => {
  it.each(SPECIMENS)('reads the $name at 300 dpi with valid check digits', async (s) => {
    const reading = await readMrzIn([png(`good-${s.expect.kind}-${s.expect.documentType}`, [...s.lines])], recognizePage, TODAY);
    expect(reading).toMatchObject({ ...s.expect, valid: true, errors: [] });
    expect(reading?.lastName).toBe(s.expect.kind === 'FRENCH_NATIONAL_ID' ? 'BOUCHARD' : 'NGUYEN');
  });

  it.each(SPECIMENS)('refuses the $name with a spoiled check digit', async (s) => {
    const reading = await readMrzIn([png(`bad-${s.expect.kind}-${s.expect.documentType}`, [...s.bad])], recognizePage, TODAY);
    expect(reading?.valid).toBe(false);
    expect(reading?.errors.join(' ')).toMatch(/chiffre de contrôle/);
  });

  it('reads a JPEG photo and a card lying on an A4 page (the whole page once the band has nothing)', async () => {
    const card = join(dir, 'card.png');
    specimenPng(td1(person, 'ID'), card);
    const jpeg = join(dir, 'card.jpg');
    execFileSync('convert', [card, '-quality', '85', jpeg]);
    expect(await readMrzIn([new Uint8Array(readFileSync(jpeg))], recognizePage, TODAY)).toMatchObject({ valid: true, documentType: 'carte_identite' });
    const a4 = join(dir, 'a4.png');
    execFileSync('convert', ['-size', '2480x3508', 'xc:white', '-units', 'PixelsPerInch', '-density', '300', card, '-geometry', '+150+150', '-composite', '-colorspace', 'Gray', a4]);
    const page = new Uint8Array(readFileSync(a4));
    expect(await readMrzIn([page], recognizePage, TODAY)).toMatchObject({ valid: true, documentType: 'carte_identite', expiresOn: '2030-02-28' });
  });

  it('finds the page images of a PDF (JPEG as stored, other pixels as PNG) and reads them', async () => {
    const pdf = await PDFDocument.create();
    const cardPng = png('pdf-card', td3(person));
    const jpeg = join(dir, 'pdf-card.jpg');
    execFileSync('convert', [join(dir, 'pdf-card.png'), jpeg]);
    for (const image of [await pdf.embedPng(cardPng), await pdf.embedJpg(readFileSync(jpeg))]) {
      pdf.addPage([image.width, image.height]).drawImage(image, { x: 0, y: 0 });
    }
    const images = await imagesOf(await pdf.save());
    expect(images).toHaveLength(2);
    expect(images.map((b) => [b[0], b[1]])).toEqual([[0x89, 0x50], [0xff, 0xd8]]);
    expect(await readMrzIn([images[0]!], recognizePage, TODAY)).toMatchObject({ valid: true, kind: 'TD3' });
  });

  it('reads a black-and-white scan a copier saved as PDF (CCITT G4, decoded by pdf.js)', async () => {
    const images = await imagesOf(g4Pdf(png('g4-card', td1(person, 'ID'))));
    expect(images).toHaveLength(1);
    expect(await readMrzIn(images, recognizePage, TODAY)).toMatchObject({ valid: true, documentType: 'carte_identite', expiresOn: '2030-02-28' });
  });

  it('reads nothing, without throwing, from files with no MRZ or not images at all', async () => {
    expect(await imagesOf(new TextEncoder().encode('bonjour'))).toEqual([]);
    expect(await imagesOf(new TextEncoder().encode('%PDF-1.7 cassé'))).toEqual([]);
    expect(await bottomBand(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBeNull();
    const blank = join(dir, 'blank.png');
    execFileSync('convert', ['-size', '1011x638', 'xc:white', blank]);
    expect(await readMrzIn([new Uint8Array(readFileSync(blank))], recognizePage, TODAY)).toBeNull();
  });
});
