import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { readTiffLayout } from '../../../main/vault/headers';
import { decodeRasterPage } from '../../../main/vault/raster';

describe('JPEG-compressed RGB TIFF (scanner output)', () => {
  it('keeps the colours: the paper stays white, not magenta', async () => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/fixtures/scans/attestation-domicile-2pages.tif')));
    const { pages } = readTiffLayout('attestation.tif', bytes);
    expect(pages).toHaveLength(2);
    for (const layout of pages) {
      expect(layout.compression).toBe(7);
      const page = await decodeRasterPage('attestation.tif', 'TIFF', { bytes, page: layout.ifd, lossy: true });
      if (page.format !== 'jpeg') throw new Error('a TIFF of JPEG strips must stay JPEG, not be inflated');
      const png = jpeg.decode(page.bytes, { useTArray: true, formatAsRGBA: true });
      expect(png.width).toBe(layout.width);
      // Average of the top-left 100×100 pixels: margin paper.
      let r = 0, g = 0, b = 0;
      for (let y = 0; y < 100; y++) for (let x = 0; x < 100; x++) {
        const i = (y * png.width + x) * 4;
        r += png.data[i]!; g += png.data[i + 1]!; b += png.data[i + 2]!;
      }
      const n = 100 * 100;
      expect(Math.min(r / n, g / n, b / n)).toBeGreaterThan(230);
      expect(Math.abs(r / n - g / n)).toBeLessThan(10);
    }
  });
});
