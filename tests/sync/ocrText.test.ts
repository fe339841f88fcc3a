/**
 * Recognised text through a real hub (SQLite storage; docs/ocr.md "Sync"): the text one device recognised reaches the
 * second device sealed, is found there without recognising the page again, and the hub's storage holds none of it in
 * clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopOcrEngine } from '../../main/ocr/engine';
import { startHub, type TestHub } from '../hub/helpers';
import { pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { leaks } from '../helpers/files';
import { renderPage } from '../helpers/ocrPages';

const LINES = ['Attestation de la Caisse', 'Allocataire Mamadou Traoré', 'Quotient familial 612'];
const SECRET = ['Allocataire', 'Traoré', 'Quotient familial'];

describe('recognised text through a real hub', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let paperId: string;

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    const personId = (await a.call('people:create', { person: { firstName: 'Mamadou', lastName: 'Keita' } })).id;
    paperId = (await a.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: 'caf.png', bytes: renderPage(LINES, { height: 1200 }) }] })).id;
    expect(await a.call('papers:ocr', { wait: true })).toEqual({ pending: 0, done: 1, failed: 0 });
    b = await pairThroughHub(hub.url, a);
  }, 180_000);
  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
    await stopOcrEngine();
  });

  it('the second device finds the words without recognising the page again; the hub holds them sealed only', async () => {
    const found = (await b.call('papers:searchText', { query: 'quotient familial' })).items;
    expect(found.map((h) => h.documentId)).toEqual([paperId]);
    expect(found[0]!.snippet).toContain('Quotient familial 612');
    // Nothing to recognise on the second device: its sweep finds the text for the paper's current file.
    expect(await b.call('papers:ocr', { wait: true })).toEqual({ pending: 0, done: 0, failed: 0 });
    expect(leaks(hub.dataDir, SECRET)).toEqual([]);
  });
});
