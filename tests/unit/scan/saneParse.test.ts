import { describe, expect, it } from 'vitest';
import { describeFailure, parseDeviceList, parseOptions } from '../../../main/scan/sane/parse';
import { buildScanArgs } from '../../../main/scan/sane/command';
import { ScanFailure, type ScanOptions } from '../../../main/scan/types';

// Excerpts in the shape of real `scanimage -A` answers of two backends (a network MFP through airscan, an Epson).
const AIRSCAN = `All options specific to device \`airscan:e0:Brother MFC-L2710DW'
  Standard:
    --resolution 100|200|300|600dpi [300]
        Sets the resolution of the scanned image.
    --mode Color|Gray [Color]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --source Flatbed|ADF|ADF Duplex [Flatbed]
        Selects the scan source (such as a document-feeder).
`;
const EPSON = `  Scan Mode:
    --mode Lineart|Gray|Color [Lineart]
    --depth 8|16 [8]
    --halftoning None|Halftone A (Hard Tone) [inactive]
    --resolution 75|150|300|600|1200dpi [75]
  Advanced:
    --source Flatbed|Transparency Unit|Automatic Document Feeder [inactive]
`;

/** Scan options with the contract's defaults (300 dpi, colour, simplex) and `o` over them. */
const opts = (o: Partial<ScanOptions>): ScanOptions => ({ source: 'platen', duplex: false, dpi: 300, mode: 'color', ...o });

describe('scanimage answers', () => {
  it('reads the device list and ignores the « no scanners » text', () => {
    const out = "device `test:0' is a Noname frontend-tester virtual device\ndevice `airscan:e0:Brother MFC' is a eSCL Brother MFC ip=192.168.1.20\n";
    expect(parseDeviceList(out)).toEqual([
      { device: 'test:0', name: 'Noname frontend-tester virtual device' },
      { device: 'airscan:e0:Brother MFC', name: 'eSCL Brother MFC ip=192.168.1.20' },
    ]);
    expect(parseDeviceList('\nNo scanners were identified. If you were expecting something different,\n')).toEqual([]);
  });

  it('maps sources, modes and resolutions of a network MFP', () => {
    const o = parseOptions(AIRSCAN);
    expect(o.sources).toEqual(['platen', 'feeder', 'duplex']);
    expect(o.sourceValues).toEqual({ platen: 'Flatbed', feeder: 'ADF', duplex: 'ADF Duplex' });
    expect(o.modes).toEqual(['color', 'gray']);
    expect(o.resolutions).toEqual([100, 200, 300, 600]);
  });

  it('keeps an inactive source option out (platen only) and maps Lineart to black and white', () => {
    const o = parseOptions(EPSON);
    expect(o.sources).toEqual(['platen']);
    expect(o.sourceValues).toEqual({});
    expect(o.modes).toEqual(['color', 'gray', 'bw']);
    expect(o.resolutions).toEqual([75, 150, 300, 600, 1200]);
  });

  it('turns a range of resolutions into the usual ones inside it', () => {
    expect(parseOptions('    --resolution 50..600dpi (in steps of 1) [50]\n').resolutions).toEqual([75, 100, 150, 200, 240, 300, 400, 600]);
  });

  it('names each failure in French with its contract code', () => {
    expect(describeFailure(7, '').code).toBe('feederEmpty');
    expect(describeFailure(0, 'scanimage: sane_start: Document feeder out of documents').code).toBe('feederEmpty');
    expect(describeFailure(6, '').message).toMatch(/coincée/);
    expect(describeFailure(3, 'sane_read: Device busy').code).toBe('busy');
    expect(describeFailure(8, '').code).toBe('coverOpen');
    expect(describeFailure(1, 'scanimage: open of device nope failed: Invalid argument').code).toBe('unreachable');
    expect(describeFailure(9, 'Error during device I/O').code).toBe('other');
  });

  it('builds the feeder batch and refuses what the device lacks', () => {
    const o = parseOptions(AIRSCAN);
    expect(buildScanArgs('airscan:e0:X', o, opts({ source: 'feeder', duplex: true, dpi: 300, mode: 'gray' }), 'png', '/tmp/d')).toEqual([
      '-d', 'airscan:e0:X', '--source=ADF Duplex', '--mode=Gray', '--resolution=300', '--format=png', '--batch=/tmp/d/page-%04d.png', '--batch-print',
    ]);
    expect(buildScanArgs('airscan:e0:X', o, opts({ source: 'platen' }), 'tiff', null)).toEqual(['-d', 'airscan:e0:X', '--source=Flatbed', '--mode=Color', '--resolution=300', '--format=tiff']);
    expect(() => buildScanArgs('e', parseOptions(EPSON), opts({ source: 'feeder' }), 'png', '/tmp/d')).toThrow(ScanFailure);
    expect(() => buildScanArgs('a', o, opts({ source: 'platen', mode: 'bw' }), 'png', null)).toThrow(/mode de couleur/);
    expect(() => buildScanArgs('a', o, opts({ source: 'platen', dpi: 5000 }), 'png', null)).toThrow(/5000 ppp/);
  });
});
