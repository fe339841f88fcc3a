/**
 * `npm run bench` (third part, `tsx bench/ocr.ts`): OCR seconds per A4 page at 300 dpi (docs/ocr.md "Measured").
 * Pages of dense French administrative text (40 lines at 11 pt, DejaVu Sans; tests/helpers/ocrPages.ts) are put into
 * one paper's PDF as the vault assembles it (main/vault/pdf.ts), then each page's image is taken from the PDF
 * (main/ocr/pageImages.ts) and recognised (main/ocr/engine.ts). Reports the engine's start, the seconds per page
 * (median and worst, warm engine), the image extraction per page, the longest stall of the calling thread's event loop
 * while pages are recognised, and the character error rate. Results in bench/results/ocr.json (git-ignored) and on
 * stdout. Measures, asserts nothing. BENCH_OCR_PAGES (default 5) sets the number of pages.
 * Then two more kinds of page (main/ocr/pageSources.ts): a born-digital A4 page of the same 40 lines (Helvetica,
 * pdf-lib), read from its text layer by pdf.js without OCR (`textLayerPage`: seconds the first time — pdf.js loading — and then, and whether the text came back
 * exactly); and the first page as a CCITT G4 scan (tiff2pdf), decoded by pdf.js into a PNG, then recognised
 * (`ccittG4Page`: decoding seconds, recognition seconds, CER).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recognizePage, stopOcrEngine } from '../main/ocr/engine';
import { openPages } from '../main/ocr/pageImages';
import { openPaperPages, type PageSource } from '../main/ocr/pageSources';
import { buildPdf } from '../main/vault/pdf';
import { FRENCH_LINES, characterErrorRate, renderPage } from '../tests/helpers/ocrPages';
import { bornDigitalPdf, g4Pdf } from '../tests/helpers/pdfKinds';

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

  /** Opens a one-page PDF and reads its page source; the seconds it took. */
  const readFirst = async (bytes: Uint8Array): Promise<{ source: PageSource; ms: number }> => {
    const start = performance.now();
    const paper = await openPaperPages(bytes);
    try {
      const source = await paper.read(0);
      return { source, ms: performance.now() - start };
    } finally {
      await paper.close();
    }
  };
  const digitalPdf = await bornDigitalPdf([references[0]!]);
  // The first read also loads pdf.js (its main and worker modules) into the process.
  const cold = await readFirst(digitalPdf);
  const digital = await readFirst(digitalPdf);
  const textLayerPage = {
    firstReadSeconds: secs(cold.ms),
    readSeconds: secs(digital.ms),
    exact: digital.source.kind === 'text' && digital.source.layer.text === references[0]!.join('\n'),
    words: digital.source.kind === 'text' ? digital.source.layer.words.length : 0,
  };
  log(`text-layer page: ${textLayerPage.readSeconds} s, exact ${textLayerPage.exact}`);
  const g4 = await readFirst(g4Pdf(renderPage(references[0]!, { pointSize: 11 })));
  if (g4.source.kind !== 'image' || !g4.source.image.image) throw new Error(`page G4 non décodée : ${JSON.stringify(g4.source).slice(0, 200)}`);
  t = performance.now();
  const g4Result = await recognizePage(g4.source.image.image, { dpi: 300 });
  const ccittG4Page = { decodeSeconds: secs(g4.ms), recogniseSeconds: secs(performance.now() - t), characterErrorRate: Math.round(characterErrorRate(references[0]!.join('\n'), g4Result.text) * 10000) / 10000 };
  log(`CCITT G4 page: decoded in ${ccittG4Page.decodeSeconds} s, recognised in ${ccittG4Page.recogniseSeconds} s, CER ${(ccittG4Page.characterErrorRate * 100).toFixed(2)} %`);
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
    textLayerPage,
    ccittG4Page,
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
