/**
 * The WIA driver against a FAKE `powershell.exe` (a Node script put first on the PATH): it checks the arguments and the
 * script it receives on stdin (saved for the test to read), then replays answers shaped like those of the real script
 * under Windows PowerShell 5.1 (ConvertTo-Json -Compress; a one-element array printed bare). No real Windows PC here.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WiaDriver } from '../../../main/scan/wia/driver';
import { checkDeviceId, psQuote, scanScript } from '../../../main/scan/wia/script';
import { ScanFailure, type ScannedImage, type ScanOptions } from '../../../main/scan/types';

const DEV = '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

const FAKE = `#!/usr/bin/env node
const fs = require('node:fs');
const dir = process.env.FAKE_WIA_DIR;
const plan = JSON.parse(fs.readFileSync(dir + '/plan.json', 'utf8'));
let script = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (script += d));
process.stdin.on('end', async () => {
  fs.writeFileSync(dir + '/script.ps1', script);
  const args = process.argv.slice(2).join(' ');
  if (args !== '-NoProfile -NonInteractive -Command -') { process.stderr.write('bad args ' + args); process.exit(97); }
  for (const part of plan.require) if (!script.includes(part)) { process.stderr.write('missing ' + part); process.exit(98); }
  for (const line of plan.lines) {
    process.stdout.write(line + '\\n');
    if (plan.delayMs) await new Promise((r) => setTimeout(r, plan.delayMs));
  }
  process.exit(0);
});
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A driver whose PATH starts with a fake powershell.exe following `plan`; returns it and the folder. */
function fake(plan: { require: string[]; lines: unknown[]; delayMs?: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'fake-wia-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'powershell.exe'), FAKE);
  chmodSync(join(dir, 'powershell.exe'), 0o755);
  writeFileSync(join(dir, 'plan.json'), JSON.stringify({ ...plan, lines: plan.lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))) }));
  const driver = new WiaDriver({ platform: 'win32', env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, FAKE_WIA_DIR: dir } });
  return { driver, script: () => readFileSync(join(dir, 'script.ps1'), 'utf8') };
}

async function collect(it: AsyncIterable<ScannedImage>): Promise<ScannedImage[]> {
  const out: ScannedImage[] = [];
  for await (const p of it) out.push(p);
  return out;
}

/** Scan options with the contract's defaults (300 dpi, colour, simplex) and `o` over them. */
const opts = (o: Partial<ScanOptions>): ScanOptions => ({ source: 'platen', duplex: false, dpi: 300, mode: 'color', ...o });

describe('WIA driver (fake powershell)', () => {
  it('lists scanners with their sources, one-source answers included', async () => {
    const { driver, script } = fake({
      require: ['New-Object -ComObject WIA.DeviceManager', 'Get-Prop $dev.Properties 3086', '$i.Type -ne 1'],
      lines: [
        { type: 'device', id: DEV, name: 'Brother MFC-L2710DW', sources: ['platen', 'feeder'] },
        { type: 'device', id: '{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0002', name: 'Canon LiDE 300', sources: 'platen' },
        { type: 'end', pages: 0 },
      ],
    });
    expect(await driver.list()).toEqual([
      { id: `wia:${DEV}`, name: 'Brother MFC-L2710DW', kind: 'wia', sources: ['platen', 'feeder'] },
      { id: 'wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0002', name: 'Canon LiDE 300', kind: 'wia', sources: ['platen'] },
    ]);
    expect(script()).toContain("$ErrorActionPreference = 'Stop'");
  });

  it('reads capabilities: a resolution range becomes the usual values', async () => {
    const { driver, script } = fake({ require: [psQuote(DEV), '6147', 'SubTypeMin'], lines: [{ type: 'capabilities', sources: ['platen', 'feeder', 'duplex'], modes: ['color', 'gray', 'bw'], resolutions: [75, 600, 1], range: true }] });
    expect(await driver.capabilities(`wia:${DEV}`)).toEqual({ sources: ['platen', 'feeder', 'duplex'], modes: ['color', 'gray', 'bw'], resolutions: [75, 100, 150, 200, 240, 300, 400, 600] });
    expect(script()).toContain(`$id = '${DEV}'`);
  });

  it('scans the feeder in duplex, grey, 200 dpi: pages decoded as they come', async () => {
    const { driver, script } = fake({
      require: ['$handling = 5', '$feeder = $true', '$dpi = 200', '$intent = 2', 'Set-Prop $dev.Properties 3088 $handling', "'0x80210003'", '{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}'],
      lines: [1, 2, 3].map((index) => ({ type: 'page', index, mime: 'image/png', base64: PNG })).concat([{ type: 'end', pages: 3 } as never]),
    });
    const pages = await collect(driver.scan(`wia:${DEV}`, opts({ source: 'feeder', duplex: true, dpi: 200, mode: 'gray' }), new AbortController().signal));
    expect(pages).toHaveLength(3);
    expect(Buffer.from(pages[2]!.bytes).subarray(1, 4).toString()).toBe('PNG');
    expect(script()).toContain('$handling = 5');
  });

  it('scans the platen once (3088 = 2, no loop on paper empty)', async () => {
    const { driver } = fake({ require: ['$handling = 2', '$feeder = $false', '$dpi = 300', '$intent = 1'], lines: [{ type: 'page', index: 1, mime: 'image/png', base64: PNG }, { type: 'end', pages: 1 }] });
    expect(await collect(driver.scan(`wia:${DEV}`, opts({ source: 'platen' }), new AbortController().signal))).toHaveLength(1);
  });

  it('turns paper empty, busy, offline, jam and unknown codes into French errors with the contract codes', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['0x80210003', 'feederEmpty', /chargeur du scanner est vide/],
      ['0x80210006', 'busy', /occupé/],
      ['0x80210005', 'unreachable', /hors ligne/],
      ['0x80210002', 'jam', /coincée/],
      ['0x8021FFFF', 'other', /code 0x8021FFFF/],
    ];
    for (const [hresult, code, message] of cases) {
      const { driver } = fake({ require: [], lines: [{ type: 'error', hresult, message: 'from WIA' }] });
      const err = await collect(driver.scan(`wia:${DEV}`, opts({ source: 'feeder' }), new AbortController().signal)).catch((e: unknown) => e);
      expect(err, hresult).toBeInstanceOf(ScanFailure);
      expect((err as ScanFailure).reason, hresult).toBe(code);
      expect((err as ScanFailure).message, hresult).toMatch(message);
    }
  });

  it('keeps the pages given before a jam, then throws', async () => {
    const { driver } = fake({ require: [], lines: [{ type: 'page', index: 1, mime: 'image/png', base64: PNG }, { type: 'error', hresult: '0x80210002' }] });
    const got: ScannedImage[] = [];
    const err = await (async () => {
      for await (const p of driver.scan(`wia:${DEV}`, opts({ source: 'feeder' }), new AbortController().signal)) got.push(p);
    })().catch((e: unknown) => e);
    expect(got).toHaveLength(1);
    expect((err as ScanFailure).reason).toBe('jam');
  });

  it('refuses garbage from PowerShell, a child that stops early, and hostile ids', async () => {
    await expect(collect(fake({ require: [], lines: ['Exception calling "Connect"'] }).driver.scan(`wia:${DEV}`, opts({ source: 'platen' }), new AbortController().signal))).rejects.toThrow(/Réponse illisible/);
    await expect(collect(fake({ require: [], lines: [{ type: 'page', index: 1, mime: 'image/png', base64: PNG }] }).driver.scan(`wia:${DEV}`, opts({ source: 'platen' }), new AbortController().signal))).rejects.toThrow(/arrêté avant la fin/);
    await expect(collect(fake({ require: ['never there'], lines: [] }).driver.scan(`wia:${DEV}`, opts({ source: 'platen' }), new AbortController().signal))).rejects.toThrow(ScanFailure);
    expect(() => checkDeviceId("x'; Remove-Item C:\\ -Recurse; '")).toThrow(/WIA invalide/);
    expect(() => scanScript(DEV, opts({ source: 'platen', dpi: 90000 }))).toThrow(/90000 ppp/);
    expect(psQuote("l'accueil")).toBe("'l''accueil'");
  });

  it('cancels: the child is killed, the pages already given stay', async () => {
    const { driver } = fake({ require: [], delayMs: 400, lines: [1, 2, 3, 4, 5, 6, 7, 8].map((index) => ({ type: 'page', index, mime: 'image/png', base64: PNG })) });
    const abort = new AbortController();
    const got: ScannedImage[] = [];
    const started = Date.now();
    for await (const p of driver.scan(`wia:${DEV}`, opts({ source: 'feeder' }), abort.signal)) {
      got.push(p);
      if (got.length === 2) abort.abort();
    }
    expect(got).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('is offered on Windows only', async () => {
    expect(new WiaDriver({ platform: 'linux' }).available()).toBe(false);
    expect(await new WiaDriver({ platform: 'linux' }).list()).toEqual([]);
  });
});
