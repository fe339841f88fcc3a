import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { decodeTiffPages } from '../../../main/vault/images';

describe('JPEG-compressed RGB TIFF (scanner output)', () => {
  it('keeps the colours: the paper stays white, not magenta', () => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/fixtures/scans/attestation-domicile-2pages.tif')));
    const pages = decodeTiffPages('attestation.tif', bytes);
    expect(pages).toHaveLength(2);
    for (const page of pages) {
      expect(page.format).toBe('jpeg'); // the TIFF holds JPEG strips: kept as JPEG, not inflated to PNG
      const png = jpeg.decode(page.bytes, { useTArray: true, formatAsRGBA: true });
      expect(png.width).toBe(page.width);
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
