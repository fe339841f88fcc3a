/**
 * Every image kind an office scanner or a phone writes (docs/file-kinds.md), made at test time with Debian's tools
 * (tests/helpers/fileCorpus.ts), assembled by `buildPdf`, read back with poppler: page count by `pdfinfo`, and where
 * each marked corner lands on the page rendered by `pdftoppm` (orientation, mirroring, colour: a CMYK file must not
 * come out inverted).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPdf } from '../../../main/vault/pdf';
import { INKED, MARKED, corners, corpusDir, oriented, pdfPages, picture, run, save } from '../../helpers/fileCorpus';

type Corners = typeof MARKED | typeof INKED;
interface Kind {
  name: string;
  make: (dir: string) => string;
  pages: number;
  shows: Corners;
}

/** tiffcp re-compresses an uncompressed TIFF written by convert. */
const tiffcp = (dir: string, out: string, from: string, compression: string, extra: string[] = []) => {
  run('tiffcp', ['-c', compression, ...extra, from, out], dir);
  return join(dir, out);
};
const bilevel = (dir: string) => picture(dir, 'bilevel.tif', 'inked', ['-type', 'Bilevel', '-depth', '1', '-compress', 'None']);
const rgb = (dir: string) => picture(dir, 'rgb.tif', 'marked', ['-type', 'TrueColor', '-depth', '8', '-compress', 'None']);

const KINDS: Kind[] = [
  { name: 'TIFF CCITT G3 (fax)', make: (d) => tiffcp(d, 'g3.tif', bilevel(d), 'g3'), pages: 1, shows: INKED },
  { name: 'TIFF CCITT G4', make: (d) => tiffcp(d, 'g4.tif', bilevel(d), 'g4'), pages: 1, shows: INKED },
  { name: 'TIFF PackBits, 1 bit', make: (d) => tiffcp(d, 'packbits-bw.tif', bilevel(d), 'packbits'), pages: 1, shows: INKED },
  { name: 'TIFF LZW, RGB 8 bits', make: (d) => tiffcp(d, 'lzw.tif', rgb(d), 'lzw'), pages: 1, shows: MARKED },
  { name: 'TIFF Deflate, RGB', make: (d) => tiffcp(d, 'zip.tif', rgb(d), 'zip'), pages: 1, shows: MARKED },
  { name: 'TIFF PackBits, RGB', make: (d) => tiffcp(d, 'packbits.tif', rgb(d), 'packbits'), pages: 1, shows: MARKED },
  { name: 'TIFF JPEG, YCbCr', make: (d) => tiffcp(d, 'jpeg.tif', rgb(d), 'jpeg', ['-r', '16']), pages: 1, shows: MARKED },
  { name: 'TIFF JPEG, RGB samples', make: (d) => tiffcp(d, 'jpeg-rgb.tif', rgb(d), 'jpeg:r', ['-r', '16']), pages: 1, shows: MARKED },
  { name: 'TIFF grey 8 bits', make: (d) => picture(d, 'gray.tif', 'inked', ['-type', 'Grayscale', '-depth', '8', '-compress', 'LZW']), pages: 1, shows: INKED },
  { name: 'TIFF RGB 16 bits', make: (d) => picture(d, 'rgb16.tif', 'marked', ['-type', 'TrueColor', '-depth', '16', '-compress', 'Zip']), pages: 1, shows: MARKED },
  { name: 'TIFF grey 16 bits', make: (d) => picture(d, 'gray16.tif', 'inked', ['-type', 'Grayscale', '-depth', '16', '-compress', 'None']), pages: 1, shows: INKED },
  { name: 'TIFF palette', make: (d) => picture(d, 'palette.tif', 'marked', ['-type', 'Palette', '-compress', 'LZW']), pages: 1, shows: MARKED },
  { name: 'TIFF CMYK', make: (d) => picture(d, 'cmyk.tif', 'marked', ['-colorspace', 'CMYK', '-compress', 'LZW']), pages: 1, shows: MARKED },
  {
    name: 'TIFF of 3 pages, G4',
    make: (d) => {
      const one = bilevel(d);
      run('tiffcp', ['-c', 'g4', one, one, one, 'three.tif'], d);
      return join(d, 'three.tif');
    },
    pages: 3,
    shows: INKED,
  },
  { name: 'JPEG baseline', make: (d) => picture(d, 'base.jpg', 'marked'), pages: 1, shows: MARKED },
  { name: 'JPEG progressive', make: (d) => picture(d, 'prog.jpg', 'marked', ['-interlace', 'JPEG']), pages: 1, shows: MARKED },
  { name: 'JPEG CMYK (Adobe)', make: (d) => picture(d, 'cmyk.jpg', 'marked', ['-colorspace', 'CMYK']), pages: 1, shows: MARKED },
  { name: 'JPEG grey', make: (d) => picture(d, 'gray.jpg', 'inked', ['-type', 'Grayscale']), pages: 1, shows: INKED },
  { name: 'PNG RGB', make: (d) => picture(d, 'rgb.png', 'marked', ['-type', 'TrueColor']), pages: 1, shows: MARKED },
  { name: 'PNG with alpha', make: (d) => picture(d, 'alpha.png', 'marked', ['-type', 'TrueColorAlpha']), pages: 1, shows: MARKED },
  { name: 'PNG palette', make: (d) => picture(d, 'palette.png', 'marked', ['-type', 'Palette', '-define', 'png:format=png8']), pages: 1, shows: MARKED },
  { name: 'PNG 16 bits', make: (d) => picture(d, 'rgb16.png', 'marked', ['-depth', '16', '-define', 'png:format=png48']), pages: 1, shows: MARKED },
  { name: 'PNG interlaced', make: (d) => picture(d, 'interlaced.png', 'marked', ['-interlace', 'PNG']), pages: 1, shows: MARKED },
  { name: 'PNG grey', make: (d) => picture(d, 'gray.png', 'inked', ['-type', 'Grayscale']), pages: 1, shows: INKED },
  {
    name: 'HEIC (phone photo, heif-enc)',
    make: (d) => {
      const png = picture(d, 'for-heic.png', 'marked', ['-type', 'TrueColor']);
      run('heif-enc', ['-q', '90', '-o', 'photo.heic', png], d);
      return join(d, 'photo.heic');
    },
    pages: 1,
    shows: MARKED,
  },
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((o): Kind => ({ name: `JPEG, EXIF Orientation ${o}`, make: (d) => oriented(d, `o${o}.jpg`, o), pages: 1, shows: MARKED })),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((o): Kind => ({ name: `TIFF, Orientation tag ${o}`, make: (d) => oriented(d, `o${o}.tif`, o, ['-compress', 'LZW']), pages: 1, shows: MARKED })),
];

describe('every image kind, made by Debian tools, assembled and read back by poppler', () => {
  let dir: string;
  beforeAll(() => {
    dir = corpusDir();
  });

  it.each(KINDS)('$name: pages kept, corners where the picture shows them', async ({ name, make, pages, shows }) => {
    const file = make(dir);
    const { pdf, pages: built } = await buildPdf([{ name, bytes: new Uint8Array(readFileSync(file)) }]);
    const out = save(dir, `${file.split('/').pop()}.pdf`, pdf);
    expect(built).toBe(pages);
    expect(pdfPages(out)).toBe(pages);
    for (let page = 1; page <= pages; page++) expect(corners(out, page)).toEqual(shows);
  }, 30_000);
});
