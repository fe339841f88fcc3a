/**
 * Scan sessions through the core's channels (shared/contract/scan.ts) against the test eSCL server: pages arrive as
 * events with thumbnails, a page added by hand, the big preview, commit in a chosen order with a rotation into one
 * paper, failure and cancel reported as `scan:job` events, bad input refused in French, sessions dropped at lock, and
 * the right to add papers required.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import type { Channel, RequestOf, ResponseOf } from '../../../shared/contract';
import { addUser, caught, expectForbidden, switchTo } from '../../helpers/access';
import { startEsclServer, type EsclServer } from '../../helpers/esclServer';
import { newScanCore, type ScanCore } from '../../helpers/scanCore';

let server: EsclServer;
let slow: EsclServer;
let t: ScanCore;
let personId: string;

beforeAll(async () => {
  server = await startEsclServer({ refill: true });
  slow = await startEsclServer({ pageDelayMs: 300, pages: Array.from({ length: 6 }, (_, i) => ({ text: [`Feuille ${i + 1}`] })) });
  t = await newScanCore();
  personId = (await t.call('people:create', { person: { firstName: 'Lucie', lastName: 'Martin' } })).id;
});
afterAll(async () => {
  await t.cleanup();
  await server.close();
  await slow.close();
});

const call = <C extends Exclude<Channel, `os:${string}`>>(c: C, r: RequestOf<C>): Promise<ResponseOf<C>> => t.call(c, r);
const ended = (jobId: string) => t.ended(jobId);
const pagesOf = (jobId: string) => t.pagesOf(jobId);

describe('scan sessions', () => {
  it('scans the feeder into a session, adds a camera page, previews, and commits a chosen order with a rotation as one paper', async () => {
    const { sessionId } = await call('scan:openSession', {});
    const { jobId } = await call('scan:start', { sessionId, scannerId: `escl:${server.url}`, source: 'feeder', dpi: 100, mode: 'gray' });
    expect(await ended(jobId)).toEqual({ sessionId, jobId, state: 'done', pages: 3 });
    const pages = pagesOf(jobId);
    expect(pages.map((p) => p.index)).toEqual([0, 1, 2]);
    for (const p of pages) {
      expect([p.width, p.height]).toEqual([827, 1169]);
      const thumb = await sharp(Buffer.from(p.thumbnail.split(',')[1]!, 'base64')).metadata();
      expect(thumb.format).toBe('jpeg');
      expect(thumb.height).toBeLessThanOrEqual(240);
    }
    const photo = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#88aa44' } }).png().toBuffer();
    const camera = await call('scan:addPage', { sessionId, name: 'photo.png', bytes: new Uint8Array(photo) });
    expect([camera.index, camera.width, camera.height]).toEqual([3, 600, 400]);
    const preview = await call('scan:pageImage', { sessionId, pageId: pages[0]!.pageId });
    expect(preview.mime).toBe('image/jpeg');
    expect((await sharp(preview.bytes).metadata()).height).toBe(1169);

    const stored = await call('scan:commit', {
      sessionId,
      personId,
      meta: { type: 'attestation_domiciliation' },
      pages: [
        { pageId: pages[2]!.pageId, rotation: 0 },
        { pageId: pages[0]!.pageId, rotation: 90 },
        { pageId: camera.pageId, rotation: 0 },
      ],
    });
    expect(stored.pages).toBe(3);
    const read = await call('vault:readDocument', { id: stored.id });
    const pdf = await PDFDocument.load(read.bytes);
    const sizes = pdf.getPages().map((p) => (p.getWidth() > p.getHeight() ? 'landscape' : 'portrait'));
    expect(sizes).toEqual(['portrait', 'landscape', 'landscape']);
    // The session is closed after a successful commit.
    expect((await caught(call('scan:pageImage', { sessionId, pageId: pages[1]!.pageId })))?.code).toBe('NOT_FOUND');
  });

  it('reports an empty feeder as a failed job with a French message; refuses bad input in French, nothing kept', async () => {
    const empty = await startEsclServer({ pages: [] });
    try {
      const { sessionId } = await call('scan:openSession', {});
      const { jobId } = await call('scan:start', { sessionId, scannerId: `escl:${empty.url}`, source: 'feeder' });
      const end = await ended(jobId);
      expect([end.state, end.code, end.pages]).toEqual(['failed', 'feederEmpty', 0]);
      expect(end.message).toMatch(/chargeur est vide/);
      const bad = await caught(call('scan:addPage', { sessionId, name: 'facture.pdf', bytes: new TextEncoder().encode('%PDF-1.4 pas une image') }));
      expect(bad).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('facture.pdf') });
      expect((await caught(call('scan:start', { sessionId, scannerId: 'usb:toto', source: 'feeder' })))?.code).toBe('VALIDATION');
      expect((await caught(call('scan:start', { sessionId, scannerId: `escl:${empty.url}`, source: 'feeder', dpi: 5000 })))?.code).toBe('VALIDATION');
      const none = await caught(call('scan:commit', { sessionId, personId, meta: { type: 'autre' }, pages: [{ pageId: crypto.randomUUID(), rotation: 0 }] }));
      expect(none?.code).toBe('NOT_FOUND');
      expect((await call('vault:listDocuments', { personId })).items).toHaveLength(1);
    } finally {
      await empty.close();
    }
  });

  it('cancels a running job: the pages already received stay, the job is deleted on the scanner', async () => {
    const { sessionId } = await call('scan:openSession', {});
    const { jobId } = await call('scan:start', { sessionId, scannerId: `escl:${slow.url}`, source: 'feeder', dpi: 75, mode: 'bw' });
    while (pagesOf(jobId).length < 1) await new Promise((r) => setTimeout(r, 20));
    expect((await caught(call('scan:start', { sessionId, scannerId: `escl:${slow.url}`, source: 'feeder' })))?.message).toMatch(/déjà en cours/);
    await call('scan:cancel', { sessionId });
    const end = await ended(jobId);
    expect(end.state).toBe('cancelled');
    expect(end.pages).toBeGreaterThanOrEqual(1);
    expect(end.pages).toBeLessThan(6);
    expect(slow.deleted).toHaveLength(1);
    const kept = pagesOf(jobId)[0]!;
    expect((await call('scan:pageImage', { sessionId, pageId: kept.pageId })).mime).toBe('image/jpeg');
  });

  it('drops every session at lock, and needs the right to add papers', async () => {
    const { sessionId } = await call('scan:openSession', {});
    const page = await call('scan:addPage', { sessionId, name: 'p.png', bytes: new Uint8Array(await sharp({ create: { width: 50, height: 70, channels: 3, background: '#fff' } }).png().toBuffer()) });
    await addUser(t, 'vera', 'volunteer');
    await switchTo(t, 'vera');
    await expectForbidden(call('scan:openSession', {}), 'documents.add');
    await switchTo(t, 'admin');
    expect((await caught(call('scan:pageImage', { sessionId, pageId: page.pageId })))?.code).toBe('NOT_FOUND');
  });
});
