/**
 * The test eSCL server checked against an eSCL client no one here wrote: Debian's sane-airscan through `scanimage`
 * (packages sane-utils and sane-airscan, installed by .ci/run). A private SANE_CONFIG_DIR loads only the airscan backend
 * and names the server under `[devices]`, with mDNS discovery off (`[options] discovery = disable`: no avahi needed).
 * If airscan accepts our capabilities, settings, job Location, pages and feeder states, the server speaks eSCL.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/core';
import { startEsclServer, type EsclServer } from '../../helpers/esclServer';

const run = promisify(execFile);
let server: EsclServer;
let dir: string;
const DEVICE = 'airscan:e0:Banc de test';

beforeAll(async () => {
  server = await startEsclServer();
  dir = tempDir('airscan-');
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'dll.conf'), 'airscan\n');
  writeFileSync(join(dir, 'airscan.conf'), `[devices]\n"Banc de test" = ${server.url}, eSCL\n\n[options]\ndiscovery = disable\n`);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const scanimage = (args: string[]) =>
  run('scanimage', args, { env: { ...process.env, SANE_CONFIG_DIR: dir, SANE_DEBUG_AIRSCAN: '0' }, timeout: 60_000, cwd: join(dir, 'out') }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );

describe('test eSCL server read by sane-airscan', () => {
  it('is listed by scanimage -L and offers what its capabilities say', async () => {
    const list = await scanimage(['-L']);
    expect(list.stdout).toContain(`device \`${DEVICE}' is a eSCL`);
    const opts = await scanimage(['-d', DEVICE, '-A']);
    expect(opts.stdout).toMatch(/--resolution 75\|100\|150\|200\|300\|600dpi/);
    expect(opts.stdout).toMatch(/--source Flatbed\|ADF\|ADF Duplex/);
  });

  it('scans a grey page from the platen at 150 dpi', async () => {
    const r = await scanimage(['-d', DEVICE, '--format=png', '--resolution', '150', '--mode', 'Gray', '-o', 'platen.png']);
    expect(r.code, r.stderr).toBe(0);
    const meta = await sharp(join(dir, 'out', 'platen.png')).metadata();
    expect([meta.format, meta.height, meta.channels]).toEqual(['png', 1754, 1]);
    expect(server.settings.at(-1)).toMatchObject({ source: 'Platen', mode: 'Grayscale8', xResolution: 150 });
  });

  it('scans the feeder in duplex to the last page, then reads the empty feeder and a jam as airscan should', async () => {
    const r = await scanimage(['-d', DEVICE, '--format=png', '--source', 'ADF Duplex', '--resolution', '75', '--batch=feuille%d.png']);
    expect(r.stderr).toMatch(/3 pages scanned/);
    expect(r.stderr).toMatch(/out of documents/);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.startsWith('feuille')).sort()).toEqual(['feuille1.png', 'feuille2.png', 'feuille3.png']);
    expect(server.settings.at(-1)).toMatchObject({ source: 'Feeder', duplex: true });

    server.script.load([{ text: ['un'] }, { text: ['deux'] }]);
    server.script.jamAfter(1);
    const jam = await scanimage(['-d', DEVICE, '--format=png', '--source', 'ADF', '--resolution', '75', '--batch=bourrage%d.png']);
    expect(jam.stderr).toMatch(/jammed/i);
  });
});
