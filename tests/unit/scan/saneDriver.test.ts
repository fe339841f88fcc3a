/**
 * The SANE driver against a real scanimage and SANE's own `test` backend (Debian sane-utils), configured through a
 * private SANE_CONFIG_DIR: its test.conf makes it a feeder that jams, is empty, is slow (for cancel)...
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SaneDriver } from '../../../main/scan/sane/driver';
import { ScanFailure, type ScannedImage, type ScanOptions } from '../../../main/scan/types';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A SANE_CONFIG_DIR enabling only the test backend, with extra test.conf lines. */
function driver(testConf: string[] = []): SaneDriver {
  const dir = mkdtempSync(join(tmpdir(), 'sane-cfg-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'dll.conf'), 'test\n');
  writeFileSync(join(dir, 'test.conf'), ['number_of_devices 2', 'resolution 50.0', ...testConf].join('\n') + '\n');
  return new SaneDriver({ env: { SANE_CONFIG_DIR: dir } });
}

async function collect(it: AsyncIterable<ScannedImage>): Promise<ScannedImage[]> {
  const out: ScannedImage[] = [];
  for await (const p of it) out.push(p);
  return out;
}

/** Width and PNG colour type (0 grey, 2 RGB) read from the IHDR chunk (PNG spec §11.2.2). */
function png(bytes: Uint8Array): { width: number; colorType: number } {
  const b = Buffer.from(bytes);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), colorType: b[25]! };
}

const tempPages = () => readdirSync(tmpdir()).filter((n) => n.startsWith('solidariciel-sane-'));

/** Scan options with the contract's defaults (300 dpi, colour, simplex) and `o` over them. */
const opts = (o: Partial<ScanOptions>): ScanOptions => ({ source: 'platen', duplex: false, dpi: 300, mode: 'color', ...o });

describe('SANE driver (scanimage, test backend)', () => {
  it('lists the test devices with their sources, and reads their capabilities', async () => {
    const d = driver();
    expect(d.available()).toBe(true);
    const list = await d.list();
    expect(list.map((s) => s.id)).toEqual(['sane:test:0', 'sane:test:1']);
    expect(list[0]).toMatchObject({ kind: 'sane', sources: ['platen', 'feeder'] });
    const caps = await d.capabilities('sane:test:0');
    expect(caps.modes).toEqual(['color', 'gray']);
    expect(caps.resolutions).toContain(300);
  });

  it('scans one page from the platen as a PNG of the asked size and mode', async () => {
    const pages = await collect(driver().scan('sane:test:0', opts({ source: 'platen', dpi: 100, mode: 'color' }), new AbortController().signal));
    expect(pages).toHaveLength(1);
    const meta = png(pages[0]!.bytes);
    expect(pages[0]!.mime).toBe('image/png');
    expect(meta.colorType).toBe(2);
    // the test backend's 80 mm wide area at 100 dpi: 315 pixels (314 when the backend rounds down)
    expect(Math.abs(meta.width - (80 / 25.4) * 100)).toBeLessThan(1.5);
  });

  it('empties the feeder page by page (10 sheets in the test feeder) and leaves no page on disk', async () => {
    const before = tempPages().length;
    const pages = await collect(driver().scan('sane:test:0', opts({ source: 'feeder', mode: 'gray' }), new AbortController().signal));
    expect(pages).toHaveLength(10);
    expect(png(pages[9]!.bytes).colorType).toBe(0);
    expect(tempPages().length).toBe(before);
  });

  it('says in French when the feeder is empty, jammed, busy or the cover open', async () => {
    const cases: Array<[string, string]> = [
      ['SANE_STATUS_NO_DOCS', 'feederEmpty'],
      ['SANE_STATUS_JAMMED', 'jam'],
      ['SANE_STATUS_DEVICE_BUSY', 'busy'],
      ['SANE_STATUS_COVER_OPEN', 'coverOpen'],
    ];
    for (const [status, code] of cases) {
      const err = await collect(driver([`read-status-code "${status}"`]).scan('sane:test:0', opts({ source: 'feeder' }), new AbortController().signal)).catch((e: unknown) => e);
      expect(err, status).toBeInstanceOf(ScanFailure);
      expect((err as ScanFailure).reason, status).toBe(code);
      expect((err as ScanFailure).message).toMatch(/[éèà]|scanner/);
    }
  });

  it('refuses an unknown device and a source the device lacks, in French', async () => {
    const err = await collect(driver().scan('sane:nope', opts({ source: 'platen' }), new AbortController().signal)).catch((e: unknown) => e);
    expect((err as ScanFailure).reason).toBe('unreachable');
    expect((err as ScanFailure).message).toMatch(/introuvable/);
    await expect(collect(driver().scan('sane:test:0', opts({ source: 'duplex' }), new AbortController().signal))).rejects.toThrow(/recto verso/);
    await expect(driver().capabilities('escl:http://x')).rejects.toThrow(/sane:APPAREIL/);
  });

  it('cancels a slow feeder scan: the child stops within seconds, nothing left on disk', async () => {
    const before = tempPages().length;
    // 0.2 s after every buffer: a 300-dpi colour page takes ~10 s to arrive.
    const d = driver(['read-delay true', 'read-delay-duration 200000']);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 1000);
    const started = Date.now();
    const pages = await collect(d.scan('sane:test:0', opts({ source: 'feeder', dpi: 300, mode: 'color' }), abort.signal));
    expect(pages).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(tempPages().length).toBe(before);
  });

  it('is not offered where scanimage is missing or on Windows', async () => {
    expect(new SaneDriver({ platform: 'win32' }).available()).toBe(false);
    expect(await new SaneDriver({ platform: 'win32' }).list()).toEqual([]);
  });
});
