/**
 * Hostile files, generated at test time: each is small on disk and declares far more work than it is worth — the
 * files of the security review (docs/vault-limits.md). Used by tests/unit/vault/hostileFiles.test.ts, the CLI test
 * tests/unit/cli/vaultHostile.test.ts and the measurement script bench/hostile.ts.
 */
import { crc32, deflateSync } from 'node:zlib';

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  out.set(latin1(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

/**
 * A PNG whose IHDR (with a valid CRC) declares `width` × `height` 8-bit gray pixels, followed by `idat` (default: a
 * zlib stream of a few rows of zeros) and IEND. With the default `idat` it is about 100 bytes.
 */
export function pngDeclaring(width: number, height: number, idat: Uint8Array = deflateSync(new Uint8Array(Math.min(height, 4) * (width + 1)))): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, colour type 0 (gray), deflate, adaptive filtering, no interlace
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', new Uint8Array(0))];
  return new Uint8Array(Buffer.concat(parts));
}

/** Assembles numbered PDF objects (`bodies[i]` is object i + 1) into a file with a correct cross-reference table. */
export function pdfFile(bodies: string[]): Uint8Array {
  let text = '%PDF-1.7\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1(text);
}

/** An object pdf-lib cannot parse: it prints « Trying to parse invalid object… » and goes on. */
export const INVALID_PDF_OBJECT = '<< /Type /Annot /Rect [0 0 1 1] /Broken ( >> ]';

/**
 * A PDF of about 1 KB whose page tree lists the same child `fanOut` times at each of `levels` levels: `fanOut ^ levels`
 * pages for whoever walks it without remembering (10 and 5: 100,000 pages). With `invalidObject`, one more object
 * that pdf-lib cannot parse.
 */
export function pdfRepeatingNode(fanOut = 10, levels = 5, invalidObject = false): Uint8Array {
  const bodies = ['<< /Type /Catalog /Pages 2 0 R >>'];
  for (let level = 0; level < levels; level++) {
    const self = level + 2;
    const child = self + 1;
    const parent = level === 0 ? '' : ` /Parent ${self - 1} 0 R`;
    bodies.push(`<< /Type /Pages${parent} /Kids [${Array(fanOut).fill(`${child} 0 R`).join(' ')}] /Count ${fanOut ** (levels - level)} >>`);
  }
  bodies.push(`<< /Type /Page /Parent ${levels + 1} 0 R /MediaBox [0 0 595 842] >>`);
  if (invalidObject) bodies.push(INVALID_PDF_OBJECT);
  return pdfFile(bodies);
}

/** A PDF whose page tree node lists its own parent: a cycle. */
export function pdfCyclicTree(): Uint8Array {
  return pdfFile([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 2 >>',
    '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>',
  ]);
}

/** A valid one-page PDF (A4, empty) holding one object pdf-lib cannot parse. */
export function pdfWithInvalidObject(): Uint8Array {
  return pdfFile(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>', INVALID_PDF_OBJECT]);
}

/** One TIFF directory entry: tag, type (3 SHORT, 4 LONG…), count, and the value or the offset of the values. */
export type TiffEntry = [tag: number, type: number, count: number, value: number];

/**
 * A little-endian TIFF: `data` at offset 8, then one directory per element of `ifds`, chained in order. Entries
 * may refer to `data` through `DATA_AT` (its offset); `extra(ifdOffsets)` may add entries that point at directories.
 */
export function tiffFile(data: Uint8Array, ifds: TiffEntry[][]): Uint8Array {
  const dataEnd = 8 + data.byteLength + (data.byteLength % 2);
  const size = dataEnd + ifds.reduce((n, entries) => n + 2 + entries.length * 12 + 4, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  out.set(data, 8);
  let at = dataEnd;
  view.setUint32(4, at, true);
  for (const [index, entries] of ifds.entries()) {
    view.setUint16(at, entries.length, true);
    entries
      .slice()
      .sort((a, b) => a[0] - b[0])
      .forEach(([tag, type, count, value], i) => {
        const e = at + 2 + i * 12;
        view.setUint16(e, tag, true);
        view.setUint16(e + 2, type, true);
        view.setUint32(e + 4, count, true);
        if (type === 3 && count === 1) view.setUint16(e + 8, value, true);
        else view.setUint32(e + 8, value, true);
      });
    const next = at + 2 + entries.length * 12;
    at = next + 4;
    view.setUint32(next, index === ifds.length - 1 ? 0 : at, true);
  }
  return out;
}

/** Offset of `data` in a `tiffFile`. */
export const DATA_AT = 8;

/** The entries of a bilevel (1 bit, WhiteIsZero) Deflate-compressed page of one strip at DATA_AT. */
export function bilevelPage(width: number, height: number, stripBytes: number): TiffEntry[] {
  return [
    [256, 4, 1, width], [257, 4, 1, height], [258, 3, 1, 1], [259, 3, 1, 8], [262, 3, 1, 0],
    [273, 4, 1, DATA_AT], [277, 3, 1, 1], [278, 4, 1, height], [279, 4, 1, stripBytes],
  ];
}

/**
 * The review's TIFF: `pages` pages of `width` × `height` blank bilevel pixels that all share one Deflate strip
 * (9,999 pages of 8944 × 8944 ≈ 80 Mpx: about 1.3 MB on disk, a day of decoding for whoever decodes it all).
 */
export function tiffManyHugePages(pages = 9_999, width = 8944, height = 8944): Uint8Array {
  const strip = deflateSync(new Uint8Array(Math.ceil(width / 8) * height));
  return tiffFile(strip, Array.from({ length: pages }, () => bilevelPage(width, height, strip.byteLength)));
}

/** The entries of an uncompressed 8 × 8 gray page whose 64 bytes are at DATA_AT. */
export function smallGrayPage(): TiffEntry[] {
  return [[256, 3, 1, 8], [257, 3, 1, 8], [258, 3, 1, 8], [259, 3, 1, 1], [262, 3, 1, 1], [273, 4, 1, DATA_AT], [277, 3, 1, 1], [278, 3, 1, 8], [279, 4, 1, 64]];
}

/**
 * A valid 8 × 8 gray page whose directory has SubIFDs (tag 330): `fanOut` offsets all pointing at one directory, which
 * does the same, `levels` deep. UTIF reads sub-directories without remembering them: `fanOut ^ levels` reads.
 */
export function tiffSubIfdFanOut(fanOut = 16, levels = 7): Uint8Array {
  // Layout inside `data`: 64 pixel bytes, then per level an offset array (fanOut LONGs) and a one-entry directory.
  const pixels = 64;
  const levelSize = fanOut * 4 + 2 + 12 + 4;
  const data = new Uint8Array(pixels + levels * levelSize);
  const view = new DataView(data.buffer);
  for (let i = 0; i < pixels; i++) data[i] = i * 4;
  const arrayAt = (level: number) => DATA_AT + pixels + level * levelSize;
  const ifdAt = (level: number) => arrayAt(level) + fanOut * 4;
  for (let level = 0; level < levels; level++) {
    const local = pixels + level * levelSize;
    for (let i = 0; i < fanOut; i++) view.setUint32(local + i * 4, ifdAt(level), true);
    const ifd = local + fanOut * 4;
    const last = level === levels - 1;
    view.setUint16(ifd, last ? 0 : 1, true);
    if (!last) {
      view.setUint16(ifd + 2, 330, true);
      view.setUint16(ifd + 4, 4, true);
      view.setUint32(ifd + 6, fanOut, true);
      view.setUint32(ifd + 10, arrayAt(level + 1), true);
    }
  }
  return tiffFile(data, [[...smallGrayPage(), [330, 4, fanOut, arrayAt(0)]]]);
}

/** A valid 8 × 8 gray page with one more entry whose `count` LONG values would lie past the end of the file. */
export function tiffEntryOutsideFile(count = 0x0100_0000): Uint8Array {
  const pixels = new Uint8Array(64).map((_, i) => i * 4);
  return tiffFile(pixels, [[...smallGrayPage(), [65000, 4, count, 1000]]]);
}
