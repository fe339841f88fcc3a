/**
 * The OCR engine (main/ocr/engine.ts): French text drawn at 300 dpi is read back with a character error rate of at
 * most 2 %, with words and their boxes; it runs without any network (inside a network namespace); recognition happens
 * in tesseract.js's worker thread, so the core's event loop stays free; hostile input gets a French error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors';
import { modelFolder, recognizePage, stopOcrEngine, workerOptions } from '../../../main/ocr/engine';
import { FRENCH_LINES, characterErrorRate, renderPage } from '../../helpers/ocrPages';

afterAll(() => stopOcrEngine());

async function refusal(run: Promise<unknown>): Promise<AppError> {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('recognizePage', () => {
  it.each(['DejaVu Sans', 'Liberation Serif'])('reads a 300-dpi French page in %s with a character error rate of at most 2 percent, in a worker thread', async (font) => {
    const page = renderPage(FRENCH_LINES, { font, pointSize: 11 });
    const start = performance.eventLoopUtilization();
    const result = await recognizePage(page, { dpi: 300 });
    const busy = performance.eventLoopUtilization(start).utilization;
    const cer = characterErrorRate(FRENCH_LINES.join('\n'), result.text);
    expect(cer).toBeLessThanOrEqual(0.02);
    // Accents, dates and amounts come back as such.
    for (const needle of ['Hélène Lefèvre', '14/02/1987', '18 452 €', 'Besançon']) expect(result.text).toContain(needle);
    expect(result.confidence).toBeGreaterThan(80);
    // Words carry boxes inside the page, in reading order.
    const first = result.words[0]!;
    expect(first.text).toBe('AVIS');
    expect(first.bbox.x0).toBeGreaterThan(250);
    expect(first.bbox.x0).toBeLessThan(first.bbox.x1);
    expect(first.bbox.y1).toBeLessThan(400);
    expect(result.words.length).toBeGreaterThan(100);
    // Recognition in the core's thread would keep its loop busy (utilisation close to 1).
    expect(busy).toBeLessThan(0.3);
  });

  it('honours a language, a whitelist and a page segmentation mode (an MRZ line, read with the English model)', async () => {
    const line = renderPage(['P<FRADUPONT<<MARIE<<<<<<<<<<<<<<<<<<<<<<<<<<'], { font: 'DejaVu Sans', pointSize: 12, height: 450 });
    const result = await recognizePage(line, { lang: 'eng', psm: 7, whitelist: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<', dpi: 300 });
    expect(result.text.trim()).toBe('P<FRADUPONT<<MARIE<<<<<<<<<<<<<<<<<<<<<<<<<<');
  });

  it('refuses hostile input with a French message, and keeps working afterwards', async () => {
    expect((await refusal(recognizePage(new Uint8Array()))).message).toBe('Image à reconnaître vide.');
    expect((await refusal(recognizePage(new TextEncoder().encode('pas une image')))).message).toMatch(/^Image à reconnaître illisible/);
    expect((await refusal(recognizePage(renderPage(['x'], { height: 200 }), { lang: 'deu' }))).message).toMatch(/^Langue de reconnaissance inconnue : « deu »/);
    expect((await refusal(recognizePage(renderPage(['x'], { height: 200 }), { psm: 14 }))).message).toMatch(/^Mode de segmentation inconnu : 14/);
    expect((await refusal(recognizePage(renderPage(['x'], { height: 200 }), { dpi: 5 }))).details).toMatchObject({ field: 'dpi' });
    // A truncated PNG: Tesseract cannot read it; the error is ours and French.
    const truncated = renderPage(FRENCH_LINES).slice(0, 2000);
    const error = await refusal(recognizePage(truncated));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/^Reconnaissance du texte impossible/);
    const after = await recognizePage(renderPage(['Bonjour Madame'], { height: 400 }), { dpi: 300 });
    expect(after.text.trim()).toBe('Bonjour Madame');
  });

  it('abandons a page being recognised when the engine stops (lock), at any moment, and reads the next page with a new thread', async () => {
    const page = renderPage(FRENCH_LINES, { pointSize: 11 });
    // Before the worker exists, while its first call is being posted, and while Tesseract is reading the page.
    const moments: (() => Promise<unknown>)[] = [
      async () => undefined,
      () => new Promise((resolve) => setImmediate(resolve)),
      () => new Promise((resolve) => setTimeout(resolve, 40)),
      () => new Promise((resolve) => setTimeout(resolve, 400)),
    ];
    for (const moment of moments) {
      await recognizePage(renderPage(['Bonjour'], { height: 200 }));
      const running = recognizePage(page, { dpi: 300 });
      await moment();
      await stopOcrEngine();
      expect((await refusal(running)).message).toMatch(/^Reconnaissance du texte interrompue/);
    }
    await stopOcrEngine();
    const cold = recognizePage(page, { dpi: 300 });
    await stopOcrEngine();
    expect((await refusal(cold)).message).toMatch(/^Reconnaissance du texte interrompue/);
    const after = await recognizePage(renderPage(['Attestation de domiciliation', 'valable jusqu’au 30/06/2026'], { height: 800 }), { dpi: 300 });
    expect(after.text).toContain('Attestation de domiciliation');
  });

  it('reads its models from the npm data packages, with the cache off', () => {
    const options = workerOptions('fra');
    expect(options.langPath).toBe(modelFolder('fra'));
    expect(options.langPath).toMatch(/node_modules[\\/]@tesseract\.js-data[\\/]fra[\\/]4\.0\.0_best_int$/);
    expect(options.cacheMethod).toBe('none');
    expect(options.gzip).toBe(true);
    expect(workerOptions('eng').langPath).toMatch(/@tesseract\.js-data[\\/]eng[\\/]/);
  });

  it('needs no network: a page is recognised inside a network namespace with no interface up', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ocr-offline-'));
    try {
      writeFileSync(path.join(dir, 'page.png'), renderPage(['Attestation de domiciliation', 'valable jusqu’au 30/06/2026'], { height: 800 }));
      const script = path.join(dir, 'run.mts');
      const engine = path.resolve('main/ocr/engine.ts');
      writeFileSync(script, [
        `import { readFileSync } from 'node:fs';`,
        `import { recognizePage, stopOcrEngine } from ${JSON.stringify(engine)};`,
        // The namespace has no route anywhere: prove it before recognising.
        `const reached = await fetch('https://cdn.jsdelivr.net/').then(() => true, () => false);`,
        `const page = await recognizePage(new Uint8Array(readFileSync(${JSON.stringify(path.join(dir, 'page.png'))})), { dpi: 300 });`,
        `await stopOcrEngine();`,
        `console.log(JSON.stringify({ reached, text: page.text }));`,
      ].join('\n'));
      const tsx = path.resolve('node_modules/.bin/tsx');
      const run = spawnSync('unshare', ['--net', tsx, script], { encoding: 'utf8', timeout: 120_000 });
      expect(run.stderr).not.toMatch(/Operation not permitted/);
      expect(run.stderr + run.stdout).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { reached: boolean; text: string };
      expect(out.reached).toBe(false);
      expect(characterErrorRate('Attestation de domiciliation valable jusqu’au 30/06/2026', out.text)).toBeLessThanOrEqual(0.02);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
