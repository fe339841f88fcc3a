/**
 * Born-digital papers (docs/ocr.md "Pages to images"), through the real core: a PDF with a real text layer (an
 * attestation downloaded as a file) is made searchable from its own text, without Tesseract ever running; its sealed
 * text is the drawn text exactly, marked as coming from the text layer; its searchable PDF export adds no hidden
 * text over it (pdftotext finds each word once). A paper mixing a born-digital page, a CCITT G4 scan and a drawing
 * gets each page read its way.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recognizePage, stopOcrEngine } from '../../main/ocr/engine';
import { openPageText } from '../../main/services/ocr/textSeal';
import { newTestCore, type TestCore } from '../helpers/core';
import { renderPage } from '../helpers/ocrPages';
import { addDrawingPage, bornDigitalPdf, g4Pdf } from '../helpers/pdfKinds';

// The real engine, watched: a born-digital page must not reach it.
vi.mock('../../main/ocr/engine', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/ocr/engine')>();
  return { ...real, recognizePage: vi.fn(real.recognizePage) };
});

afterAll(() => stopOcrEngine());

const ATTESTATION = [
  'Caisse d’allocations familiales du Doubs',
  'Attestation de paiement',
  'Madame Hélène Lefèvre, allocataire n° 1234567',
  'Aide personnalisée au logement : 312,45 € par mois',
];

async function storedTexts(t: TestCore, documentId: string) {
  const session = t.core.session()!;
  const { row, opened } = await session.vault.find(documentId, true);
  const rows = (await session.ctx.db('document_texts').where({ document_id: documentId }).whereNull('deleted_at').orderBy('page').select('page', 'ciphertext')) as { page: number; ciphertext: string }[];
  const out = [];
  for (const r of rows) out.push({ page: r.page, text: await openPageText(opened.docKey!, documentId, r.page, row.sha256, r.ciphertext) });
  return out;
}

describe('born-digital papers', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
    vi.mocked(recognizePage).mockClear();
  });
  afterEach(async () => t.cleanup());

  it('are found by their own text, without Tesseract, and their export adds no hidden text layer', async () => {
    const personId = (await t.call('people:create', { person: { firstName: 'Hélène', lastName: 'Lefèvre', kinds: ['beneficiary'] } })).id;
    const paper = await t.call('vault:addDocument', { personId, meta: { type: 'autre', title: 'Attestation CAF' }, files: [{ name: 'attestation.pdf', bytes: await bornDigitalPdf([ATTESTATION]) }] });
    expect(await t.call('papers:ocr', { wait: true })).toEqual({ pending: 0, done: 1, failed: 0 });
    expect(recognizePage).not.toHaveBeenCalled();

    const [stored] = await storedTexts(t, paper.id);
    expect(stored!.text).toMatchObject({ text: ATTESTATION.join('\n'), confidence: 100, source: 'textLayer', width: 596, height: 842 });
    const hits = (await t.call('papers:searchText', { query: 'personnalisee LOGEMENT' })).items;
    expect(hits.map((h) => [h.documentId, h.page])).toEqual([[paper.id, 1]]);
    expect(hits[0]!.snippet).toContain('Aide personnalisée au logement : 312,45 €');

    const work = mkdtempSync(join(tmpdir(), 'ocr-born-digital-'));
    try {
      const out = join(work, 'interrogeable.pdf');
      expect(await t.call('papers:exportSearchable', { id: paper.id, path: out })).toMatchObject({ pagesWithText: 1 });
      const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
      // Each word once: the page's own text, no second layer over it.
      expect(text.match(/allocataire/g)).toHaveLength(1);
      expect(text.match(/Lefèvre/g)).toHaveLength(1);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('reads each page its way: text layer, CCITT G4 scan through pdf.js, and a drawing failed with its reason', async () => {
    const personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo', kinds: ['beneficiary'] } })).id;
    const doc = await PDFDocument.load(await bornDigitalPdf([ATTESTATION]));
    const [scan] = await doc.copyPages(await PDFDocument.load(g4Pdf(renderPage(['Quittance de loyer', 'Logement au 12 rue de l\'Église'], { height: 1200 }))), [0]);
    doc.addPage(scan!);
    addDrawingPage(doc);
    const paper = await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: 'dossier.pdf', bytes: await doc.save() }] });
    expect(await t.call('papers:ocr', { wait: true })).toEqual({ pending: 0, done: 2, failed: 1 });
    // Tesseract ran once: for the scan.
    expect(recognizePage).toHaveBeenCalledTimes(1);
    const failed = (await t.core.session()!.ctx.db('ocr_queue').where({ state: 'failed' }).select('page', 'error')) as { page: number; error: string }[];
    expect(failed).toEqual([{ page: 3, error: 'page sans image numérisée (texte ou dessin vectoriel)' }]);
    expect((await t.call('papers:searchText', { query: 'quittance' })).items.map((h) => [h.documentId, h.page])).toEqual([[paper.id, 2]]);
    const texts = await storedTexts(t, paper.id);
    expect(texts.map((s) => [s.page, s.text?.source])).toEqual([[1, 'textLayer'], [2, 'ocr']]);
    // The scan's placement is kept for the searchable export: its words come back in the exported copy.
    const work = mkdtempSync(join(tmpdir(), 'ocr-mixed-'));
    try {
      const out = join(work, 'interrogeable.pdf');
      expect(await t.call('papers:exportSearchable', { id: paper.id, path: out })).toMatchObject({ pagesWithText: 2 });
      const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
      expect(text).toContain('Quittance');
      expect(text.match(/allocataire/g)).toHaveLength(1);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
