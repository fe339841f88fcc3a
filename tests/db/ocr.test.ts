/**
 * Text recognised in papers (docs/ocr.md), through the real core: a stored paper's pages are queued, recognised
 * (Tesseract in its worker), sealed like the paper, and found by the search inside papers — accents and case
 * ignored, only in papers the user may read; the queue resumes after a restart and runs in the background after
 * unlock with `ocr:progress`; a page that cannot be read does not hold back the others; the stored paper is never
 * rewritten; the searchable PDF carries the text over unchanged page images.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { dispatch } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { stopOcrEngine } from '../../main/ocr/engine';
import { addUser, caught, switchTo } from '../helpers/access';
import { newTestCore, PASSWORD, TEST_KDF, type TestCore } from '../helpers/core';
import { leaks } from '../helpers/files';
import { FRENCH_LINES, renderPage } from '../helpers/ocrPages';
import { addDrawingPage } from '../helpers/pdfKinds';

const PAGE_1 = ['AVIS D\'IMPÔT 2025', 'Madame Hélène Lefèvre', 'Revenu fiscal de référence : 18 452 €'];
const PAGE_2 = ['Quittance de loyer', 'Logement au 12 rue de l\'Église à Besançon'];
const png = (lines: string[]) => ({ name: 'page.png', bytes: renderPage(lines, { height: 1200 }) });

afterAll(() => stopOcrEngine());

async function person(t: TestCore, firstName = 'Hélène', lastName = 'Lefèvre'): Promise<string> {
  return (await t.call('people:create', { person: { firstName, lastName, kinds: ['beneficiary'] } })).id;
}

describe('OCR of papers', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
  });
  afterEach(async () => t.cleanup());

  it('queues the pages of a stored paper, recognises them, and finds its words (accents, case) with a snippet', async () => {
    const personId = await person(t);
    const paper = await t.call('vault:addDocument', { personId, meta: { type: 'avis_imposition', title: "Avis d'imposition 2025" }, files: [png(PAGE_1), png(PAGE_2)] });
    const before = await t.call('vault:readDocument', { id: paper.id });
    expect(await t.call('papers:ocr', {})).toEqual({ pending: 2, done: 0, failed: 0 });
    expect((await t.call('papers:ocrStates', { personId })).items).toEqual([{ documentId: paper.id, state: 'pending' }]);

    expect(await t.call('papers:ocr', { wait: true })).toEqual({ pending: 0, done: 2, failed: 0 });
    expect((await t.call('papers:ocrStates', { personId })).items).toEqual([{ documentId: paper.id, state: 'done' }]);

    const hits = (await t.call('papers:searchText', { query: 'LEFEVRE helene' })).items;
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ documentId: paper.id, personId, personName: 'Hélène Lefèvre', type: 'avis_imposition', label: "Avis d'imposition 2025", page: 1 });
    expect(hits[0]!.snippet).toContain('Hélène Lefèvre');
    const second = (await t.call('papers:searchText', { query: 'besancon' })).items;
    expect(second.map((h) => [h.documentId, h.page])).toEqual([[paper.id, 2]]);
    expect((await t.call('papers:searchText', { query: 'introuvable' })).items).toEqual([]);

    // The stored paper is the same file, byte for byte.
    const after = await t.call('vault:readDocument', { id: paper.id });
    expect(after.document.sha256).toBe(before.document.sha256);
    expect(Buffer.from(after.bytes).equals(Buffer.from(before.bytes))).toBe(true);
    // The text is sealed: not in the rows' ciphertext, nor anywhere in the folder's files.
    const rows = (await t.core.session()!.ctx.db('document_texts').select('ciphertext', 'scope_id')) as { ciphertext: string; scope_id: string }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.ciphertext).not.toMatch(/Quittance|Lef/);
    expect(leaks(t.dir, ['Quittance', 'Besançon', 'Lefèvre'])).toEqual([]);
  });

  it('never shows text of a paper the user may not read: an "only me" paper stays closed to a colleague', async () => {
    const personId = await person(t, 'Awa', 'Diallo');
    await addUser(t, 'bea', 'social_worker');
    const mine = await t.call('vault:addDocument', { personId, meta: { type: 'autre', title: 'Courrier personnel', visibility: { kind: 'me' } }, files: [png(['Quittance confidentielle'])] });
    const shared = await t.call('vault:addDocument', { personId, meta: { type: 'justificatif_domicile' }, files: [png(['Attestation de domiciliation'])] });
    // Bea cannot open the "only me" paper: it stays pending for someone who can; the shared one is recognised.
    await switchTo(t, 'bea');
    expect(await t.call('papers:ocr', { wait: true })).toEqual({ pending: 1, done: 1, failed: 0 });
    await switchTo(t, 'admin');
    expect(await t.call('papers:ocr', { wait: true })).toEqual({ pending: 0, done: 2, failed: 0 });
    expect((await t.call('papers:searchText', { query: 'quittance' })).items.map((h) => h.documentId)).toEqual([mine.id]);
    await switchTo(t, 'bea');
    expect((await t.call('papers:searchText', { query: 'quittance' })).items).toEqual([]);
    expect((await t.call('papers:searchText', { query: 'domiciliation' })).items.map((h) => h.documentId)).toEqual([shared.id]);
    // The "only me" paper's text is sealed under its own key: its scope is the admin's alone.
    const rows = (await t.core.session()!.ctx.db('document_texts').where({ document_id: mine.id }).select('scope_id')) as { scope_id: string }[];
    expect(rows[0]!.scope_id).toMatch(/^user:/);
  });

  it('does not let one unreadable page hold back the others, and says why it failed', async () => {
    const personId = await person(t);
    // A PDF given alone is stored as brought: page 2 is a drawing (vectors only: no text, no scan).
    const doc = await PDFDocument.create();
    const scan = await doc.embedPng(renderPage(['Première page scannée'], { height: 1200 }));
    doc.addPage([595, 288]).drawImage(scan, { x: 0, y: 0, width: 595, height: 288 });
    addDrawingPage(doc);
    const third = await doc.embedPng(renderPage(['Troisième page scannée'], { height: 1200 }));
    doc.addPage([595, 288]).drawImage(third, { x: 0, y: 0, width: 595, height: 288 });
    const bytes = await doc.save();
    const paper = await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: 'courrier.pdf', bytes }] });
    expect(await t.call('papers:ocr', { wait: true })).toEqual({ pending: 0, done: 2, failed: 1 });
    const failed = (await t.core.session()!.ctx.db('ocr_queue').where({ state: 'failed' }).select('page', 'error', 'attempts')) as { page: number; error: string; attempts: number }[];
    expect(failed).toEqual([{ page: 2, error: 'page sans image numérisée (texte ou dessin vectoriel)', attempts: 1 }]);
    expect((await t.call('papers:searchText', { query: 'troisieme' })).items.map((h) => [h.documentId, h.page])).toEqual([[paper.id, 3]]);
  });

  it('recognises a replaced file again and forgets the text of a removed paper', async () => {
    const personId = await person(t);
    const paper = await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [png(['Ancienne attestation'])] });
    await t.call('papers:ocr', { wait: true });
    expect((await t.call('papers:searchText', { query: 'ancienne' })).items).toHaveLength(1);
    await t.call('vault:replaceDocument', { id: paper.id, files: [png(['Nouvelle attestation'])] });
    expect((await t.call('papers:searchText', { query: 'ancienne' })).items).toEqual([]);
    expect((await t.call('papers:ocr', { wait: true })).pending).toBe(0);
    expect((await t.call('papers:searchText', { query: 'nouvelle' })).items.map((h) => h.documentId)).toEqual([paper.id]);
    await t.call('vault:removeDocument', { id: paper.id });
    expect((await t.call('papers:searchText', { query: 'nouvelle' })).items).toEqual([]);
    const live = await t.core.session()!.ctx.db('document_texts').whereNull('deleted_at').count({ n: '*' });
    expect(Number((live[0] as { n: number }).n)).toBe(0);
  });

  it('refuses bad requests with a French message and keeps what was saved', async () => {
    const personId = await person(t);
    const paper = await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [png(['Bonjour'])] });
    expect((await caught(t.call('papers:searchText', { query: 'a' })))?.code).toBe('VALIDATION');
    const early = await caught(t.call('papers:exportSearchable', { id: paper.id, path: join(t.dir, '..', 'copie.pdf') }));
    expect(early?.message).toMatch(/pas encore été reconnu/);
    await t.call('papers:ocr', { wait: true });
    // A sealed text altered in the database is not opened (and not shown), the search still answers.
    await t.core.session()!.ctx.db('document_texts').update({ ciphertext: '{"nonce":"AAAA","ciphertext":"AAAA"}' });
    expect((await t.call('papers:searchText', { query: 'bonjour' })).items).toEqual([]);
    expect((await t.call('vault:listDocuments', { personId })).items).toHaveLength(1);
  });

  it('exports a searchable PDF: the text is there (pdftotext), the page images are the paper’s own', async () => {
    const personId = await person(t);
    const paper = await t.call('vault:addDocument', { personId, meta: { type: 'avis_imposition' }, files: [png(PAGE_1), png(PAGE_2)] });
    await t.call('papers:ocr', { wait: true });
    const work = mkdtempSync(join(tmpdir(), 'ocr-export-'));
    try {
      const out = join(work, 'interrogeable.pdf');
      expect(await t.call('papers:exportSearchable', { id: paper.id, path: out })).toMatchObject({ path: out, pagesWithText: 2, pdf: null });
      const download = await t.call('papers:exportSearchable', { id: paper.id });
      expect(download.fileName).toMatch(/\(interrogeable\)\.pdf$/);
      expect(Buffer.from(download.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
      const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
      expect(text).toContain('Lefèvre');
      expect(text).toContain('Quittance');
      // Same images, byte for byte, in the export as in the stored paper.
      const original = join(work, 'original.pdf');
      await t.call('vault:exportDocument', { id: paper.id, path: original });
      execFileSync('pdfimages', ['-all', original, join(work, 'a')]);
      execFileSync('pdfimages', ['-all', out, join(work, 'b')]);
      const images = (prefix: string) => readdirSync(work).filter((f) => f.startsWith(`${prefix}-`)).sort().map((f) => readFileSync(join(work, f)));
      const a = images('a');
      // Two pages, each an image (and its soft mask when the page came from a PNG with alpha).
      expect(a.length).toBeGreaterThanOrEqual(2);
      expect(images('b')).toEqual(a);
      const audit = await t.call('audit:list', {});
      expect(audit.items.some((e) => e.action === 'document.export' && e.details['searchable'] === true)).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

/**
 * A window's core (background work on) with the `ocr:progress` events it sends, and a promise settled at the first
 * event whose `done` equals its `total` (the queue is empty).
 */
function backgroundCore() {
  const events: { done: number; total: number }[] = [];
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const core = createCore({
    prefs: new MemoryPreferences(),
    kdfCost: TEST_KDF,
    backgroundSync: true,
    onEvent: (event, payload) => {
      if (event !== 'ocr:progress') return;
      const p = payload as { done: number; total: number };
      events.push({ done: p.done, total: p.total });
      if (p.done === p.total) finished();
    },
  });
  return { core, events, allDone };
}

describe('OCR queue across restarts and in the background', () => {
  it('resumes after a restart, and runs after unlock in the background with ocr:progress', async () => {
    const t = await newTestCore();
    try {
      const personId = await person(t);
      await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [png(['Reprise après redémarrage'])] });
      await t.core.close();
      // A new process: the window's core runs the queue in the background after unlock.
      const { core, events, allDone } = backgroundCore();
      try {
        const unlock = await dispatch(core.handlers, 'session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD }, { emit: () => undefined });
        expect(unlock.ok).toBe(true);
        await allDone;
        expect(events.at(-1)).toEqual({ done: 1, total: 1 });
        const found = await dispatch(core.handlers, 'papers:searchText', { query: 'redemarrage' }, { emit: () => undefined });
        expect(found.ok && (found.value as { items: unknown[] }).items.length).toBe(1);
      } finally {
        await core.close();
      }
    } finally {
      await t.cleanup();
    }
  });

  it('drops the page being recognised at lock, and recognises it after the next unlock', async () => {
    const t = await newTestCore();
    try {
      const personId = await person(t);
      await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: 'page.png', bytes: renderPage([...FRENCH_LINES, 'Verrouillage pendant la lecture'], { pointSize: 11 }) }] });
      await t.core.close();
      const { core, allDone } = backgroundCore();
      const call = async (channel: 'session:unlock' | 'session:lock' | 'papers:searchText', request: unknown) => {
        const env = await dispatch(core.handlers, channel, request as never, { emit: () => undefined });
        if (!env.ok) throw new Error(env.error.message);
        return env.value;
      };
      try {
        await call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
        // The page takes seconds to read: the lock lands while Tesseract is on it.
        await new Promise((resolve) => setTimeout(resolve, 700));
        await call('session:lock', { reason: 'user' });
        await call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
        await allDone;
        const found = (await call('papers:searchText', { query: 'verrouillage' })) as { items: unknown[] };
        expect(found.items).toHaveLength(1);
      } finally {
        await core.close();
      }
    } finally {
      await t.cleanup();
    }
  });
});
