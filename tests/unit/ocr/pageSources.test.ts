/**
 * What each page of a paper gives to read (main/ocr/pageSources.ts, main/ocr/pdfjsPages.ts): a born-digital page's
 * own text layer, exactly as drawn, with word boxes on the page; the image of a CCITT G4, JPEG 2000, indexed-colour,
 * 16-bit grey or CMYK scan decoded by pdf.js and recognised with a character error rate of at most 2 %, with its placement; a drawing
 * keeps `image: null` and its French reason; a damaged page or an image too large to decode gets a French reason and the other pages are still read.
 */
import { PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { recognizePage, stopOcrEngine } from '../../../main/ocr/engine';
import { openPaperPages, TEXT_LAYER_MIN_LETTERS, type PageSource } from '../../../main/ocr/pageSources';
import { characterErrorRate, renderPage } from '../../helpers/ocrPages';
import { addDrawingPage, addImagePage, bornDigitalPdf, g4Pdf, indexedPdf, jp2Of, jpxPdf, rawKindPdf } from '../../helpers/pdfKinds';

afterAll(() => stopOcrEngine());

/** French lines drawn on the scanned pages (A4 width at 300 dpi, 1200 px high: 210 × 101.6 mm). */
const SCAN_LINES = [
  'ATTESTATION DE PAIEMENT — CAF du Doubs',
  'Madame Hélène Lefèvre, née le 14/02/1987 à Besançon',
  'Allocation logement : 312,45 € versés le 05/11/2025',
  'Garçon, œuvre, où, déjà, français, août, forêt, maïs.',
];
const SCAN = renderPage(SCAN_LINES, { height: 1200 });
const SCAN_SIZE: [number, number] = [595.28, 288];

async function readAll(pdf: Uint8Array): Promise<PageSource[]> {
  const pages = await openPaperPages(pdf);
  try {
    const out: PageSource[] = [];
    for (let i = 0; i < pages.count; i++) out.push(await pages.read(i));
    return out;
  } finally {
    await pages.close();
  }
}

function image(source: PageSource | undefined) {
  if (source?.kind !== 'image') throw new Error(`une image était attendue : ${JSON.stringify(source)?.slice(0, 200)}`);
  return source.image;
}

async function expectRecognised(pdf: Uint8Array, scale = 1): Promise<void> {
  const [source] = await readAll(pdf);
  const page = image(source);
  expect(page.reason).toBeNull();
  expect([page.width, page.height]).toEqual([2480 / scale, 1200 / scale]);
  // The placement is the image's square on the page (points), for the searchable export.
  expect(Math.round(page.matrix![0])).toBeGreaterThan(590);
  expect(Math.round(page.matrix![3])).toBeGreaterThan(280);
  // Handed over as PNG.
  expect(Buffer.from(page.image!.subarray(1, 4)).toString('latin1')).toBe('PNG');
  const result = await recognizePage(page.image!, { dpi: 300 / scale });
  expect(characterErrorRate(SCAN_LINES.join('\n'), result.text)).toBeLessThanOrEqual(0.02);
}

describe('page sources', () => {
  it('takes a born-digital page’s own text layer, exactly as drawn, with its words’ boxes on the page', async () => {
    const lines = ['Attestation de paiement de la CAF', 'Madame Hélène Lefèvre, 12 rue de l’Église', 'Montant versé : 312,45 € — œuvre'];
    const [source] = await readAll(await bornDigitalPdf([lines]));
    if (source?.kind !== 'text') throw new Error('le texte de la page était attendu');
    expect(source.layer.text).toBe(lines.join('\n'));
    expect(source.layer.letters).toBeGreaterThanOrEqual(TEXT_LAYER_MIN_LETTERS);
    expect(source.layer.matrix).toEqual([596, 0, 0, 842, 0, 0]);
    // "Attestation" is drawn at x = 56 pt, baseline 72 pt below the top of the page, 12 pt high.
    const [word, x0, y0, x1, y1] = source.layer.words[0]!;
    expect(word).toBe('Attestation');
    expect(x0).toBeCloseTo(56, 0);
    expect(x1).toBeGreaterThan(100);
    expect(y0).toBeGreaterThan(55);
    expect(y1).toBeLessThan(78);
    expect(source.layer.words.map((w) => w[0]).join(' ')).toBe(lines.join(' '));
  });

  it('reads a CCITT G4 scan (tiff2pdf) through pdf.js with a character error rate of at most 2 %', async () => {
    const pdf = g4Pdf(SCAN);
    expect(Buffer.from(pdf).toString('latin1')).toContain('/CCITTFaxDecode');
    await expectRecognised(pdf);
  });

  it('reads a JPEG 2000 scan through pdf.js’s OpenJPEG (at half its resolution) with a character error rate of at most 2 %', async () => {
    // pdf.js in Node decodes JPEG 2000 images past 2048 pixels at half their size (docs/ocr.md "Pages to images").
    await expectRecognised(await jpxPdf(jp2Of(SCAN), 2480, 1200, SCAN_SIZE), 2);
  });

  it('reads an indexed-colour scan through pdf.js with a character error rate of at most 2 %', async () => {
    await expectRecognised(await indexedPdf(SCAN, SCAN_SIZE));
  });

  it.each(['gray16', 'cmyk'] as const)('reads a $0 scan through pdf.js with a character error rate of at most 2 percent', async (kind) => {
    await expectRecognised(await rawKindPdf(SCAN, kind, SCAN_SIZE));
  });

  it('keeps a drawing without text as "no image", says why, and keeps a short text when there is no image', async () => {
    const doc = await PDFDocument.create();
    addDrawingPage(doc);
    doc.addPage([595, 842]).drawText('Signature', { x: 50, y: 700, size: 20, font: await doc.embedFont(StandardFonts.Helvetica) });
    const [drawing, stamp] = await readAll(await doc.save());
    expect(image(drawing)).toEqual({ image: null, width: 0, height: 0, matrix: null, reason: 'page sans image numérisée (texte ou dessin vectoriel)' });
    expect(stamp).toMatchObject({ kind: 'text', layer: { text: 'Signature', letters: 9 } });
  });

  it('gives a damaged page and an image too large to decode a French reason, and still reads the others', async () => {
    const doc = await PDFDocument.load(await bornDigitalPdf([['Première page, lisible de bout en bout.']]));
    // Page 2: a JPEG 2000 image whose stream is not JPEG 2000; page 3: a content stream that does not inflate.
    addImagePage(doc, new Uint8Array(4000).fill(0x5a), { Width: 2480, Height: 1200, Filter: 'JPXDecode' }, SCAN_SIZE);
    const third = doc.addPage([595, 842]);
    third.node.set(PDFName.of('Contents'), doc.context.register(PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode' }), new Uint8Array(300).fill(0x33))));
    const fourth = await bornDigitalPdf([['Quatrième page, lisible elle aussi.']]);
    const [copied] = await doc.copyPages(await PDFDocument.load(fourth), [0]);
    doc.addPage(copied!);
    // Page 5: a CCITT image claiming 400 million pixels in 100 bytes (a decompression bomb): not decoded.
    addImagePage(doc, new Uint8Array(100), { Width: 20000, Height: 20000, BitsPerComponent: 1, ColorSpace: 'DeviceGray', Filter: 'CCITTFaxDecode', DecodeParms: { K: -1, Columns: 20000, Rows: 20000 } }, SCAN_SIZE);
    const [first, second, damaged, last, bomb] = await readAll(await doc.save());
    expect(image(bomb).reason).toBe('image de la page dans un format non reconnu (CCITTFaxDecode, DeviceGray, 1 bits) : image non décodée (trop grande ou endommagée)');
    expect(first).toMatchObject({ kind: 'text', layer: { text: 'Première page, lisible de bout en bout.' } });
    expect(image(second).reason).toBe("page illisible (l'image de la page n'a pas pu être décodée (flux endommagé ?))");
    expect(image(damaged).reason).toMatch(/^page (illisible|sans image)/);
    expect(last).toMatchObject({ kind: 'text', layer: { text: 'Quatrième page, lisible elle aussi.' } });
  });
});
