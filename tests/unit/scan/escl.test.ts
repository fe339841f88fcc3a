/**
 * The eSCL driver against the test eSCL server (tests/helpers/esclServer.ts): capabilities, a platen page, a feeder
 * batch, duplex, the settings sent, 503 retried, empty feeder, jam, cover open, unreachable, cancel (DELETE), and
 * addresses typed by hand remembered in the device preferences.
 */
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { MemoryPreferences } from '../../../main/core/filePreferences';
import { EsclDriver, ESCL_PREFS_KEY } from '../../../main/scan/escl/driver';
import { esclRoot } from '../../../main/scan/escl/address';
import { ScanFailure, type ScannedImage, type ScanOptions } from '../../../main/scan/types';
import { startEsclServer, type EsclServer } from '../../helpers/esclServer';

const fast = { retryDelaysMs: [10, 20, 40], timeoutMs: 10_000 };
const opts = (o: Partial<ScanOptions> = {}): ScanOptions => ({ source: 'feeder', duplex: false, dpi: 100, mode: 'gray', ...o });
let servers: EsclServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const start = async (...a: Parameters<typeof startEsclServer>) => {
  const s = await startEsclServer(...a);
  servers.push(s);
  return s;
};
const driver = (prefs = new MemoryPreferences()) => new EsclDriver({ prefs, discover: async () => [], client: fast });

async function collect(it: AsyncIterable<ScannedImage>): Promise<ScannedImage[]> {
  const out: ScannedImage[] = [];
  for await (const p of it) out.push(p);
  return out;
}
async function failure(p: Promise<unknown>): Promise<ScanFailure> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ScanFailure);
  return e as ScanFailure;
}

describe('eSCL addresses typed by hand', () => {
  it('completes an address into the eSCL root and refuses other schemes', () => {
    expect(esclRoot('192.168.1.20')).toBe('http://192.168.1.20/eSCL');
    expect(esclRoot(' imprimante.local:8080 ')).toBe('http://imprimante.local:8080/eSCL');
    expect(esclRoot('https://10.0.0.5/')).toBe('https://10.0.0.5/eSCL');
    expect(esclRoot('http://h/scanner/eSCL/')).toBe('http://h/scanner/eSCL');
    expect(esclRoot('escl:http://h:81/eSCL')).toBe('http://h:81/eSCL');
    expect(() => esclRoot('ftp://h/eSCL')).toThrow(/ftp:\/\/h\/eSCL/);
    expect(() => esclRoot('http://user:pw@h/')).toThrow(/sans identifiant/);
    expect(() => esclRoot('http://[zz')).toThrow(/incompréhensible/);
  });
});

describe('eSCL driver', () => {
  it('reads the capabilities: platen, feeder, duplex, three modes, resolutions', async () => {
    const s = await start();
    const caps = await driver().capabilities(`escl:${s.url}`);
    expect(caps).toEqual({ sources: ['platen', 'feeder', 'duplex'], modes: ['color', 'gray', 'bw'], resolutions: [75, 100, 150, 200, 300, 600] });
    const noFeeder = await start({ feeder: false });
    expect((await driver().capabilities(`escl:${noFeeder.url}`)).sources).toEqual(['platen']);
  });

  it('scans the feeder: every page in order, as JPEG of the asked size, then 404 ends the job', async () => {
    const s = await start();
    const pages = await collect(driver().scan(`escl:${s.url}`, opts({ dpi: 150 }), new AbortController().signal));
    expect(pages).toHaveLength(3);
    for (const p of pages) {
      expect(p.mime).toBe('image/jpeg');
      const meta = await sharp(p.bytes).metadata();
      expect([meta.width, meta.height, meta.channels]).toEqual([1240, 1754, 1]);
    }
    expect(s.settings).toEqual([{ source: 'Feeder', duplex: false, mode: 'Grayscale8', xResolution: 150, format: 'image/jpeg' }]);
    expect(s.requests.filter((r) => r.endsWith('/NextDocument'))).toHaveLength(4);
    expect(s.deleted).toEqual([]);
  });

  it('scans the platen once, in colour, and asks PNG for black and white, duplex for the feeder', async () => {
    const s = await start({ refill: true });
    const one = await collect(driver().scan(`escl:${s.url}`, opts({ source: 'platen', mode: 'color' }), new AbortController().signal));
    expect(one).toHaveLength(1);
    expect((await sharp(one[0]!.bytes).metadata()).channels).toBe(3);
    const bw = await collect(driver().scan(`escl:${s.url}`, opts({ mode: 'bw', duplex: true }), new AbortController().signal));
    expect(bw.map((p) => p.mime)).toEqual(['image/png', 'image/png', 'image/png']);
    expect(s.settings[1]).toMatchObject({ source: 'Feeder', duplex: true, mode: 'BlackAndWhite1', format: 'image/png' });
  });

  it('follows a relative job Location', async () => {
    const s = await start({ relativeLocation: true });
    expect(await collect(driver().scan(`escl:${s.url}`, opts(), new AbortController().signal))).toHaveLength(3);
  });

  it('retries a busy scanner (503) with a back-off, then says it is busy', async () => {
    const s = await start({ refill: true });
    s.script.busyJobs(2);
    s.script.busyPages(2);
    expect(await collect(driver().scan(`escl:${s.url}`, opts(), new AbortController().signal))).toHaveLength(3);
    expect(s.requests.filter((r) => r === 'POST /eSCL/ScanJobs')).toHaveLength(3);
    s.script.busyJobs(10);
    const f = await failure(collect(driver().scan(`escl:${s.url}`, opts(), new AbortController().signal)));
    expect(f.reason).toBe('busy');
    expect(f.message).toMatch(/occupé/);
  });

  it('says the feeder is empty, the feeder jammed (pages kept), the cover is open — in French', async () => {
    const s = await start();
    s.script.empty();
    const empty = await failure(collect(driver().scan(`escl:${s.url}`, opts(), new AbortController().signal)));
    expect([empty.reason, empty.message]).toEqual(['feederEmpty', expect.stringMatching(/chargeur est vide/)]);

    s.script.load([{ text: ['a'] }, { text: ['b'] }, { text: ['c'] }]);
    s.script.jamAfter(1);
    const got: ScannedImage[] = [];
    const jam = await failure(
      (async () => {
        for await (const p of driver().scan(`escl:${s.url}`, opts(), new AbortController().signal)) got.push(p);
      })(),
    );
    expect([jam.reason, got.length]).toEqual(['jam', 1]);
    expect(jam.message).toMatch(/Bourrage/);

    s.script.clearJam();
    s.script.load([{ text: ['a'] }]);
    s.script.coverOpen(true);
    const cover = await failure(collect(driver().scan(`escl:${s.url}`, opts(), new AbortController().signal)));
    expect(cover.reason).toBe('coverOpen');
  });

  it('says an address that does not answer is unreachable, and refuses a feeder it does not have', async () => {
    const s = await start({ feeder: false });
    const url = s.url;
    const noFeeder = await failure(collect(driver().scan(`escl:${url}`, opts(), new AbortController().signal)));
    expect(noFeeder.message).toMatch(/pas de chargeur/);
    await s.close();
    servers = [];
    const f = await failure(driver().capabilities(`escl:${url}`));
    expect([f.reason, f.message]).toEqual(['unreachable', expect.stringMatching(/ne répond pas/)]);
  });

  it('cancels: DELETE on the job, no error, the pages already received stay', async () => {
    const s = await start({ pageDelayMs: 150 });
    const controller = new AbortController();
    const got: ScannedImage[] = [];
    for await (const p of driver().scan(`escl:${s.url}`, opts(), controller.signal)) {
      got.push(p);
      controller.abort();
    }
    expect(got).toHaveLength(1);
    expect(s.deleted).toHaveLength(1);
  });

  it('remembers an address typed by hand in the device preferences, forgets it, and lists it', async () => {
    const s = await start();
    const prefs = new MemoryPreferences();
    const d = driver(prefs);
    const added = await d.add(s.url.replace('http://', '').replace('/eSCL', ''));
    expect(added).toEqual({ id: `escl:${s.url}`, name: 'Solidariciel Test MFP 1000', kind: 'escl', sources: ['platen', 'feeder', 'duplex'] });
    expect(prefs.get(ESCL_PREFS_KEY)).toEqual([added]);
    expect(await driver(prefs).list()).toEqual([added]);
    await d.forget(added.id);
    expect(await d.list()).toEqual([]);
    const bad = await failure(d.add('127.0.0.1:1'));
    expect(bad.reason).toBe('unreachable');
    expect(prefs.get(ESCL_PREFS_KEY)).toEqual([]);
  });
});
