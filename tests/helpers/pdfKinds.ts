/**
 * PDFs whose page is drawn in each way the OCR meets (docs/ocr.md "Pages to images"), made at test time:
 * - born-digital: text drawn by pdf-lib in Helvetica (WinAnsi: French accents, « € » and « œ » are in it);
 * - a scan whose image is CCITT G4 (a PNG page thresholded by ImageMagick `convert`, `tiffcp -c g4`, `tiff2pdf`:
 *   the way scanner software writes black-and-white PDFs), JPEG 2000 (`convert` to JP2, the codestream put in a
 *   `/JPXDecode` image as is: this ImageMagick's security policy refuses to write PDF itself), or indexed colours
 *   (4 grey levels, one byte per pixel, `/Indexed /DeviceRGB` with its palette, Flate), 16-bit grey or CMYK (Flate);
 * - a pure vector drawing, and a page whose image stream is damaged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFHexString, PDFName, StandardFonts, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { run } from './fileCorpus';

/** A4 in points. */
const A4: [number, number] = [595.28, 841.89];

/** Adds a page showing one image XObject (`stream`, `dict`) over `size` points from the bottom-left corner. */
export function addImagePage(doc: PDFDocument, stream: Uint8Array, dict: NonNullable<Parameters<PDFDocument['context']['stream']>[1]>, size: [number, number]): void {
  const ref = doc.context.register(doc.context.stream(stream, { Type: 'XObject', Subtype: 'Image', ...dict }));
  const page = doc.addPage(size);
  const name = page.node.newXObject('Im0', ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(size[0], 0, 0, size[1], 0, 0), drawObject(name), popGraphicsState());
}

/** `lines` drawn in Helvetica 12 pt from the top-left margin of an A4 page: a born-digital paper. */
export async function bornDigitalPdf(pages: string[][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage(A4);
    lines.forEach((line, i) => page.drawText(line, { x: 56, y: A4[1] - 72 - i * 18, size: 12, font }));
  }
  return doc.save();
}

/** A page of rectangles and lines only: a drawing, no text, no image. */
export function addDrawingPage(doc: PDFDocument): void {
  const page = doc.addPage(A4);
  page.drawRectangle({ x: 100, y: 400, width: 300, height: 200, borderColor: rgb(0, 0, 0), borderWidth: 3 });
  page.drawLine({ start: { x: 100, y: 400 }, end: { x: 400, y: 600 }, thickness: 2 });
}

function withTemp<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-kinds-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PNG page as a one-page PDF whose image is CCITT G4 (convert → tiffcp -c g4 → tiff2pdf). */
export function g4Pdf(png: Uint8Array): Uint8Array {
  return withTemp((dir) => {
    writeFileSync(join(dir, 'page.png'), png);
    run('convert', ['page.png', '-threshold', '50%', '-type', 'bilevel', '-depth', '1', '-compress', 'none', '-density', '300', '-units', 'PixelsPerInch', 'page.tif'], dir);
    run('tiffcp', ['-c', 'g4', 'page.tif', 'g4.tif'], dir);
    run('tiff2pdf', ['-o', 'g4.pdf', 'g4.tif'], dir);
    return new Uint8Array(readFileSync(join(dir, 'g4.pdf')));
  });
}

/** The PNG page (gray) encoded by ImageMagick as JPEG 2000 (JP2 file), or an Error naming the missing coder. */
export function jp2Of(png: Uint8Array): Uint8Array {
  return withTemp((dir) => {
    writeFileSync(join(dir, 'page.png'), png);
    run('convert', ['page.png', '-alpha', 'off', '-colorspace', 'gray', '-quality', '40', 'page.jp2'], dir);
    return new Uint8Array(readFileSync(join(dir, 'page.jp2')));
  });
}

/** A PDF page of `size` points showing `jp2` as a `/JPXDecode` image (its colour space taken from the JP2 file). */
export async function jpxPdf(jp2: Uint8Array, width: number, height: number, size: [number, number]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  addImagePage(doc, jp2, { Width: width, Height: height, Filter: 'JPXDecode' }, size);
  return doc.save();
}

/** The PNG page with its grey reduced to 4 levels, as an `/Indexed /DeviceRGB` Flate image of `size` points. */
export async function indexedPdf(png: Uint8Array, size: [number, number]): Promise<Uint8Array> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const indices = Buffer.alloc(info.width * info.height);
  for (let i = 0; i < indices.length; i++) indices[i] = Math.min(3, Math.floor(data[i * info.channels]! / 64));
  const palette = Buffer.from([0, 0, 0, 90, 90, 90, 170, 170, 170, 255, 255, 255]);
  const doc = await PDFDocument.create();
  const space = doc.context.obj([PDFName.of('Indexed'), PDFName.of('DeviceRGB'), 3, PDFHexString.of(palette.toString('hex'))]);
  addImagePage(doc, deflateSync(indices), { Width: info.width, Height: info.height, BitsPerComponent: 8, ColorSpace: space, Filter: 'FlateDecode' }, size);
  return doc.save();
}

/**
 * The PNG page as a Flate image of `size` points in 16-bit `/DeviceGray` (big-endian samples, PDF 32000-1 §8.9.2) or
 * 8-bit `/DeviceCMYK` (black ink only: K = 255 − grey).
 */
export async function rawKindPdf(png: Uint8Array, kind: 'gray16' | 'cmyk', size: [number, number]): Promise<Uint8Array> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const count = info.width * info.height;
  const out = Buffer.alloc(count * (kind === 'gray16' ? 2 : 4));
  for (let i = 0; i < count; i++) {
    const grey = data[i * info.channels]!;
    if (kind === 'gray16') out.writeUInt16BE(grey * 257, i * 2);
    else out[i * 4 + 3] = 255 - grey;
  }
  const doc = await PDFDocument.create();
  const dict = kind === 'gray16' ? { BitsPerComponent: 16, ColorSpace: 'DeviceGray' } : { BitsPerComponent: 8, ColorSpace: 'DeviceCMYK' };
  addImagePage(doc, deflateSync(out), { Width: info.width, Height: info.height, Filter: 'FlateDecode', ...dict }, size);
  return doc.save();
}
