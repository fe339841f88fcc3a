/**
 * A corpus of real-world files made at test time with Debian's own tools (docs/file-kinds.md): ImageMagick `convert`,
 * libtiff-tools `tiffcp`/`tiff2pdf`, `exiftool`, `heif-enc` (libheif-examples), `qpdf`, poppler's `pdftocairo`; and
 * reading the vault's PDFs back with poppler's `pdfinfo` and `pdftoppm`. A missing tool fails the test with the Debian
 * package to install (.ci/run installs them): nothing is skipped.
 *
 * The pictures: `marked` is 300 × 400, white, a dark 6-pixel frame, a red square top-left, a green one top-right and a
 * blue one bottom-left (so a rotation and a mirror are told apart); `inked` is the same frame with a black square
 * top-left, for bilevel and grey kinds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PNG } from 'pngjs';

/** Debian package of each tool. */
const PACKAGES: Record<string, string> = {
  convert: 'imagemagick', tiffcp: 'libtiff-tools', tiff2pdf: 'libtiff-tools', exiftool: 'libimage-exiftool-perl',
  'heif-enc': 'libheif-examples', qpdf: 'qpdf', pdftocairo: 'poppler-utils', pdfinfo: 'poppler-utils', pdftoppm: 'poppler-utils',
};

/** The tool's path (Debian's /usr/bin first), or an Error naming the Debian package to install. */
export function tool(name: string): string {
  for (const dir of ['/usr/bin', ...(process.env['PATH'] ?? '').split(delimiter)]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`outil absent : ${name} — installez le paquet Debian ${PACKAGES[name] ?? name} (voir .ci/run)`);
}

/** Runs a tool; its stderr is part of the error when it fails. */
export function run(name: string, args: string[], cwd?: string): string {
  return execFileSync(tool(name), args, { cwd, encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** A folder for one corpus. */
export function corpusDir(): string {
  return mkdtempSync(join(tmpdir(), 'file-corpus-'));
}

/** ImageMagick drawing arguments of the two pictures, at `w` × `h` (default 300 × 400). */
function drawing(kind: 'marked' | 'inked', w = 300, h = 400): string[] {
  const q = Math.round(w / 3);
  const frame = ['-fill', 'none', '-stroke', kind === 'marked' ? '#303030' : 'black', '-strokewidth', '6', '-draw', `rectangle 3,3 ${w - 4},${h - 4}`, '-stroke', 'none'];
  const squares = kind === 'marked'
    ? ['-fill', '#e00000', '-draw', `rectangle 10,10 ${q},${q}`, '-fill', '#00c000', '-draw', `rectangle ${w - q},10 ${w - 11},${q}`, '-fill', '#0000e0', '-draw', `rectangle 10,${h - q} ${q},${h - 11}`]
    : ['-fill', 'black', '-draw', `rectangle 10,10 ${q},${q}`];
  return ['-size', `${w}x${h}`, 'xc:white', ...frame, ...squares];
}

/** Draws a picture into `out` (any format convert writes; extra `options` go before the output name). */
export function picture(dir: string, out: string, kind: 'marked' | 'inked', options: string[] = []): string {
  run('convert', [...drawing(kind), ...options, out], dir);
  return join(dir, out);
}

/**
 * ImageMagick operators giving the stored image of a picture shown upright with EXIF/TIFF Orientation `o`
 * (Exif 2.32 §4.6.4): the inverse of what a reader applies.
 */
export const STORED_FOR: Record<number, string[]> = {
  1: [], 2: ['-flop'], 3: ['-rotate', '180'], 4: ['-flip'], 5: ['-transpose'], 6: ['-rotate', '-90'], 7: ['-transverse'], 8: ['-rotate', '90'],
};

/** Writes `out` (JPEG or TIFF): the marked picture stored for orientation `o`, with its Orientation tag set by exiftool. */
export function oriented(dir: string, out: string, o: number, options: string[] = []): string {
  run('convert', [...drawing('marked'), ...(STORED_FOR[o] ?? []), ...options, out], dir);
  run('exiftool', ['-q', '-overwrite_original', '-n', `-Orientation=${o}`, out], dir);
  return join(dir, out);
}

/** Page count of a PDF as poppler reads it. */
export function pdfPages(file: string): number {
  const match = /^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]));
  if (!match) throw new Error(`pdfinfo ne donne pas de nombre de pages pour ${file}`);
  return Number(match[1]);
}

/** A colour class of an RGB pixel, coarse enough for JPEG's rounding and colour management. */
export type Swatch = 'red' | 'green' | 'blue' | 'black' | 'white' | 'other';

function swatch(r: number, g: number, b: number): Swatch {
  if (r > 200 && g > 200 && b > 200) return 'white';
  if (r < 80 && g < 80 && b < 80) return 'black';
  // One channel well above the two others (a CMYK file converted through an ICC profile darkens green and blue; an
  // inverted one would come out cyan, magenta or yellow: two channels up).
  if (r > 90 && r > 2 * Math.max(g, b)) return 'red';
  if (g > 90 && g > 2 * Math.max(r, b)) return 'green';
  if (b > 90 && b > 2 * Math.max(r, g)) return 'blue';
  return 'other';
}

/**
 * Renders page `page` (1-based) of `pdf` with pdftoppm at 36 dpi, finds the drawn picture (the box of its dark frame)
 * and returns the swatch 18 % inside each corner: where the squares are once the page is shown.
 */
export function corners(pdf: string, page = 1): { topLeft: Swatch; topRight: Swatch; bottomLeft: Swatch; bottomRight: Swatch } {
  const prefix = `${pdf}-p${page}`;
  run('pdftoppm', ['-r', '36', '-f', String(page), '-l', String(page), '-singlefile', '-png', pdf, prefix]);
  const png = PNG.sync.read(readFileSync(`${prefix}.png`));
  const at = (x: number, y: number) => {
    const i = (y * png.width + x) * 4;
    return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!] as const;
  };
  let x0 = png.width, y0 = png.height, x1 = -1, y1 = -1;
  for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) {
    const [r, g, b] = at(x, y);
    if (r + g + b < 450) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  }
  if (x1 < 0) throw new Error(`page ${page} de ${pdf} : aucune image dessinée`);
  const pick = (fx: number, fy: number) => swatch(...at(Math.round(x0 + fx * (x1 - x0)), Math.round(y0 + fy * (y1 - y0))));
  return { topLeft: pick(0.18, 0.18), topRight: pick(0.82, 0.18), bottomLeft: pick(0.18, 0.82), bottomRight: pick(0.82, 0.82) };
}

/** What the marked picture shows upright, and the inked one. */
export const MARKED = { topLeft: 'red', topRight: 'green', bottomLeft: 'blue', bottomRight: 'white' } as const;
export const INKED = { topLeft: 'black', topRight: 'white', bottomLeft: 'white', bottomRight: 'white' } as const;

/** Writes `bytes` to `dir/name` and returns the path. */
export function save(dir: string, name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
