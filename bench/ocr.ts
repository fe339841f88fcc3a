/**
 * `npm run bench` (third part, `tsx bench/ocr.ts`): OCR seconds per A4 page at 300 dpi (docs/ocr.md "Measured").
 * Pages of dense French administrative text (40 lines at 11 pt, DejaVu Sans; tests/helpers/ocrPages.ts) are put into
 * one paper's PDF as the vault assembles it (main/vault/pdf.ts), then each page's image is taken from the PDF
 * (main/ocr/pageImages.ts) and recognised (main/ocr/engine.ts). Reports the engine's start, the seconds per page
 * (median and worst, warm engine), the image extraction per page, the longest stall of the calling thread's event loop
 * while pages are recognised, and the character error rate. Results in bench/results/ocr.json (git-ignored) and on
 * stdout. Measures, asserts nothing. BENCH_OCR_PAGES (default 5) sets the number of pages.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recognizePage, stopOcrEngine } from '../main/ocr/engine';
import { openPages } from '../main/ocr/pageImages';
import { buildPdf } from '../main/vault/pdf';
import { FRENCH_LINES, characterErrorRate, renderPage } from '../tests/helpers/ocrPages';

const PAGES = Number(process.env['BENCH_OCR_PAGES'] ?? 5);
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');
const log = (s: string) => process.stderr.write(`[bench:ocr] ${s}\n`);
const secs = (ms: number) => Math.round(ms / 10) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** 40 lines: the French sample, numbered per page so that no two pages are the same. */
const linesOf = (n: number) => Array.from({ length: 40 }, (_, i) => `${FRENCH_LINES[i % FRENCH_LINES.length]!} (${n + 1}.${i + 1})`);

async function main(): Promise<void> {
  const references = Array.from({ length: PAGES }, (_, n) => linesOf(n));
  const { pdf } = await buildPdf(references.map((lines, n) => ({ name: `page-${n + 1}.png`, bytes: renderPage(lines, { pointSize: 11 }) })));
  const pages = await openPages(pdf);

  // The engine's start: worker thread, WebAssembly core, French model (a one-line image).
  let t = performance.now();
  await recognizePage(renderPage(['Démarrage'], { height: 400 }), { dpi: 300 });
  const startMs = performance.now() - t;

  const perPage: number[] = [];
  const extract: number[] = [];
  const cer: number[] = [];
  let last = performance.now();
  let maxStallMs = 0;
  const sampler = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - last - 10);
    last = now;
  }, 10);
  for (let i = 0; i < pages.count; i++) {
    t = performance.now();
    const image = await pages.image(i);
    extract.push(performance.now() - t);
    t = performance.now();
    const result = await recognizePage(image.image!, { dpi: 300 });
    perPage.push(performance.now() - t);
    cer.push(characterErrorRate(references[i]!.join('\n'), result.text));
    log(`page ${i + 1}: ${secs(perPage.at(-1)!)} s, CER ${(cer.at(-1)! * 100).toFixed(2)} %`);
  }
  clearInterval(sampler);
  await stopOcrEngine();

  const out = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadavg: loadavg().map((l) => Math.round(l * 100) / 100) },
    page: { format: 'A4', dpi: 300, pixels: '2480×3508', lines: 40, pointSize: 11, font: 'DejaVu Sans' },
    pages: PAGES,
    engineStartSeconds: secs(startMs),
    secondsPerPage: { median: secs(median(perPage)), worst: secs(Math.max(...perPage)) },
    imageExtractionSecondsPerPage: { median: secs(median(extract)), worst: secs(Math.max(...extract)) },
    maxEventLoopStallMs: Math.round(maxStallMs),
    characterErrorRate: { mean: Math.round((cer.reduce((a, b) => a + b, 0) / cer.length) * 10000) / 10000, worst: Math.round(Math.max(...cer) * 10000) / 10000 },
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'ocr.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench:ocr] ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
