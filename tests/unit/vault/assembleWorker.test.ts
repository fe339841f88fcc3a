/**
 * `assemblePdf` (main/vault/assemble.ts): a paper is assembled in a worker thread — the core's event loop stays free
 * while pages are decoded — with a time and a memory limit that stop the worker and refuse the file by name; what
 * pdf-lib prints while reading a damaged PDF never reaches the terminal.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PDFDocument } from 'pdf-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/domain/errors';
import { DEFAULT_ASSEMBLE_LIMITS, assemblePdf } from '../../../main/vault/assemble';
import { pdfRepeatingNode, pdfWithInvalidObject, pngDeclaring } from '../../helpers/hostileFiles';

const scan = (file: string) => ({ name: file, bytes: new Uint8Array(readFileSync(path.resolve(process.cwd(), '../shared/fixtures/scans', file))) });
/** Two colour pages of JPEG strips (3.9 Mpx each): about two seconds of decoding and re-encoding. */
const TIFF = 'attestation-domicile-2pages.tif';

async function refusal(run: Promise<unknown>): Promise<AppError> {
  const error = await run.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

afterEach(() => vi.restoreAllMocks());

describe('assemblePdf', () => {
  it('decodes in a worker thread: the core’s event loop stays mostly idle while a TIFF paper is assembled', async () => {
    const progress: Array<[number, number]> = [];
    const start = performance.eventLoopUtilization();
    const { pdf, pages } = await assemblePdf([scan(TIFF), scan('carte-identite-specimen.png')], (d, t) => progress.push([d, t]));
    const busy = performance.eventLoopUtilization(start).utilization;
    expect(pages).toBe(3);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(3);
    expect(progress).toEqual([[1, 2], [2, 2]]);
    // In the core's thread, decoding would keep the loop busy (utilisation close to 1).
    expect(busy).toBeLessThan(0.3);
  });

  it('refuses a hostile file with the same French message as the checks themselves (code, file named)', async () => {
    const error = await refusal(assemblePdf([scan('carte-identite-specimen.png'), { name: 'affiche.png', bytes: pngDeclaring(30_000, 30_000) }]));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/^« affiche\.png » : image trop grande \(30000 × 30000 pixels/);
    expect(error.details).toMatchObject({ file: 'affiche.png' });
    const tree = await refusal(assemblePdf([{ name: 'arbre.pdf', bytes: pdfRepeatingNode(10, 5, true) }]));
    expect(tree.message).toMatch(/^« arbre\.pdf » : fichier PDF invalide : son arborescence de pages répète/);
  });

  it('stops a worker that runs past its time and refuses the file it was working on', async () => {
    const limits = { ...DEFAULT_ASSEMBLE_LIMITS, baseMs: 300, msPerMegapixel: 0 };
    const error = await refusal(assemblePdf([scan(TIFF)], undefined, limits));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toMatch(/^« attestation-domicile-2pages\.tif » : traitement trop long \(arrêté après \d+ s\) : le fichier est refusé\.$/);
    // The next paper is assembled normally.
    expect((await assemblePdf([scan('carte-identite-specimen.png')])).pages).toBe(1);
  });

  it('stops a worker whose decoded pixels outgrow its memory allowance', async () => {
    const limits = { ...DEFAULT_ASSEMBLE_LIMITS, memoryMb: 8 };
    const error = await refusal(assemblePdf([scan(TIFF)], undefined, limits));
    expect(error.message).toMatch(/^« attestation-domicile-2pages\.tif » : fichier trop lourd à traiter \(mémoire insuffisante\)/);
  });

  it('stops a worker that outgrows its heap limit', async () => {
    const error = await refusal(assemblePdf([scan('attestation-caf-2pages.pdf')], undefined, { ...DEFAULT_ASSEMBLE_LIMITS, heapMb: 1 }));
    expect(error.message).toMatch(/^« attestation-caf-2pages\.pdf » : fichier trop lourd à traiter \(mémoire insuffisante\)/);
  });

  it('keeps pdf-lib’s warnings about a damaged object off the terminal (the paper is still assembled)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const stdout = vi.spyOn(process.stdout, 'write');
    const warn = vi.spyOn(console, 'warn');
    const { pages } = await assemblePdf([{ name: 'courrier.pdf', bytes: pdfWithInvalidObject() }]);
    expect(pages).toBe(1);
    expect(stderr).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
