/**
 * The window's scan session (docs/scanning.md « La séance de numérisation »): the page model (order, moves, rotation,
 * deletion, late events of an older job), the session over the scan channels (played by tests/helpers/fakeScan.ts,
 * which parses every request with the contract), the settings remembered per PC, and the camera's crop geometry.
 */
import { describe, expect, it } from 'vitest';
import { ScanSession } from '../../../renderer/features/scan/scanSession';
import { commitPages, EMPTY_SCAN, isScanning, scanReducer, type ScanAction, type ScanState } from '../../../renderer/features/scan/sessionModel';
import { readScanChoice, saveScanChoice, SCAN_CHOICE_KEY, settingsFor, type ChoiceStorage } from '../../../renderer/features/scan/scanChoice';
import { clampMargin, cropRect, rotatedCanvas } from '../../../renderer/features/scan/cameraFrame';
import { fakeScan } from '../../helpers/fakeScan';

const page = (pageId: string, index = 0) => ({ pageId, index, width: 2480, height: 3508, thumbnail: 'data:image/jpeg;base64,AA==' });
const PERSON = '0190a000-0000-7000-8000-0000000000aa';
const run = (actions: ScanAction[], from: ScanState = EMPTY_SCAN) => actions.reduce(scanReducer, from);
const ids = (s: ScanState) => s.pages.map((p) => p.pageId);
const meta = { type: 'carte_identite' as const, title: null, issuedOn: null, expiresOn: null, note: null, visibility: { kind: 'everyone' as const } };
const settle = () => new Promise((r) => setTimeout(r, 0));

function withSession() {
  const fake = fakeScan();
  let state = EMPTY_SCAN;
  const session = new ScanSession(fake.transport, (a) => (state = scanReducer(state, a)));
  return { fake, session, state: () => state };
}

describe('scan session model', () => {
  const three = run([{ type: 'page', page: page('a') }, { type: 'page', page: page('b') }, { type: 'page', page: page('c') }]);

  it('keeps pages in arrival order, each once, unturned', () => {
    expect(ids(three)).toEqual(['a', 'b', 'c']);
    expect(ids(scanReducer(three, { type: 'page', page: page('b') }))).toEqual(['a', 'b', 'c']);
    expect(three.pages.every((p) => p.rotation === 0)).toBe(true);
  });

  it('moves a page left and right, clamped at the ends; drag moves it to a place', () => {
    expect(ids(run([{ type: 'move', pageId: 'b', by: -1 }], three))).toEqual(['b', 'a', 'c']);
    expect(ids(run([{ type: 'move', pageId: 'b', by: 1 }], three))).toEqual(['a', 'c', 'b']);
    expect(run([{ type: 'move', pageId: 'a', by: -1 }], three)).toBe(three);
    expect(run([{ type: 'move', pageId: 'c', by: 1 }], three)).toBe(three);
    expect(ids(run([{ type: 'moveTo', pageId: 'c', to: 0 }], three))).toEqual(['c', 'a', 'b']);
    expect(ids(run([{ type: 'moveTo', pageId: 'a', to: 99 }], three))).toEqual(['b', 'c', 'a']);
    expect(run([{ type: 'move', pageId: 'gone', by: 1 }], three)).toBe(three);
  });

  it('turns a page by quarters both ways, wrapping at a full turn', () => {
    const turned = run([{ type: 'rotate', pageId: 'b', quarter: 1 }, { type: 'rotate', pageId: 'b', quarter: 1 }, { type: 'rotate', pageId: 'b', quarter: 1 }], three);
    expect(turned.pages.map((p) => p.rotation)).toEqual([0, 270, 0]);
    expect(run([{ type: 'rotate', pageId: 'b', quarter: 1 }], turned).pages[1]!.rotation).toBe(0);
    expect(run([{ type: 'rotate', pageId: 'a', quarter: -1 }], three).pages[0]!.rotation).toBe(270);
  });

  it('deletes a page and sends the shown order with rotations to the commit', () => {
    const s = run([{ type: 'remove', pageId: 'a' }, { type: 'move', pageId: 'c', by: -1 }, { type: 'rotate', pageId: 'b', quarter: 1 }], three);
    expect(commitPages(s)).toEqual([
      { pageId: 'c', rotation: 0 },
      { pageId: 'b', rotation: 90 },
    ]);
  });

  it('ignores the late events of a job the person has moved past', () => {
    let s = run([{ type: 'starting' }, { type: 'started', jobId: 'j1' }, { type: 'job', job: { jobId: 'j1', state: 'scanning', pages: 1 } }]);
    expect(isScanning(s)).toBe(true);
    s = run([{ type: 'job', job: { jobId: 'j1', state: 'cancelled', pages: 1 } }, { type: 'starting' }], s);
    expect(isScanning(s)).toBe(true);
    // j2's events came before the core's answer to scan:start.
    s = run([{ type: 'job', job: { jobId: 'j2', state: 'done', pages: 2 } }, { type: 'started', jobId: 'j2' }, { type: 'job', job: { jobId: 'j1', state: 'failed', pages: 1 } }], s);
    expect(s.job).toEqual({ jobId: 'j2', state: 'done', pages: 2 });
    expect(isScanning(s)).toBe(false);
  });
});

describe('ScanSession over the scan channels', () => {
  it('opens one session at the first scan, receives the pages as events, and commits them in the chosen order', async () => {
    const { fake, session, state } = withSession();
    fake.feed(3);
    await session.start({ scannerId: 'escl:http://127.0.0.1:9/eSCL', source: 'feeder', dpi: 300, mode: 'gray' });
    await settle();
    expect(state().job).toMatchObject({ state: 'done', pages: 3 });
    expect(state().pages).toHaveLength(3);
    const [p1, p2, p3] = ids(state());
    const photo = await session.addPage('photo-1.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    expect(ids(state())).toEqual([p1, p2, p3, photo.pageId]);
    const stored = await session.commit(PERSON, meta, [
      { pageId: p2!, rotation: 0 },
      { pageId: p1!, rotation: 90 },
      { pageId: p3!, rotation: 0 },
    ]);
    expect(stored.pages).toBe(3);
    expect(fake.calls.filter((c) => c.channel === 'scan:openSession')).toHaveLength(1);
    expect(fake.calls.find((c) => c.channel === 'scan:start')?.request).toMatchObject({ source: 'feeder', dpi: 300, mode: 'gray' });
    expect(fake.calls.find((c) => c.channel === 'scan:commit')?.request).toMatchObject({ pages: [{ pageId: p2 }, { pageId: p1, rotation: 90 }, { pageId: p3 }] });
    // Committed: the window forgot the session; the next page opens a new one.
    expect(state()).toEqual(EMPTY_SCAN);
    expect(fake.sessions.size).toBe(0);
    await session.addPage('photo-2.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    expect(fake.calls.filter((c) => c.channel === 'scan:openSession')).toHaveLength(2);
  });

  it('asks for duplex with the duplex source, and ignores the events of another session', async () => {
    const { fake, session, state } = withSession();
    fake.feed(0, { hold: true });
    await session.start({ scannerId: 'sane:test:0', source: 'duplex' });
    expect(fake.calls.find((c) => c.channel === 'scan:start')?.request).toMatchObject({ source: 'duplex', duplex: true });
    await settle();
    fake.emit('scan:page', { sessionId: crypto.randomUUID(), jobId: crypto.randomUUID(), page: page(crypto.randomUUID()) });
    expect(state().pages).toEqual([]);
    fake.finish();
    expect(state().job?.state).toBe('done');
  });

  it('stops a running job and keeps the pages already received', async () => {
    const { fake, session, state } = withSession();
    fake.feed(2, { hold: true });
    await session.start({ scannerId: 'sane:test:0', source: 'feeder' });
    await settle();
    expect(isScanning(state())).toBe(true);
    await session.cancel();
    fake.finish();
    expect(state().job).toMatchObject({ state: 'cancelled', pages: 2 });
    expect(state().pages).toHaveLength(2);
  });

  it('shows a failed job with the core’s code and sentence, and a refused start as a failure', async () => {
    const { fake, session, state } = withSession();
    fake.failNext('feederEmpty', 'Le chargeur est vide : posez les pages, puis « Numériser ».');
    await session.start({ scannerId: 'sane:test:0', source: 'feeder' });
    await settle();
    expect(state().job).toMatchObject({ state: 'failed', code: 'feederEmpty', message: expect.stringContaining('chargeur est vide') });
    // A request the contract refuses (an unknown source) never reaches the core and becomes a failed job.
    await session.start({ scannerId: 'sane:test:0', source: 'roller' as never });
    expect(state().job).toMatchObject({ state: 'failed', jobId: '' });
    expect(fake.calls.filter((c) => c.channel === 'scan:start')).toHaveLength(1);
  });

  it('refuses to commit a page the core does not hold, keeping the session and its pages', async () => {
    const { fake, session, state } = withSession();
    await session.addPage('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    await expect(session.commit(PERSON, meta, [{ pageId: crypto.randomUUID(), rotation: 0 }])).rejects.toThrow(/page inconnue/);
    expect(state().pages).toHaveLength(1);
    expect(fake.sessions.size).toBe(1);
  });

  it('closes the session in the core, dropping its pages; closing twice is harmless', async () => {
    const { fake, session, state } = withSession();
    await session.addPage('photo.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    expect(session.open).toBe(true);
    await session.close();
    await session.close();
    expect(fake.sessions.size).toBe(0);
    expect(state()).toEqual(EMPTY_SCAN);
    expect(fake.calls.map((c) => c.channel)).toEqual(['scan:openSession', 'scan:addPage', 'scan:cancel', 'scan:closeSession']);
  });
});

describe('scanner settings remembered per PC', () => {
  const memory = (): ChoiceStorage & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
  };
  const caps = { sources: ['platen', 'feeder'] as const, modes: ['color', 'gray', 'bw'] as const, resolutions: [75, 150, 300, 600] };

  it('remembers the last choice and reads it back', () => {
    const s = memory();
    saveScanChoice(s, { scannerId: 'escl:http://10.0.0.5/eSCL', source: 'platen', mode: 'color', dpi: 600 });
    expect(readScanChoice(s)).toEqual({ scannerId: 'escl:http://10.0.0.5/eSCL', source: 'platen', mode: 'color', dpi: 600 });
  });

  it('forgets a damaged or foreign memory instead of failing', () => {
    const s = memory();
    for (const bad of ['{', '{"scannerId":"x","source":"roller","mode":"gray","dpi":300}', '{"scannerId":"x","source":"feeder","mode":"gray","dpi":-3}', 'null']) {
      s.data.set(SCAN_CHOICE_KEY, bad);
      expect(readScanChoice(s), bad).toBeNull();
    }
    expect(readScanChoice(undefined)).toBeNull();
    const full: ChoiceStorage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveScanChoice(full, { scannerId: 'x', source: 'feeder', mode: 'gray', dpi: 300 })).not.toThrow();
  });

  it('starts a scanner with the remembered settings it offers, else feeder, grey, 300 dpi; nearest resolution', () => {
    const mine = { scannerId: 'sane:a', source: 'platen' as const, mode: 'bw' as const, dpi: 600 };
    expect(settingsFor({ ...caps, sources: [...caps.sources], modes: [...caps.modes] }, mine, 'sane:a')).toEqual({ source: 'platen', mode: 'bw', dpi: 600 });
    // Remembered for another scanner: the defaults.
    expect(settingsFor({ ...caps, sources: [...caps.sources], modes: [...caps.modes] }, mine, 'sane:b')).toEqual({ source: 'feeder', mode: 'gray', dpi: 300 });
    // What the scanner cannot do is replaced.
    expect(settingsFor({ sources: ['platen'], modes: ['color'], resolutions: [200, 400] }, { ...mine, source: 'duplex', dpi: 290 }, 'sane:a')).toEqual({ source: 'platen', mode: 'color', dpi: 200 });
  });
});

describe('camera crop geometry', () => {
  it('cuts margins in percent, clamped, never leaving an empty picture', () => {
    expect(cropRect(1000, 800, { top: 10, right: 5, bottom: 10, left: 5 })).toEqual({ x: 50, y: 80, width: 900, height: 640 });
    expect(cropRect(1000, 800, { top: 90, right: 90, bottom: 90, left: 90 })).toEqual({ x: 450, y: 360, width: 100, height: 80 });
    expect(clampMargin('12,5')).toBe(12.5);
    expect(clampMargin('abc')).toBe(0);
    expect(clampMargin(-4)).toBe(0);
    expect(() => cropRect(0, 800, { top: 0, right: 0, bottom: 0, left: 0 })).toThrow(RangeError);
  });

  it('places a turned picture inside its canvas (every corner lands inside)', () => {
    for (const rotation of [0, 90, 180, 270] as const) {
      const c = rotatedCanvas(400, 300, rotation);
      expect([c.width, c.height]).toEqual(rotation % 180 ? [300, 400] : [400, 300]);
      for (const [x, y] of [[0, 0], [400, 0], [0, 300], [400, 300]] as const) {
        const cx = c.dx + x * Math.cos(c.radians) - y * Math.sin(c.radians);
        const cy = c.dy + x * Math.sin(c.radians) + y * Math.cos(c.radians);
        expect(Math.round(cx), `${rotation}° x`).toBeGreaterThanOrEqual(0);
        expect(Math.round(cx)).toBeLessThanOrEqual(c.width);
        expect(Math.round(cy), `${rotation}° y`).toBeGreaterThanOrEqual(0);
        expect(Math.round(cy)).toBeLessThanOrEqual(c.height);
      }
    }
    // 90° clockwise: the top-left corner goes to the top-right.
    const q = rotatedCanvas(400, 300, 90);
    expect([Math.round(q.dx), Math.round(q.dy)]).toEqual([300, 0]);
  });
});
