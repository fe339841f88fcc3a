/**
 * `npx tsx bench/hostile.ts [--source DIR] [--limit SECONDS] [--only png|pdf|tiff]`: how long and how much memory the hostile files of the
 * security review cost before they are refused (docs/vault-limits.md). Not a test: it asserts nothing, it measures.
 *
 * The files, generated here at the review's sizes: a PNG of 30000 × 30000 gray pixels (a real zlib stream of zeros,
 * ~870 KB), a 1 KB PDF whose page tree repeats one node (100,000 pages), a ~1.3 MB TIFF of 9,999 pages of 80 Mpx.
 * Each file is assembled in a child process of its own, so its peak memory (getrusage maxRSS) is its own:
 * - by default through `assemblePdf` of this checkout (worker thread, caps checked from the headers);
 * - with `--source DIR`, through `buildPdf` of another checkout's main/vault/pdf.ts (e.g. one before the caps),
 *   in the child's own thread. A child still running after `--limit` seconds (default 120) is killed and reported so.
 * Results: bench/results/hostile.json (git-ignored) and a table on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDeflate } from 'node:zlib';
import { pdfRepeatingNode, pngDeclaring, tiffManyHugePages } from '../tests/helpers/hostileFiles';

const here = dirname(fileURLToPath(import.meta.url));
const FILES = ['png', 'pdf', 'tiff'] as const;
type Kind = (typeof FILES)[number];

/** A zlib stream of `height` rows of (filter byte 0 + `width` zero bytes): the IDAT of an all-black gray PNG. */
async function zerosIdat(width: number, height: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((r) => deflate.on('end', () => r()));
  const row = Buffer.alloc(width + 1);
  for (let y = 0; y < height; y++) if (!deflate.write(row)) await new Promise<void>((r) => deflate.once('drain', () => r()));
  deflate.end();
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

async function make(kind: Kind): Promise<{ name: string; bytes: Uint8Array }> {
  if (kind === 'png') return { name: 'affiche.png', bytes: pngDeclaring(30_000, 30_000, await zerosIdat(30_000, 30_000)) };
  if (kind === 'pdf') return { name: 'arbre.pdf', bytes: pdfRepeatingNode(10, 5, true) };
  return { name: 'dossier.tif', bytes: tiffManyHugePages() };
}

/** Child: assembles one file and prints one JSON line (time, CPU, peak memory, outcome). */
async function child(kind: Kind, source: string | null): Promise<void> {
  const input = await make(kind);
  // Modules are loaded before the clock starts; the worker's start (its own module loading) is inside the figure.
  const assemble = source
    ? ((await import(pathToFileURL(join(source, 'main/vault/pdf.ts')).href)) as typeof import('../main/vault/pdf')).buildPdf
    : (await import('../main/vault/assemble')).assemblePdf;
  const started = performance.now();
  const cpu = process.cpuUsage();
  let outcome: string;
  try {
    outcome = `accepted: ${(await assemble([input])).pages} pages`;
  } catch (e) {
    outcome = e instanceof Error ? e.message : String(e);
  }
  const used = process.cpuUsage(cpu);
  process.stdout.write(`${JSON.stringify({ kind, bytes: input.bytes.byteLength, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), peakMb: Math.round(process.resourceUsage().maxRSS / 1024), outcome })}\n`);
}

interface Row { kind: Kind; bytes?: number; ms?: number; cpuMs?: number; peakMb?: number; outcome: string }

function runChild(kind: Kind, source: string | null, limitS: number): Promise<Row> {
  return new Promise((resolvePromise) => {
    const args = [fileURLToPath(import.meta.url), '--child', kind, ...(source ? ['--source', source] : [])];
    // tsx runs the script in a node process of its own: the child gets its own process group, killed as a whole.
    const proc = spawn(join(here, '../node_modules/.bin/tsx'), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let stderrLines = 0;
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderrLines += d.split('\n').length - 1));
    const timer = setTimeout(() => process.kill(-proc.pid!, 'SIGKILL'), limitS * 1000);
    proc.on('close', () => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      const row: Row = line ? (JSON.parse(line) as Row) : { kind, outcome: `still running after ${limitS} s: killed` };
      resolvePromise({ ...row, outcome: `${row.outcome}${stderrLines ? ` (+${stderrLines} lines on stderr)` : ''}` });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const source = option('--source') ? resolve(option('--source')!) : null;
  const kind = option('--child') as Kind | undefined;
  if (kind) return child(kind, source);
  const limitS = Number(option('--limit') ?? 120);
  const load = loadavg()[0]!;
  const rows: Row[] = [];
  const only = option('--only') as Kind | undefined;
  for (const k of FILES.filter((f) => !only || f === only)) {
    const row = await runChild(k, source, limitS);
    rows.push(row);
    process.stdout.write(`${k.padEnd(5)} ${String(row.bytes ?? '?').padStart(9)} B  ${row.ms === undefined ? '—' : `${row.ms} ms`}  cpu ${row.cpuMs ?? '—'} ms  peak ${row.peakMb ?? '—'} MB  ${row.outcome}\n`);
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'hostile.json'), `${JSON.stringify({ at: new Date().toISOString(), source: source ?? 'this checkout (assemblePdf)', loadAtStart: load, rows }, null, 2)}\n`);
}

void main();
