/**
 * JPEG-compressed TIFF pages whose PhotometricInterpretation is RGB (2), as some scanners and libtiff write them:
 * each strip is a JPEG stream (TIFF Technical Note 2, "new-style" JPEG, Compression 7) holding RGB samples with no
 * YCbCr colour transform. UTIF's decoder always applies the YCbCr→RGB transform to 3-component JPEG, which turns
 * white paper magenta; these strips are decoded here with jpeg-js and `colorTransform: false`.
 */
import { createRequire } from 'node:module';

interface JpegJs {
  decode(
    data: Uint8Array,
    opts: { useTArray: true; formatAsRGBA: true; colorTransform: boolean; maxResolutionInMP: number; maxMemoryUsageInMB: number },
  ): { width: number; height: number; data: Uint8Array };
}
const jpeg = createRequire(import.meta.url)('jpeg-js') as JpegJs;

export interface JpegStrips {
  width: number;
  height: number;
  /** t273 StripOffsets, t279 StripByteCounts. */
  offsets: number[];
  counts: number[];
  /** t278 RowsPerStrip (default: the whole image). */
  rowsPerStrip: number;
  /** t347 JPEGTables: an abbreviated JPEG stream (SOI, DQT/DHT, EOI) shared by every strip, or undefined. */
  tables: ArrayLike<number> | undefined;
}

const SOI = 0xd8;
const EOI = 0xd9;

/** Joins the shared tables (without their EOI) and a strip (without its SOI) into one decodable JPEG stream. */
function stripStream(bytes: Uint8Array, tables: ArrayLike<number> | undefined, offset: number, count: number): Uint8Array {
  const strip = bytes.subarray(offset, offset + count);
  if (!tables || tables.length < 4) return strip;
  let tlen = tables.length;
  if (tables[tlen - 2] === 0xff && tables[tlen - 1] === EOI) tlen -= 2;
  const skip = strip[0] === 0xff && strip[1] === SOI ? 2 : 0;
  const out = new Uint8Array(tlen + strip.length - skip);
  for (let i = 0; i < tlen; i++) out[i] = tables[i] ?? 0;
  out.set(strip.subarray(skip), tlen);
  return out;
}

/**
 * Decodes every strip into one RGBA buffer (width × height × 4). Throws on a damaged strip, and on a strip whose own
 * JPEG header declares more pixels than the whole page (some writers declare more rows than RowsPerStrip in each
 * strip, so the page is the bound): jpeg-js refuses it before decoding.
 */
export function decodeRgbJpegStrips(bytes: Uint8Array, s: JpegStrips): Uint8Array {
  const rgba = new Uint8Array(s.width * s.height * 4);
  const pageMegapixels = (s.width * s.height) / 1_000_000;
  let row = 0;
  for (let i = 0; i < s.offsets.length && row < s.height; i++) {
    const img = jpeg.decode(stripStream(bytes, s.tables, s.offsets[i] ?? 0, s.counts[i] ?? 0), {
      useTArray: true,
      formatAsRGBA: true,
      colorTransform: false,
      maxResolutionInMP: pageMegapixels,
      maxMemoryUsageInMB: Math.ceil(pageMegapixels * 8) + 64, // RGBA output and jpeg-js's component planes
    });
    const rows = Math.min(s.rowsPerStrip, s.height - row, img.height);
    const w = Math.min(img.width, s.width);
    for (let y = 0; y < rows; y++) {
      rgba.set(img.data.subarray(y * img.width * 4, y * img.width * 4 + w * 4), ((row + y) * s.width) * 4);
    }
    row += rows;
  }
  return rgba;
}
