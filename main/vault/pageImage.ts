/**
 * A decoded page (RGBA pixels) re-encoded for pdf-lib, at its full resolution (no resampling):
 * - pages that were JPEG in the TIFF (Compression 6/7: colour scans) become JPEG again, quality 90 — the source was
 *   already lossy, and pdf-lib embeds JPEG as is (DCTDecode), where a PNG of scanner noise is ~4× larger and is
 *   inflated and deflated again by pdf-lib;
 * - lossless pages (bilevel fax, gray, LZW/Deflate colour) become PNG: grayscale when the TIFF was gray or bilevel,
 *   RGB, or RGBA when the TIFF has alpha.
 */
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';

interface JpegEncoder {
  encode(image: { data: Uint8Array; width: number; height: number }, quality: number): { data: Uint8Array };
}
const jpeg = createRequire(import.meta.url)('jpeg-js') as JpegEncoder;

/** JPEG quality for re-encoded colour scans: visually lossless for documents, a fraction of the PNG size. */
export const JPEG_QUALITY = 90;

export interface PageImage {
  format: 'png' | 'jpeg';
  bytes: Uint8Array;
  width: number;
  height: number;
}

export function encodePageImage(rgba: Uint8Array, width: number, height: number, kind: { gray: boolean; alpha: boolean; lossySource: boolean }): PageImage {
  if (kind.lossySource && !kind.gray && !kind.alpha) {
    const out = jpeg.encode({ data: rgba, width, height }, JPEG_QUALITY);
    return { format: 'jpeg', bytes: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength), width, height };
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  // The "Sub" filter is 2–3× faster than adaptive filtering and compresses scans almost as well.
  const encoded = PNG.sync.write(png, { colorType: kind.gray ? 0 : kind.alpha ? 6 : 2, inputColorType: 6, deflateLevel: 1, filterType: 1 });
  return { format: 'png', bytes: new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength), width, height };
}
