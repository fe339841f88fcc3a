/**
 * `npx tsx bench/mrz.ts`: seconds to read the MRZ of a 300-dpi specimen of each kind (card-sized page, bottom band
 * read first) and of a card lying on a blank A4 page (bottom band empty, then the whole page), with the real OCR engine
 * (docs/mrz.md). The first read includes the start of the OCR worker and its French model. Results in
 * bench/results/mrz.json (git-ignored) and on stdout. Measures, asserts nothing. Needs ImageMagick and fonts-ocr-b.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recognizePage, stopOcrEngine } from '../main/ocr/engine';
import { readMrzIn } from '../main/services/papers/mrzService';
import { frenchId, specimenPng, td1, td3 } from '../tests/helpers/mrzSpecimens';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results');
const person = { last: 'NGUYEN', first: 'THI LAN', birth: '920117', sex: 'F' as const, expiry: '300228', number: 'X4RT8O123' };

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mrz-'));
  const cases: [string, string[]][] = [
    ['TD3', td3(person)],
    ['TD1', td1(person)],
    ['FRENCH_NATIONAL_ID', frenchId({ ...person, number: '12345', issued: '0906' })],
  ];
  const results: { case: string; seconds: number; valid: boolean }[] = [];
  for (const [name, lines] of cases) {
    const file = join(dir, `${name}.png`);
    specimenPng(lines, file);
    const start = performance.now();
    const reading = await readMrzIn([new Uint8Array(readFileSync(file))], recognizePage, '2026-12-06');
    results.push({ case: `${name} card`, seconds: Math.round(performance.now() - start) / 1000, valid: reading?.valid ?? false });
  }
  const a4 = join(dir, 'a4.png');
  execFileSync('convert', ['-size', '2480x3508', 'xc:white', '-units', 'PixelsPerInch', '-density', '300', join(dir, 'TD1.png'), '-geometry', '+150+150', '-composite', '-colorspace', 'Gray', a4]);
  const start = performance.now();
  const reading = await readMrzIn([new Uint8Array(readFileSync(a4))], recognizePage, '2026-12-06');
  results.push({ case: 'TD1 card on an A4 page', seconds: Math.round(performance.now() - start) / 1000, valid: reading?.valid ?? false });
  await stopOcrEngine();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  const out = { at: new Date().toISOString(), loadavg: loadavg(), results };
  writeFileSync(join(RESULTS, 'mrz.json'), JSON.stringify(out, null, 2));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
void main();
