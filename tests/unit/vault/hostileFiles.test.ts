/**
 * Hostile files brought to the desk (docs/vault-limits.md): each declares far more pages or pixels than it holds, or a
 * structure that makes a naive reader loop. `buildPdf` must refuse them from their headers, before decoding anything:
 * the refusal names the file and the reason, and the process's peak memory does not grow by more than a few MB.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors';
import { buildPdf } from '../../../main/vault/pdf';
import { MAX_PAGES_PER_PAPER, MAX_PIXELS_PER_PAPER } from '../../../main/vault/limits';
import {
  DATA_AT, bilevelPage, pdfCyclicTree, pdfRepeatingNode, pngDeclaring, smallGrayPage, tiffEntryOutsideFile, tiffFile,
  tiffManyHugePages, tiffSubIfdFanOut,
} from '../../helpers/hostileFiles';
import { deflateSync } from 'node:zlib';

const scans = (file: string) => new Uint8Array(readFileSync(path.resolve(process.cwd(), '../shared/fixtures/scans', file)));

/** Peak resident memory of this process so far, in MB (getrusage ru_maxrss). */
const peakMb = () => process.resourceUsage().maxRSS / 1024;

/** buildPdf(inputs) must reject with VALIDATION, a message matching `message`, and a peak memory growth under 64 MB. */
async function refused(inputs: Array<{ name: string; bytes: Uint8Array }>, message: RegExp): Promise<AppError> {
  const before = peakMb();
  const error = await buildPdf(inputs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VALIDATION');
  expect((error as AppError).message).toMatch(message);
  expect(peakMb() - before).toBeLessThan(64);
  return error as AppError;
}

/** The fixture JPEG with its SOF0 height and width replaced. */
function jpegDeclaring(width: number, height: number): Uint8Array {
  const bytes = scans('attestation-domicile-p1.jpg').slice();
  for (let i = 2; i + 9 < bytes.length; ) {
    const marker = bytes[i + 1]!;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker === 0xc0 || marker === 0xc2) {
      new DataView(bytes.buffer).setUint16(i + 5, height);
      new DataView(bytes.buffer).setUint16(i + 7, width);
      return bytes;
    }
    i += 2 + length;
  }
  throw new Error('no SOF in the fixture');
}

describe('hostile files are refused from their headers', () => {
  it('a PNG whose IHDR declares 30000 × 30000 pixels (valid CRC) is refused before decoding, naming it', async () => {
    const png = pngDeclaring(30_000, 30_000);
    expect(png.byteLength).toBeLessThan(1024);
    const error = await refused([{ name: 'affiche.png', bytes: png }], /^« affiche\.png » : image trop grande \(30000 × 30000 pixels, 900 Mpx\) : au plus 80 Mpx par page/);
    expect(error.details).toMatchObject({ file: 'affiche.png' });
  });

  it('a JPEG whose frame header declares 60000 × 60000 pixels is refused', async () => {
    await refused([{ name: 'photo.jpg', bytes: jpegDeclaring(60_000, 60_000) }], /^« photo\.jpg » : image trop grande \(60000 × 60000 pixels/);
  });

  it('the review\'s TIFF — 9,999 pages of 80 Mpx sharing one strip, ~1.3 MB — is refused from its directories', async () => {
    const tiff = tiffManyHugePages();
    expect(tiff.byteLength).toBeLessThan(1_500_000);
    await refused([{ name: 'dossier.tif', bytes: tiff }], new RegExp(`^« dossier\\.tif » : trop de pages \\(plus de ${MAX_PAGES_PER_PAPER}\\)`));
  });

  it('a TIFF of pages small enough one by one but too many pixels in all is refused before its first page is decoded', async () => {
    const pages = Math.floor(MAX_PIXELS_PER_PAPER / 42_000_000) + 1; // 6000 × 7000 = 42 Mpx each
    const strip = deflateSync(new Uint8Array(750 * 7000));
    const tiff = tiffFile(strip, Array.from({ length: pages }, () => bilevelPage(6000, 7000, strip.byteLength)));
    await refused([{ name: 'plans.tif', bytes: tiff }], new RegExp(`^« plans\\.tif » : page ${pages} : images trop lourdes pour un seul document \\(plus de 600 Mpx en tout\\)`));
  });

  it('a TIFF entry whose values would lie past the end of the file is refused (UTIF would loop over 16 million values)', async () => {
    await refused([{ name: 'scan.tif', bytes: tiffEntryOutsideFile() }], /^« scan\.tif » : fichier TIFF tronqué ou endommagé/);
  });

  it('a TIFF whose directories hold millions of values in all is refused', async () => {
    const data = new Uint8Array(2_000_000);
    const big: Array<[number, number, number, number]> = Array.from({ length: 12 }, (_, i) => [65000 + i, 4, 400_000, DATA_AT]);
    await refused([{ name: 'scan.tif', bytes: tiffFile(data, [[...smallGrayPage(), ...big]]) }], /^« scan\.tif » : structure TIFF trop complexe/);
  });

  it('a TIFF whose sub-directories point 16 times at the same one, 7 levels deep, is read once: its page is kept', async () => {
    const { pdf, pages } = await buildPdf([{ name: 'scan.tif', bytes: tiffSubIfdFanOut(16, 7) }]);
    expect(pages).toBe(1);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
  });

  it('the review\'s 1 KB PDF whose page tree repeats one node (100,000 pages for pdf-lib) is refused, naming it', async () => {
    const pdf = pdfRepeatingNode(10, 5, true);
    expect(pdf.byteLength).toBeLessThan(1200);
    await refused([{ name: 'arbre.pdf', bytes: pdf }], /^« arbre\.pdf » : fichier PDF invalide : son arborescence de pages répète une même page ou un même nœud\.$/);
  });

  it('a PDF whose page tree lists its own parent (a cycle) is refused the same way', async () => {
    await refused([{ name: 'boucle.pdf', bytes: pdfCyclicTree() }], /^« boucle\.pdf » : fichier PDF invalide : son arborescence de pages répète/);
  });

  it(`a paper of more than ${MAX_PAGES_PER_PAPER} pages in all is refused at the file that passes the cap`, async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 200; i++) doc.addPage([595, 842]);
    const bytes = await doc.save();
    const error = await refused(
      [{ name: 'partie-1.pdf', bytes }, { name: 'partie-2.pdf', bytes }, { name: 'partie-3.pdf', bytes }],
      /^« partie-3\.pdf » : trop de pages \(200 en plus des 400 déjà assemblées\) : un document en compte au plus 500/,
    );
    expect(error.details).toMatchObject({ file: 'partie-3.pdf' });
  });

  it('a legitimate paper under the caps is still assembled (the fixtures, mixed)', async () => {
    const { pages } = await buildPdf([
      { name: 'p1.jpg', bytes: scans('attestation-domicile-p1.jpg') },
      { name: 'carte.png', bytes: scans('carte-identite-specimen.png') },
      { name: 'caf.pdf', bytes: scans('attestation-caf-2pages.pdf') },
    ]);
    expect(pages).toBe(4);
  });
});
