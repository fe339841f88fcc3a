/**
 * The scan session store (main/scan/session.ts) without a core: a job's end is told only once the session is free
 * (a window commits as soon as it hears `done`), a failing driver's French message reaches the listener, a full
 * session refuses more pages, and `clear` (lock) forgets every page.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ScanSessions } from '../../../main/scan/session';
import { scanFailure, type ScannedImage } from '../../../main/scan/types';
import { MAX_SESSION_PAGES } from '../../../shared/domain/scan';

const png = async (w = 40, h = 60) => new Uint8Array(await sharp({ create: { width: w, height: h, channels: 3, background: '#ddd' } }).png().toBuffer());

describe('scan session store', () => {
  it('tells `done` only once the session can commit', async () => {
    const sessions = new ScanSessions();
    const owner = {};
    const id = sessions.open(owner);
    const bytes = await png();
    async function* scan(): AsyncGenerator<ScannedImage> {
      yield { bytes, mime: 'image/png' };
    }
    const committed = await new Promise<number>((resolve, reject) => {
      const pages: string[] = [];
      sessions.start(id, owner, scan, {
        page: (p) => pages.push(p.pageId),
        state: (state) => {
          if (state === 'done') sessions.files(id, owner, pages.map((pageId) => ({ pageId, rotation: 90 as const }))).then((f) => resolve(f.length), reject);
        },
      });
    });
    expect(committed).toBe(1);
  });

  it('reports a driver failure with its reason and French message, keeping the pages received', async () => {
    const sessions = new ScanSessions();
    const owner = {};
    const id = sessions.open(owner);
    const bytes = await png();
    async function* scan(): AsyncGenerator<ScannedImage> {
      yield { bytes, mime: 'image/png' };
      throw scanFailure('jam');
    }
    const end = await new Promise<{ state: string; pages: number; failure?: { code: string; message: string } }>((resolve) =>
      sessions.start(id, owner, scan, { page: () => undefined, state: (state, pages, failure) => state !== 'scanning' && resolve({ state, pages, failure }) }),
    );
    expect(end).toEqual({ state: 'failed', pages: 1, failure: { code: 'jam', message: expect.stringMatching(/^Bourrage papier/) } });
  });

  it(`refuses page ${MAX_SESSION_PAGES + 1}, and forgets every page at clear (lock)`, async () => {
    const sessions = new ScanSessions();
    const owner = {};
    const id = sessions.open(owner);
    const bytes = await png(8, 8);
    let last = null;
    for (let i = 0; i < MAX_SESSION_PAGES; i++) last = await sessions.addImage(id, owner, `p${i}`, bytes);
    await expect(sessions.addImage(id, owner, 'one more', bytes)).rejects.toThrow(/500 pages au plus/);
    expect(sessions.size).toBe(1);
    sessions.clear();
    expect(sessions.size).toBe(0);
    await expect(sessions.preview(id, owner, last!.pageId)).rejects.toThrow(/séance de numérisation est terminée/);
  });
});
