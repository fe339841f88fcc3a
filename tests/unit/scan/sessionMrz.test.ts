/**
 * `scan:readMrz` through the real core, the real OCR engine and the test eSCL server (docs/mrz.md, docs/scanning.md):
 * a passport laid on the platen and scanned through the feeder is read from the session's pages, in the core, to
 * prefill type and expiry; a person whose record differs gets the differences; a page with a spoiled check digit is
 * refused (nothing to prefill); a page the window shows turned is read turned; hostile requests (unknown session,
 * another session's page, too many pages, unknown person, no right to add papers, after a lock) are refused in French.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopOcrEngine } from '../../../main/ocr/engine';
import { addUser, caught, expectForbidden, switchTo } from '../../helpers/access';
import { tempDir } from '../../helpers/core';
import { DEFAULT_PAGES, startEsclServer, type EsclServer } from '../../helpers/esclServer';
import { specimenPageSvg, specimenPng, td3 } from '../../helpers/mrzSpecimens';
import { newScanCore, type ScanCore } from '../../helpers/scanCore';

const passport = td3({ last: 'DIALLO', first: 'AWA', birth: '880730', sex: 'F', expiry: '330415', number: '24QK9P718' });
let server: EsclServer;
let t: ScanCore;
let personId: string;
let sessionId: string;
let scanned: string[];
let spoiled: Uint8Array;

beforeAll(async () => {
  // The feeder holds a passport's data page on A4, then a letter.
  server = await startEsclServer({ pages: [{ svg: specimenPageSvg(passport) }, DEFAULT_PAGES[0]!] });
  t = await newScanCore();
  personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo', birthDate: '1988-07-30' } })).id;
  sessionId = (await t.call('scan:openSession', {})).sessionId;
  const { jobId } = await t.call('scan:start', { sessionId, scannerId: `escl:${server.url}`, source: 'feeder', dpi: 300, mode: 'gray' });
  expect((await t.ended(jobId)).state).toBe('done');
  scanned = t.pagesOf(jobId).map((p) => p.pageId);
  const out = join(tempDir('scan-mrz-'), 'spoiled.png');
  specimenPng(td3({ last: 'DIALLO', first: 'AWA', birth: '880730', sex: 'F', expiry: '330415', number: '24QK9P718' }, true), out);
  spoiled = new Uint8Array(readFileSync(out));
});
afterAll(async () => {
  await stopOcrEngine();
  await t.cleanup();
  await server.close();
});

describe('scan:readMrz', () => {
  it("reads the passport from the session's first pages: type and expiry to prefill, nothing differs", async () => {
    expect(scanned).toHaveLength(2);
    const r = await t.call('scan:readMrz', { sessionId, personId });
    expect(r.reading).toMatchObject({ kind: 'TD3', documentType: 'passeport', expiresOn: '2033-04-15', valid: true, lastName: 'DIALLO' });
    expect(r.mismatches).toEqual([]);
  });

  it('names what differs from the record of another person', async () => {
    const other = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo-Sow', birthDate: '1988-03-07' } })).id;
    const r = await t.call('scan:readMrz', { sessionId, personId: other, pages: [{ pageId: scanned[0]!, rotation: 0 }] });
    expect(r.mismatches).toEqual([
      { field: 'lastName', onPaper: 'DIALLO', onRecord: 'Diallo-Sow' },
      { field: 'birthDate', onPaper: '1988-07-30', onRecord: '1988-03-07' },
    ]);
  });

  it('refuses a spoiled check digit and finds nothing in a letter: nothing to prefill', async () => {
    const page = await t.call('scan:addPage', { sessionId, name: 'photo.png', bytes: spoiled });
    const bad = await t.call('scan:readMrz', { sessionId, personId, pages: [{ pageId: page.pageId, rotation: 0 }] });
    expect(bad.reading).toMatchObject({ kind: 'TD3', valid: false });
    expect(bad.reading?.errors.join(' ')).toMatch(/chiffre de contrôle/);
    expect(bad.mismatches).toEqual([]);
    const letter = await t.call('scan:readMrz', { sessionId, personId, pages: [{ pageId: scanned[1]!, rotation: 0 }] });
    expect(letter.reading).toBeNull();
  });

  it('reads a page upside down once the window turns it', async () => {
    const out = join(tempDir('scan-mrz-'), 'good.png');
    specimenPng(passport, out);
    const upsideDown = new Uint8Array(await sharp(readFileSync(out)).rotate(180).png().toBuffer());
    const page = await t.call('scan:addPage', { sessionId, name: 'retournee.png', bytes: upsideDown });
    const r = await t.call('scan:readMrz', { sessionId, personId, pages: [{ pageId: page.pageId, rotation: 180 }] });
    expect(r.reading).toMatchObject({ documentType: 'passeport', valid: true });
  });

  it('refuses an unknown session, a page of another session, too many pages and an unknown person, in French', async () => {
    const unknown = await caught(t.call('scan:readMrz', { sessionId: crypto.randomUUID(), personId }));
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('séance de numérisation est terminée') });
    const other = (await t.call('scan:openSession', {})).sessionId;
    const foreign = await caught(t.call('scan:readMrz', { sessionId: other, personId, pages: [{ pageId: scanned[0]!, rotation: 0 }] }));
    expect(foreign).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining("n'est plus dans la séance") });
    const five = Array.from({ length: 5 }, () => ({ pageId: scanned[0]!, rotation: 0 as const }));
    expect(await caught(t.call('scan:readMrz', { sessionId, personId, pages: five }))).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('4 pages au plus') });
    expect(await caught(t.call('scan:readMrz', { sessionId, personId: crypto.randomUUID() }))).toMatchObject({ code: 'NOT_FOUND' });
    // An empty session has nothing to read.
    expect(await t.call('scan:readMrz', { sessionId: other, personId })).toEqual({ reading: null, mismatches: [] });
  });

  it('needs the right to add papers, and the session is gone after a lock', async () => {
    await addUser(t, 'vera', 'volunteer');
    await switchTo(t, 'vera');
    await expectForbidden(t.call('scan:readMrz', { sessionId, personId }), 'documents.add');
    await switchTo(t, 'admin');
    expect(await caught(t.call('scan:readMrz', { sessionId, personId }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
