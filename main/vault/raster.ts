/**
 * Decoding image pages through maintained decoders, for the assembly of a paper (pdf.ts): libvips through `sharp` for
 * TIFF (every compression libtiff reads: none, CCITT G3/G4, LZW, Deflate, PackBits, JPEG; 1 to 16 bits; bilevel, grey,
 * palette, RGB, CMYK; every page), PNG (alpha, palette, 16 bits, interlacing) and JPEG that PDF cannot embed as it is
 * (CMYK, 12-bit, lossless, arithmetic); libheif compiled to WebAssembly (`heic-decode`, with its HEVC decoder) for HEIC
 * photos, since sharp's prebuilt libvips has no HEVC. What each kind becomes is in docs/file-kinds.md.
 *
 * The size of each page is known before it is decoded (headers.ts, limits.ts: the caller counts it in the paper's
 * budget first); libvips is given the same cap again (`limitInputPixels`) and reads sequentially. Orientation (EXIF,
 * TIFF 6.0 tag 274) is applied to the pixels, mirrored values (2, 4, 5, 7) mirrored. Errors throw `invalidInput`.
 */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import type { Sharp, SharpOptions } from 'sharp';
import { invalidInput } from './errors';
import { MAX_PIXELS_PER_PAGE } from './limits';

const requireHere = createRequire(import.meta.url);
type SharpFactory = (input?: Uint8Array, options?: SharpOptions) => Sharp;
let sharpFactory: SharpFactory | null = null;
/** sharp is loaded on first use: its native binary (libvips) is only mapped into the worker that decodes pages. */
function sharp(input: Uint8Array, options: SharpOptions = {}): Sharp {
  if (!sharpFactory) {
    sharpFactory = requireHere('sharp') as SharpFactory;
    (sharpFactory as unknown as { cache(on: boolean): void }).cache(false);
  }
  return sharpFactory(input, { limitInputPixels: MAX_PIXELS_PER_PAGE, sequentialRead: true, failOn: 'error', ...options });
}

/** JPEG quality for pages re-encoded from a lossy source (JPEG strips, CMYK JPEG, HEIC): visually lossless for papers. */
export const JPEG_QUALITY = 90;

/** A page ready for the PDF: a JPEG stream (DCTDecode) or Flate-compressed samples (with a soft mask for alpha). */
export type PageImage =
  | { format: 'jpeg'; bytes: Uint8Array; width: number; height: number }
  | { format: 'flate'; width: number; height: number; colors: 1 | 3; bits: 1 | 8 | 16; data: Uint8Array; predictor: boolean; alpha?: Uint8Array };

/** What the caller knows of the page from its header. `lossy`: the source was JPEG-compressed (re-encode as JPEG). */
export interface RasterSource {
  bytes: Uint8Array;
  /** Index of the page's directory in a TIFF (libvips counts every directory of the main chain). */
  page?: number;
  lossy: boolean;
  /** `raw`: already decoded pixels (HEIC), RGBA 8-bit. */
  raw?: { width: number; height: number; channels: 3 | 4 };
}

/**
 * Decodes one page with libvips and encodes it for the PDF at its full resolution (never resampled), upright:
 * - bilevel (1 bit per sample) → 1-bit DeviceGray samples, Flate;
 * - lossy source → sRGB or grey JPEG at JPEG_QUALITY;
 * - otherwise → grey or sRGB samples (8 or 16 bits) with PNG predictors, Flate; alpha kept as a soft mask.
 * CMYK is converted to sRGB by libvips (an Adobe CMYK JPEG's inverted samples are read as such).
 * @throws AppError VALIDATION naming the file when libvips cannot read it (`kind` names the format in the message).
 */
export async function decodeRasterPage(name: string, kind: string, source: RasterSource): Promise<PageImage> {
  try {
    const input = source.raw ? sharp(source.bytes, { raw: source.raw }) : sharp(source.bytes, { page: source.page ?? 0, pages: 1 });
    const meta = await input.metadata();
    const image = input.autoOrient();
    const bilevel = meta.bitsPerSample === 1;
    const gray = meta.space === 'b-w' || meta.space === 'grey16';
    if (bilevel) return await bilevelPage(image);
    if (source.lossy) {
      const { data, info } = await image.toColourspace(gray ? 'b-w' : 'srgb').removeAlpha().jpeg({ quality: JPEG_QUALITY }).toBuffer({ resolveWithObject: true });
      return { format: 'jpeg', bytes: data, width: info.width, height: info.height };
    }
    const sixteen = meta.depth === 'ushort';
    const space = gray ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb';
    const colour = image.clone().toColourspace(space).removeAlpha();
    const samples = await pngSamples(colour);
    const alpha = meta.hasAlpha ? await pngSamples(image.clone().toColourspace(space).extractChannel('alpha').toColourspace(sixteen ? 'grey16' : 'b-w')) : undefined;
    return { format: 'flate', ...samples, predictor: true, ...(alpha ? { alpha: alpha.data } : {}) };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw invalidInput(name, `image trop grande : au plus ${MAX_PIXELS_PER_PAGE / 1_000_000} Mpx par page.`);
    }
    throw invalidInput(name, `image ${kind} endommagée ou illisible.`);
  }
}

/** 1-bit samples (0 black, 1 white: DeviceGray), rows padded to a byte (ISO 32000-1 §8.9.3), Flate-compressed. */
async function bilevelPage(image: Sharp): Promise<PageImage> {
  const { data, info } = await image.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const stride = Math.ceil(info.width / 8);
  const packed = new Uint8Array(stride * info.height);
  for (let y = 0; y < info.height; y++) {
    const row = y * info.width * info.channels;
    for (let x = 0; x < info.width; x++) {
      if ((data[row + x * info.channels] ?? 0) >= 128) packed[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return { format: 'flate', width: info.width, height: info.height, colors: 1, bits: 1, data: deflateSync(packed, { level: 6 }), predictor: false };
}

/**
 * Encodes with libvips' PNG writer and keeps the zlib stream of its IDAT chunks: PDF's FlateDecode with PNG predictors
 * (ISO 32000-1 §7.4.4.4, Predictor 15) reads those bytes as they are, so no second decode and re-compression.
 */
async function pngSamples(image: Sharp): Promise<{ width: number; height: number; colors: 1 | 3; bits: 8 | 16; data: Uint8Array }> {
  const png = await image.png({ compressionLevel: 6, adaptiveFiltering: true, progressive: false, palette: false }).toBuffer();
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const bits = png[24];
  const colorType = png[25];
  if ((bits !== 8 && bits !== 16) || (colorType !== 0 && colorType !== 2) || png[28] !== 0) throw new Error(`unexpected PNG ${bits}/${colorType}`);
  const parts: Uint8Array[] = [];
  for (let pos = 8; pos + 8 <= png.byteLength;) {
    const length = view.getUint32(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    if (type === 'IDAT') parts.push(png.subarray(pos + 8, pos + 8 + length));
    pos += 12 + length;
  }
  return { width, height, colors: colorType === 0 ? 1 : 3, bits, data: Buffer.concat(parts) };
}

/** Pixel size of a HEIF/HEIC image from its boxes (`ispe`), read by libvips without decoding the HEVC stream. */
export async function heifSize(name: string, bytes: Uint8Array): Promise<{ width: number; height: number }> {
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    return { width: meta.width, height: meta.height };
  } catch {
    throw invalidInput(name, 'photo HEIC endommagée ou illisible.');
  }
}

interface HeicDecode {
  (input: { buffer: Uint8Array }): Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
}

/**
 * Decodes the primary image of a HEIC photo (ISO/IEC 23008-12) with libheif's WebAssembly build, its rotation and
 * mirroring boxes (`irot`, `imir`) applied, then encodes it as a JPEG page.
 */
export async function decodeHeicPage(name: string, bytes: Uint8Array): Promise<PageImage> {
  let decoded: { width: number; height: number; data: Uint8ClampedArray };
  try {
    const decode = requireHere('heic-decode') as HeicDecode;
    decoded = await decode({ buffer: bytes });
  } catch {
    throw invalidInput(name, 'photo HEIC endommagée ou illisible.');
  }
  const rgba = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
  return decodeRasterPage(name, 'HEIC', { bytes: rgba, lossy: true, raw: { width: decoded.width, height: decoded.height, channels: 4 } });
}
