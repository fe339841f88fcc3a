import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFStream, decodePDFRawStream, type PDFPage } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors';
import { A4, PAGE_MARGIN, buildPdf } from '../../../main/vault/pdf';

const scans = (file: string) => path.resolve(process.cwd(), '../shared/fixtures/scans', file);
const load = (file: string) => ({ name: file, bytes: new Uint8Array(readFileSync(scans(file))) });
const P1 = 'attestation-domicile-p1.jpg'; // 1660 × 2343 px
const P2 = 'attestation-domicile-p2.jpg'; // 1664 × 2347 px
const TIF = 'attestation-domicile-2pages.tif';
const CARD = 'carte-identite-specimen.png'; // 1011 × 638 px
const CAF = 'attestation-caf-2pages.pdf';

/** A minimal uncompressed little-endian TIFF (TIFF 6.0 baseline): one IFD per page, one strip per page. */
function makeTiff(pages: Array<{ width: number; height: number; bits: 1 | 8; photometric: 0 | 1 }>): Uint8Array {
  const bytes: number[] = [0x49, 0x49, 42, 0, 0, 0, 0, 0];
  const u16 = (at: number, v: number) => { bytes[at] = v & 0xff; bytes[at + 1] = v >> 8; };
  const u32 = (at: number, v: number) => { u16(at, v & 0xffff); u16(at + 2, v >>> 16); };
  let link = 4; // where the offset of the next IFD goes
  for (const { width, height, bits, photometric } of pages) {
    const rowBytes = Math.ceil((width * bits) / 8);
    const dataAt = bytes.length;
    for (let i = 0; i < rowBytes * height; i++) bytes.push((i * 37) & 0xff); // stripes, not a flat colour
    if (bytes.length % 2) bytes.push(0);
    const ifdAt = bytes.length;
    u32(link, ifdAt);
    const tags: Array<[number, number, number]> = [ // tag, type (3 SHORT, 4 LONG), value
      [256, 3, width], [257, 3, height], [258, 3, bits], [259, 3, 1], [262, 3, photometric],
      [273, 4, dataAt], [277, 3, 1], [278, 3, height], [279, 4, rowBytes * height],
    ];
    u16(ifdAt, tags.length);
    tags.forEach(([tag, type, value], i) => {
      const at = ifdAt + 2 + i * 12;
      u16(at, tag); u16(at + 2, type); u32(at + 4, 1); u32(at + 8, value);
    });
    link = ifdAt + 2 + tags.length * 12;
    u32(link, 0);
  }
  return new Uint8Array(bytes);
}

/** Width × height of the image XObjects a page uses (SMasks excluded: they hang off the image, not the page). */
function pageImages(page: PDFPage): Array<[number, number]> {
  const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  if (!xobjects) return [];
  return xobjects.keys().map((key) => {
    const stream = xobjects.lookup(key, PDFStream);
    expect(stream.dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('Image'));
    const num = (k: string) => stream.dict.lookup(PDFName.of(k), PDFNumber).asNumber();
    return [num('Width'), num('Height')];
  });
}

/**
 * The box the image is drawn in, from the one `a b c d e f cm` that maps the unit square of image space (ISO 32000-1
 * §8.3.4) onto the page; `topLeft`: where the stored image's first pixel (u 0, v 1) lands.
 */
function drawBox(page: PDFPage): { x: number; y: number; w: number; h: number; topLeft: [number, number] } {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  const text = streams
    .filter((stream): stream is PDFRawStream => stream instanceof PDFRawStream)
    .map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'))
    .join('\n');
  const cms = [...text.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) cm/g)].map((m) =>
    m.slice(1).map(Number),
  );
  expect(cms).toHaveLength(1);
  const [a, b, c, d, e, f] = cms[0]! as [number, number, number, number, number, number];
  const xs = [e, e + a, e + c, e + a + c];
  const ys = [f, f + b, f + d, f + b + d];
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y, topLeft: [e + c, f + d] };
}

async function expectValidation(inputs: { name: string; bytes: Uint8Array }[], fragment: RegExp) {
  const error = await buildPdf(inputs).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VALIDATION');
  expect((error as AppError).message).toMatch(fragment);
  return error as AppError;
}

describe('buildPdf', () => {
  it('puts two JPEG scans on two A4 portrait pages, pixels untouched, fitted and centred', async () => {
    const progress: Array<[number, number]> = [];
    const { pdf, pages } = await buildPdf([load(P1), load(P2)], (d, t) => progress.push([d, t]));
    expect(pages).toBe(2);
    expect(progress).toEqual([[1, 2], [2, 2]]);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(2);
    const [first, second] = doc.getPages();
    for (const page of [first!, second!]) {
      expect(page.getWidth()).toBeCloseTo(A4.width, 2);
      expect(page.getHeight()).toBeCloseTo(A4.height, 2);
    }
    expect(pageImages(first!)).toEqual([[1660, 2343]]);
    expect(pageImages(second!)).toEqual([[1664, 2347]]);
    const box = drawBox(first!);
    expect(box.w / box.h).toBeCloseTo(1660 / 2343, 4);
    expect(box.w).toBeCloseTo(A4.width - 2 * PAGE_MARGIN, 2); // width is the limiting side for this aspect ratio
    expect(box.h).toBeLessThanOrEqual(A4.height - 2 * PAGE_MARGIN);
    expect(box.x).toBeCloseTo(PAGE_MARGIN, 2);
    expect(box.y).toBeCloseTo((A4.height - box.h) / 2, 2);
  });

  it('turns each page of a multi-page TIFF into one page at full resolution', async () => {
    const { pdf, pages } = await buildPdf([load(TIF)]);
    expect(pages).toBe(2);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPages().map(pageImages)).toEqual([[[1660, 2343]], [[1664, 2347]]]);
  });

  it('decodes bilevel and gray TIFF pages (as fax software and scanners write them)', async () => {
    const tiff = makeTiff([
      { width: 40, height: 20, bits: 1, photometric: 0 }, // WhiteIsZero, 1 bit: a landscape page
      { width: 30, height: 50, bits: 8, photometric: 1 }, // BlackIsZero, 8-bit gray
    ]);
    const { pdf, pages } = await buildPdf([{ name: 'fax.tif', bytes: tiff }]);
    expect(pages).toBe(2);
    const doc = await PDFDocument.load(pdf);
    const [landscape, portrait] = doc.getPages();
    expect(pageImages(landscape!)).toEqual([[40, 20]]);
    expect(landscape!.getWidth()).toBeCloseTo(A4.height, 2);
    expect(pageImages(portrait!)).toEqual([[30, 50]]);
    expect(portrait!.getHeight()).toBeCloseTo(A4.height, 2);
  });

  it('puts the PNG identity card on one landscape A4 page', async () => {
    const { pdf, pages } = await buildPdf([load(CARD)]);
    expect(pages).toBe(1);
    const page = (await PDFDocument.load(pdf)).getPage(0);
    expect(page.getWidth()).toBeCloseTo(A4.height, 2);
    expect(page.getHeight()).toBeCloseTo(A4.width, 2);
    expect(pageImages(page)).toEqual([[1011, 638]]);
    const box = drawBox(page);
    expect(box.w / box.h).toBeCloseTo(1011 / 638, 4);
    expect(box.x + box.w / 2).toBeCloseTo(A4.height / 2, 2);
    expect(box.y + box.h / 2).toBeCloseTo(A4.width / 2, 2);
  });

  it('copies the pages of a PDF as they are', async () => {
    const source = await PDFDocument.load(load(CAF).bytes);
    const { pdf, pages } = await buildPdf([load(CAF)]);
    expect(pages).toBe(2);
    const copied = (await PDFDocument.load(pdf)).getPages();
    expect(copied.map((p) => [p.getWidth(), p.getHeight()])).toEqual(source.getPages().map((p) => [p.getWidth(), p.getHeight()]));
  });

  it('keeps the order of mixed inputs; the page count is the sum', async () => {
    const { pdf, pages } = await buildPdf([load(P2), load(CAF), load(CARD), load(TIF), load(P1)]);
    expect(pages).toBe(1 + 2 + 1 + 2 + 1);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPages().map(pageImages)).toEqual([
      [[1664, 2347]], [], [], [[1011, 638]], [[1660, 2343]], [[1664, 2347]], [[1660, 2343]],
    ]);
  });

  it('detects the type from the bytes, not the extension', async () => {
    const { pages } = await buildPdf([{ name: 'photo.jpg', bytes: load(CARD).bytes }]);
    expect(pages).toBe(1);
  });

  it('applies the EXIF orientation of a phone photo', async () => {
    const jpeg = load(P1).bytes;
    // APP1 "Exif\0\0" + little-endian TIFF header + IFD0 with one entry: Orientation (0x0112) SHORT = 6.
    const tiff = [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
    const body = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff];
    const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
    const rotated = new Uint8Array([0xff, 0xd8, ...app1, ...jpeg.subarray(2)]);
    const page = (await PDFDocument.load((await buildPdf([{ name: 'photo.jpg', bytes: rotated }])).pdf)).getPage(0);
    expect(page.getWidth()).toBeCloseTo(A4.height, 2); // shown 2343 × 1660: landscape
    expect(pageImages(page)).toEqual([[1660, 2343]]);
    // Turned 90° clockwise: shown 2343 wide, centred inside the margins; the stored top-left pixel is shown top-right.
    const { x, y, w, h, topLeft } = drawBox(page);
    expect(w / h).toBeCloseTo(2343 / 1660, 4);
    expect(y).toBeCloseTo(PAGE_MARGIN, 2); // height is the limiting side of the shown (landscape) image
    expect(x + w / 2).toBeCloseTo(A4.height / 2, 2);
    expect(y + h / 2).toBeCloseTo(A4.width / 2, 2);
    expect(topLeft[0]).toBeCloseTo(x + w, 2);
    expect(topLeft[1]).toBeCloseTo(y + h, 2);
  });

  it('refuses a truncated JPEG, naming the file', async () => {
    const bytes = load(P1).bytes;
    const error = await expectValidation([load(P2), { name: 'scan-coupé.jpg', bytes: bytes.subarray(0, bytes.length / 2) }], /^« scan-coupé\.jpg » : .*JPEG.*tronqué/);
    expect(error.details).toMatchObject({ file: 'scan-coupé.jpg' });
  });

  it('refuses garbage, empty files, broken PNG, TIFF and PDF, naming each file', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    await expectValidation([{ name: 'notes.docx', bytes: garbage }], /^« notes\.docx » : format non pris en charge/);
    await expectValidation([{ name: 'vide.pdf', bytes: new Uint8Array(0) }], /^« vide\.pdf » : le fichier est vide/);
    const png = load(CARD).bytes.slice();
    png[40_000]! ^= 0xff; // inside the second IDAT chunk: its CRC no longer matches
    await expectValidation([{ name: 'carte.png', bytes: png }], /^« carte\.png » : .*PNG/);
    await expectValidation([{ name: 'carte.png', bytes: load(CARD).bytes.subarray(0, 30_000) }], /^« carte\.png » : .*PNG/);
    const tif = load(TIF).bytes;
    await expectValidation([{ name: 'scan.tif', bytes: tif.subarray(0, tif.length / 3) }], /^« scan\.tif » : .*TIFF/);
    const pdf = load(CAF).bytes;
    await expectValidation([{ name: 'caf.pdf', bytes: pdf.subarray(0, 600) }], /^« caf\.pdf » : .*PDF/);
    await expect(buildPdf([])).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
