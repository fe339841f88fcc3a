/**
 * `npx tsx bench/files.ts [--source DIR] [--only KIND] [--tag TAG]` (part of `npm run bench`): seconds and peak memory of adding
 * the slowest real-world files to the vault (docs/file-kinds.md): a 20-page 300-dpi colour TIFF (LZW, as scanners
 * write lossless TIFF; and with JPEG strips), a 20-page 300-dpi CCITT G4 TIFF, a 12 Mpx HEIC phone photo and a
 * 12 Mpx CMYK JPEG. Not a test: it asserts nothing, it measures.
 *
 * The files are made here with Debian's tools (ImageMagick, tiffcp, heif-enc: tests/helpers/fileCorpus.ts). Each is
 * added in a child process of its own, so its peak memory (getrusage maxRSS, Node and tsx included) is its own:
 * - by default through the real core (`vault:addDocument`: assembly in the worker thread, SHA-256, encryption, write);
 * - with `--source DIR`, through `buildPdf` of another checkout's main/vault/pdf.ts in the child's own thread (e.g. a
 *   checkout before libvips, to compare decoders: that one also needs `utif`, no longer a dependency, installed);
 *   `--source .` measures this checkout's `buildPdf` the same way.
 * Results: bench/results/files.json, or files-TAG.json with `--tag TAG` (git-ignored), and a table on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusDir, run } from '../tests/helpers/fileCorpus';

const here = dirname(fileURLToPath(import.meta.url));
const KINDS = ['tiff-colour-lzw', 'tiff-colour-jpeg', 'tiff-g4', 'heic', 'jpeg-cmyk'] as const;
type Kind = (typeof KINDS)[number];

/** An A4 page at 300 dpi (2480 × 3508): lines of "text", a colour photo block, a red stamp. */
function drawPage(dir: string, out: string, extra: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < 70; i++) {
    const y = 300 + i * 40;
    if (y > 1500 && y < 2300) continue;
    lines.push('-draw', `rectangle 200,${y} ${600 + ((i * 397) % 1700)},${y + 18}`);
  }
  run('convert', [
    '-size', '2480x3508', 'xc:white', '-fill', '#222222', ...lines,
    '(', '-size', '1200x700', 'gradient:#1060c0-#f0c020', '-swirl', '120', ')', '-geometry', '+640+1560', '-composite',
    '-fill', 'none', '-stroke', '#d01010', '-strokewidth', '12', '-draw', 'circle 2000,3100 2000,2900', '-stroke', 'none',
    '-units', 'PixelsPerInch', '-density', '300', ...extra, out,
  ], dir);
  return join(dir, out);
}

/** A 12 Mpx (4032 × 3024) phone-like photo as PNG: gradients, swirls and fine noise. */
function drawPhoto(dir: string): string {
  run('convert', ['-size', '4032x3024', 'gradient:#304050-#e0c090', '-swirl', '200', '-attenuate', '0.4', '+noise', 'Gaussian', '-depth', '8', 'photo.png'], dir);
  return join(dir, 'photo.png');
}

function make(kind: Kind, dir: string): { name: string; path: string } {
  switch (kind) {
    case 'tiff-colour-lzw': {
      const page = drawPage(dir, 'page-rgb.tif', ['-type', 'TrueColor', '-depth', '8', '-compress', 'None']);
      run('tiffcp', ['-c', 'lzw:2', ...Array<string>(20).fill(page), 'colour-lzw.tif'], dir);
      return { name: 'scan-couleur-20p.tif', path: join(dir, 'colour-lzw.tif') };
    }
    case 'tiff-colour-jpeg': {
      const page = drawPage(dir, 'page-rgb.tif', ['-type', 'TrueColor', '-depth', '8', '-compress', 'None']);
      run('tiffcp', ['-c', 'jpeg:85', '-r', '16', ...Array<string>(20).fill(page), 'colour-jpeg.tif'], dir);
      return { name: 'scan-couleur-jpeg-20p.tif', path: join(dir, 'colour-jpeg.tif') };
    }
    case 'tiff-g4': {
      const page = drawPage(dir, 'page-bw.tif', ['-type', 'Bilevel', '-depth', '1', '-compress', 'None']);
      run('tiffcp', ['-c', 'g4', ...Array<string>(20).fill(page), 'g4.tif'], dir);
      return { name: 'fax-20p.tif', path: join(dir, 'g4.tif') };
    }
    case 'heic':
      run('heif-enc', ['-q', '80', '-o', 'photo.heic', drawPhoto(dir)], dir);
      return { name: 'photo.heic', path: join(dir, 'photo.heic') };
    case 'jpeg-cmyk':
      run('convert', [drawPhoto(dir), '-colorspace', 'CMYK', '-quality', '85', 'photo-cmyk.jpg'], dir);
      return { name: 'photo-cmyk.jpg', path: join(dir, 'photo-cmyk.jpg') };
  }
}

/** Child: adds one file and prints one JSON line (time, CPU, peak memory, outcome). */
async function child(kind: Kind, path: string, name: string, source: string | null): Promise<void> {
  const bytes = new Uint8Array(readFileSync(path));
  let add: () => Promise<{ pages: number; size?: number }>;
  let cleanup = async () => undefined as void;
  if (source) {
    const { buildPdf } = (await import(pathToFileURL(join(source, 'main/vault/pdf.ts')).href)) as typeof import('../main/vault/pdf');
    add = async () => {
      const { pdf, pages } = await buildPdf([{ name, bytes }]);
      return { pages, size: pdf.byteLength };
    };
  } else {
    const { newTestCore } = await import('../tests/helpers/core');
    const t = await newTestCore();
    const personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    add = async () => {
      const added = await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name, bytes }] });
      const listed = (await t.call('vault:listDocuments', { personId })).items.find((d) => d.id === added.id);
      return { pages: added.pages, size: listed?.size };
    };
    cleanup = () => t.cleanup();
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  let outcome: string;
  let size: number | undefined;
  try {
    const result = await add();
    size = result.size;
    outcome = `accepted: ${result.pages} pages`;
  } catch (e) {
    outcome = e instanceof Error ? e.message : String(e);
  }
  const used = process.cpuUsage(cpu);
  const row = { kind, bytes: bytes.byteLength, pdfBytes: size, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), peakMb: Math.round(process.resourceUsage().maxRSS / 1024), outcome };
  await cleanup();
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

interface Row { kind: Kind; bytes?: number; pdfBytes?: number; ms?: number; cpuMs?: number; peakMb?: number; outcome: string }

function runChild(kind: Kind, file: { name: string; path: string }, source: string | null): Promise<Row> {
  return new Promise((done) => {
    const args = [fileURLToPath(import.meta.url), '--child', kind, '--file', file.path, '--name', file.name, ...(source ? ['--source', source] : [])];
    const proc = spawn(join(here, '../node_modules/.bin/tsx'), args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.on('close', () => {
      const line = out.trim().split('\n').pop();
      done(line ? (JSON.parse(line) as Row) : { kind, outcome: 'no result (child failed)' });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const source = option('--source') ? resolve(option('--source')!) : null;
  const kind = option('--child') as Kind | undefined;
  if (kind) return child(kind, option('--file')!, option('--name')!, source);
  const only = option('--only');
  const dir = corpusDir();
  const rows: Row[] = [];
  for (const k of KINDS.filter((x) => !only || x === only)) {
    const file = make(k, dir);
    const row = await runChild(k, file, source);
    rows.push(row);
    const mb = (b?: number) => (b === undefined ? '—' : `${(b / 1024 / 1024).toFixed(1)} MB`);
    process.stdout.write(`${k.padEnd(17)} in ${mb(row.bytes).padStart(8)}  out ${mb(row.pdfBytes).padStart(8)}  ${row.ms === undefined ? '—' : `${(row.ms / 1000).toFixed(2)} s`}  cpu ${row.cpuMs === undefined ? '—' : `${(row.cpuMs / 1000).toFixed(2)} s`}  peak ${row.peakMb ?? '—'} MB  ${row.outcome}\n`);
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  const at = new Date().toISOString();
  writeFileSync(join(here, 'results', option('--tag') ? `files-${option('--tag')}.json` : 'files.json'), `${JSON.stringify({ at, source: source ?? 'this checkout (vault:addDocument)', cpus: cpus().length, loadAtStart: loadavg()[0], rows }, null, 2)}\n`);
}

void main();
