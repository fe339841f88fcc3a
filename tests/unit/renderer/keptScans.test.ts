/**
 * Scan sessions kept while the person's page is left (renderer/features/scan/keptScans.ts, docs/scanning.md
 * « Quitter la page »), over the scan channels played by tests/helpers/fakeScan.ts: pages scanned, the panel gone,
 * the same session and pages (order and turns) found again for that person; a job still running keeps sending pages;
 * an empty session is closed in the core; « Fermer » and adding to the vault end it; a lock forgets every session
 * and stops listening to them; the MRZ is asked for the first pages as shown.
 */
import { describe, expect, it } from 'vitest';
import { KeptScans } from '../../../renderer/features/scan/keptScans';
import { commitPages } from '../../../renderer/features/scan/sessionModel';
import { fakeScan } from '../../helpers/fakeScan';

const AWA = '0190a000-0000-7000-8000-0000000000aa';
const LUC = '0190a000-0000-7000-8000-0000000000bb';
const SCANNER = 'escl:http://127.0.0.1:8090/eSCL';
const settle = () => new Promise((r) => setTimeout(r, 0));
const meta = { type: 'passeport' as const, title: null, issuedOn: null, expiresOn: null, note: null, visibility: { kind: 'everyone' as const } };

function setup() {
  const fake = fakeScan();
  return { fake, kept: new KeptScans(fake.transport) };
}

describe('scan sessions kept while the page is left', () => {
  it('keeps the pages, their order and turns for the person, and reopens on them', async () => {
    const { fake, kept } = setup();
    const scan = kept.take(AWA);
    fake.feed(3);
    await scan.session.start({ scannerId: SCANNER, source: 'feeder' });
    await settle();
    const [a, b, c] = scan.store.getState().pages.map((p) => p.pageId);
    scan.store.dispatch({ type: 'move', pageId: c!, by: -1 });
    scan.store.dispatch({ type: 'rotate', pageId: a!, quarter: 1 });
    kept.release(scan);
    expect(kept.summary(AWA)).toEqual({ pages: 3, scanning: false });
    expect(kept.summary(LUC)).toBeNull();
    expect(fake.calls.map((x) => x.channel)).not.toContain('scan:closeSession');
    // Back on Awa's papers: the same session, the same pages as left.
    const again = kept.take(AWA);
    expect(again).toBe(scan);
    expect(commitPages(again.store.getState())).toEqual([
      { pageId: a, rotation: 90 },
      { pageId: c, rotation: 0 },
      { pageId: b, rotation: 0 },
    ]);
    // Another person's papers start their own session.
    expect(kept.take(LUC)).not.toBe(scan);
    // Added to the vault: nothing waits any more.
    await again.session.commit(AWA, meta, commitPages(again.store.getState()));
    kept.release(again);
    expect(kept.summary(AWA)).toBeNull();
    expect(kept.take(AWA)).not.toBe(scan);
  });

  it('keeps a running job listening: pages sent while away are there on return', async () => {
    const { fake, kept } = setup();
    const scan = kept.take(AWA);
    let told = 0;
    kept.subscribe(() => told++);
    fake.feed(2, { hold: true });
    await scan.session.start({ scannerId: SCANNER, source: 'feeder' });
    await settle();
    kept.release(scan);
    expect(kept.summary(AWA)).toEqual({ pages: 2, scanning: true });
    const sessionId = [...fake.sessions.keys()][0]!;
    const jobId = scan.store.getState().job!.jobId;
    fake.emit('scan:page', { sessionId, jobId, page: { pageId: crypto.randomUUID(), index: 2, width: 10, height: 10, thumbnail: 'data:image/jpeg;base64,AA==' } });
    fake.finish();
    expect(kept.summary(AWA)).toEqual({ pages: 3, scanning: false });
    expect(told).toBeGreaterThanOrEqual(2);
  });

  it('closes an empty session in the core when its panel goes, and ends a session closed by « Fermer »', async () => {
    const { fake, kept } = setup();
    const empty = kept.take(AWA);
    fake.failNext('feederEmpty', 'Le chargeur est vide.');
    await empty.session.start({ scannerId: SCANNER, source: 'feeder' });
    await settle();
    expect(fake.sessions.size).toBe(1);
    kept.release(empty);
    await settle();
    expect(kept.summary(AWA)).toBeNull();
    expect(fake.sessions.size).toBe(0);

    const closed = kept.take(LUC);
    fake.feed(1);
    await closed.session.start({ scannerId: SCANNER, source: 'platen' });
    await settle();
    void closed.session.close();
    kept.release(closed);
    await settle();
    expect(kept.summary(LUC)).toBeNull();
    expect(fake.sessions.size).toBe(0);
  });

  it('forgets every session at lock and no longer listens to their events', async () => {
    const { fake, kept } = setup();
    const scan = kept.take(AWA);
    fake.feed(2, { hold: true });
    await scan.session.start({ scannerId: SCANNER, source: 'feeder' });
    await settle();
    kept.release(scan);
    const sessionId = [...fake.sessions.keys()][0]!;
    kept.forget();
    expect(kept.summary(AWA)).toBeNull();
    expect(scan.store.getState().pages).toEqual([]);
    fake.emit('scan:page', { sessionId, jobId: crypto.randomUUID(), page: { pageId: crypto.randomUUID(), index: 2, width: 10, height: 10, thumbnail: 'data:image/jpeg;base64,AA==' } });
    expect(scan.store.getState().pages).toEqual([]);
    expect(kept.take(AWA)).not.toBe(scan);
    // The core was not asked: it dropped its sessions at lock.
    expect(fake.calls.map((x) => x.channel)).not.toContain('scan:closeSession');
  });

  it('asks the MRZ of the first pages as shown, in the core; nothing opened, nothing asked', async () => {
    const { fake, kept } = setup();
    const scan = kept.take(AWA);
    expect(await scan.session.readMrz(AWA, [])).toEqual({ reading: null, mismatches: [] });
    expect(fake.calls).toEqual([]);
    fake.feed(2);
    await scan.session.start({ scannerId: SCANNER, source: 'feeder' });
    await settle();
    const [a, b] = scan.store.getState().pages.map((p) => p.pageId);
    scan.store.dispatch({ type: 'move', pageId: b!, by: -1 });
    scan.store.dispatch({ type: 'rotate', pageId: b!, quarter: -1 });
    await scan.session.readMrz(AWA, commitPages(scan.store.getState()));
    expect(fake.calls.at(-1)).toEqual({
      channel: 'scan:readMrz',
      request: { sessionId: [...fake.sessions.keys()][0], personId: AWA, pages: [{ pageId: b, rotation: 270 }, { pageId: a, rotation: 0 }] },
    });
    await expect(scan.session.readMrz(AWA, [{ pageId: crypto.randomUUID(), rotation: 0 }])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
