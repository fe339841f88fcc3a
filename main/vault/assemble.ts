/**
 * Assembling a paper off the core's thread: `buildPdf` (pdf.ts) runs in a worker thread with a memory and a time
 * limit, so a hostile or merely enormous file never freezes the desk, and is stopped if it outgrows what its headers
 * announced (docs/vault-limits.md). The headers are checked first, inside the worker, against the caps of limits.ts.
 *
 * Where the worker's code is: next to the bundle (dist/main/vault-worker.cjs, scripts/build-main.mjs) when this
 * module runs from a bundle; from the TypeScript source through tsx when it runs from source (CLI, browser host,
 * tests).
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/domain/errors';
import type { AssembleMessage, AssembleRequest } from './assembleProtocol';
import { startWorker } from '../workers/start';
import { invalidInput } from './errors';
import type { PdfInput } from './pdf';

/** The limits of one assembly; `assemblePdf` takes DEFAULT_ASSEMBLE_LIMITS unless told otherwise (tests). */
export interface AssembleLimits {
  /** V8 heap of the worker (MB): pdf-lib's and pdf.js's objects (`resourceLimits.maxOldGenerationSizeMb`). */
  heapMb: number;
  /**
   * Growth of the process's resident memory while the worker runs (MB, above what it was once the worker had loaded
   * its modules): decoded pixels live in buffers outside the V8 heap, which the heap limit does not see.
   */
  memoryMb: number;
  /** Time for any paper (ms), plus `msPerMegapixel` per million pixels its headers declare to decode. */
  baseMs: number;
  msPerMegapixel: number;
}

/**
 * Defaults. One page at the pixel cap (80 Mpx) takes about 1.5 GB while it is decoded, re-encoded and embedded;
 * 600 Mpx of TIFF pages (the paper cap) take about 2 minutes of CPU here, 4 minutes allowed.
 */
export const DEFAULT_ASSEMBLE_LIMITS: AssembleLimits = { heapMb: 1024, memoryMb: 2560, baseMs: 60_000, msPerMegapixel: 400 };

/**
 * The smallest heap a worker is given (MB). Below about 4 MB, Node 24's V8 cannot even deserialize the worker's
 * startup snapshot and aborts the whole process ("Fatal JavaScript out of memory: GC during deserialization")
 * instead of ending the worker with ERR_WORKER_OUT_OF_MEMORY.
 */
export const MIN_HEAP_MB = 8;

/** How often the memory and the deadline are checked (ms). */
const WATCH_MS = 50;

/** One assembly at a time per process: two hostile papers do not add up. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Builds the paper's PDF from `inputs` in a worker thread (same result and errors as `buildPdf`).
 * @param onProgress (files done, files in total), as buildPdf reports it.
 * @throws AppError VALIDATION '« <file> » : …' for every refusal of buildPdf (caps checked from the headers, damaged
 *   files), and when the worker outgrows its memory or its time: the worker is terminated, the message names the file
 *   it was working on. Nothing is written anywhere.
 */
export function assemblePdf(
  inputs: PdfInput[],
  onProgress?: (done: number, total: number) => void,
  limits: AssembleLimits = DEFAULT_ASSEMBLE_LIMITS,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const run = queue.then(() => runWorker(inputs, onProgress, limits));
  queue = run.catch(() => undefined);
  return run;
}

function runWorker(inputs: PdfInput[], onProgress: ((done: number, total: number) => void) | undefined, limits: AssembleLimits): Promise<{ pdf: Uint8Array; pages: number }> {
  if (inputs.length === 0) return Promise.reject(new AppError('VALIDATION', 'Aucun fichier à assembler.', { field: 'files' }));
  return new Promise((resolve, reject) => {
    const worker = startAssembleWorker(limits);
    // Whatever pdf-lib or pdf.js print is dropped (the worker silences console too): the CLI stays at one line.
    worker.stdout.resume();
    worker.stderr.resume();
    const started = Date.now();
    let deadline = started + limits.baseMs;
    let baseline: number | null = null;
    let current = 0; // index of the file being assembled
    let settled = false;
    const finish = (error: AppError | null, result?: { pdf: Uint8Array; pages: number }) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result!);
    };
    const name = () => inputs[Math.min(current, inputs.length - 1)]!.name;
    const watch = setInterval(() => {
      if (Date.now() > deadline) {
        const seconds = Math.round((Date.now() - started) / 1000);
        finish(invalidInput(name(), `traitement trop long (arrêté après ${seconds} s) : le fichier est refusé.`));
      } else if (baseline !== null && process.memoryUsage.rss() - baseline > limits.memoryMb * 1024 * 1024) {
        finish(tooBig(name()));
      }
    }, WATCH_MS);
    worker.on('message', (message: AssembleMessage) => {
      switch (message.type) {
        case 'ready': {
          baseline = process.memoryUsage.rss();
          const request: AssembleRequest = { type: 'assemble', inputs: inputs.map(({ name, bytes }) => ({ name, bytes })) };
          worker.postMessage(request);
          return;
        }
        case 'progress':
          current = message.done;
          onProgress?.(message.done, message.total);
          return;
        case 'budget':
          deadline = started + limits.baseMs + (message.decodedPixels / 1_000_000) * limits.msPerMegapixel;
          return;
        case 'done':
          finish(null, { pdf: message.pdf, pages: message.pages });
          return;
        case 'failed':
          finish(new AppError(message.error.code, message.error.message, message.error.details));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish(tooBig(name()));
      else finish(new AppError('INTERNAL', 'L’assemblage du document a échoué (erreur inattendue).'));
    });
    worker.on('exit', () => finish(new AppError('INTERNAL', 'L’assemblage du document s’est arrêté sans résultat.')));
  });
}

function tooBig(name: string): AppError {
  return invalidInput(name, 'fichier trop lourd à traiter (mémoire insuffisante) : le fichier est refusé.');
}

let sharpPinned = false;
/**
 * Loads sharp in the thread that starts the workers, once: on glibc Linux a shared library opened only by a worker
 * is closed when that worker ends, while libvips' own threads may still use it (sharp's documentation and issue
 * lovell/sharp#2263); a reference from this thread keeps libvips loaded for the life of the process.
 */
function pinSharp(): void {
  if (sharpPinned) return;
  sharpPinned = true;
  try {
    createRequire(import.meta.url)('sharp');
  } catch {
    // Not loadable here: the worker fails the same way and refuses the file with a French message.
  }
}

/** The worker: the bundled vault-worker.cjs beside a bundle, else the TypeScript entry loaded through tsx. */
function startAssembleWorker(limits: AssembleLimits): Worker {
  pinSharp();
  return startWorker(import.meta.url, 'vault-worker.cjs', './assembleWorker.ts', {
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: Math.max(limits.heapMb, MIN_HEAP_MB), maxYoungGenerationSizeMb: 32 },
  });
}
