/**
 * Messages between `assemblePdf` (assemble.ts, the core's thread) and the worker that assembles a paper
 * (assembleWorker.ts). Everything crosses by structured clone; the finished PDF's buffer is transferred.
 */
import type { ErrorCode } from '../../shared/domain/errors';

/** Core → worker, once the worker said it is ready: the files of one paper, in order. */
export interface AssembleRequest {
  type: 'assemble';
  inputs: Array<{ name: string; bytes: Uint8Array }>;
}

/** Worker → core. */
export type AssembleMessage =
  /** Modules loaded: the core takes its memory reference now. */
  | { type: 'ready' }
  /** `done` of `total` files assembled (buildPdf's onProgress). */
  | { type: 'progress'; done: number; total: number }
  /** The paper's headers so far declare `decodedPixels` pixels to decode and `pages` pages (the core extends its deadline). */
  | { type: 'budget'; pages: number; decodedPixels: number }
  | { type: 'done'; pdf: Uint8Array; pages: number }
  | { type: 'failed'; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };
