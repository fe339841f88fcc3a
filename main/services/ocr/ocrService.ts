/**
 * Recognising the text of stored papers in the background (docs/ocr.md "Queue"). After a paper's file is stored
 * (added, replaced — whichever path: file, scan, watched folder), its pages are queued in `ocr_queue`; while an
 * association is unlocked in a window, one page at a time is taken from the queue, its image taken from the PDF
 * (main/ocr/pageSources.ts: a born-digital page's own text layer is taken as it is, without OCR), recognised by Tesseract in its worker thread (main/ocr/engine.ts), and its text sealed
 * like the paper (textSeal.ts) into `document_texts`. The stored paper is only read, never rewritten.
 *
 * Never on a request's path: recognition runs between requests; only the short database steps run as session work
 * (`run`, so a lock waits for them and never for a page being recognised). A page whose paper the current user cannot
 * open stays pending for a colleague who can; a page that fails (no image, engine error) is retried up to
 * MAX_ATTEMPTS times and never holds back the others.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { wipe } from '../../crypto/aead';
import { recognizePage, stopOcrEngine } from '../../ocr/engine';
import type { PageImage } from '../../ocr/pageImages';
import { openPaperPages, type PageSource, type PaperPages } from '../../ocr/pageSources';
import type { ServiceContext } from '../context';
import type { VaultService } from '../vault/vaultService';
import { MAX_ATTEMPTS, documentStates, dropPaper, enqueuePages, pendingPages, queueCounts, settlePage, unqueuedPapers, type OcrState, type QueueRow } from './ocrQueue';
import { sealPageText, type PageText } from './textSeal';

/** What the session gives: a way to run database steps as session work, and where progress goes. */
export interface OcrHooks {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** After each page: pages settled (done + failed) and all pages of the queue; the paper just worked on. */
  onProgress?(p: { done: number; total: number; documentId: string }): void;
}

/** State of a paper's text for the papers list: recognised, being recognised, failed, or nothing queued. */
export type PaperOcrState = 'done' | 'pending' | 'failed' | 'none';

/** The paper whose pages are being read: its key (wiped when another paper comes), its file's pages. */
interface OpenPaper {
  id: string;
  sha256: string;
  personId: string;
  scopeId: string;
  docKey: Uint8Array;
  pages: PaperPages;
}

export class OcrService {
  private stopped = false;
  private background = false;
  private loop: Promise<void> | null = null;
  /** Set when pages were queued while the loop was running. */
  private again = false;
  /** Papers this user cannot open, left for someone who can (this session only). */
  private readonly skip = new Set<string>();
  private current: OpenPaper | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly vault: VaultService,
    private readonly hooks: OcrHooks = { run: (work) => work() },
  ) {}

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  /** Queues every page of a paper (its current file); starts the background work if it runs. */
  async enqueue(documentId: string): Promise<void> {
    const row = (await this.ctx.db('documents').where({ id: documentId }).whereNull('deleted_at').first('sha256', 'pages')) as { sha256: string; pages: number } | undefined;
    if (!row) return;
    await enqueuePages(this.ctx.db, documentId, row.sha256, row.pages, this.now());
    this.kick();
  }

  /** Follows the vault (VaultService.onChanged): a stored file is queued, a removed paper's text and queue go. */
  changed(documentId: string, change: 'stored' | 'removed'): void {
    const work = change === 'stored' ? () => this.enqueue(documentId) : () => this.forget(documentId);
    void this.hooks.run(work).catch(() => undefined);
  }

  /** Tombstones a paper's text rows and drops its queue rows. */
  private async forget(documentId: string): Promise<void> {
    const ids = (await this.ctx.db('document_texts').where({ document_id: documentId }).whereNull('deleted_at').pluck('id')) as string[];
    await this.ctx.db.transaction(async (trx) => {
      for (const id of ids) await this.ctx.mutator.with(trx).tombstone('document_texts', id);
    });
    await dropPaper(this.ctx.db, documentId);
  }

  /** Queues the papers that have neither text for their current file nor queue rows (synced ones, older ones). */
  async sweep(): Promise<number> {
    const papers = await unqueuedPapers(this.ctx.db);
    for (const p of papers) await enqueuePages(this.ctx.db, p.id, p.sha256, p.pages, this.now());
    return papers.length;
  }

  /** Pages by state, for this device's queue. */
  counts(): Promise<Record<OcrState, number>> {
    return queueCounts(this.ctx.db);
  }

  /** The text state of each of `documentIds` (papers the caller already may list). */
  async states(documentIds: readonly string[]): Promise<Map<string, PaperOcrState>> {
    const byPaper = await documentStates(this.ctx.db, documentIds);
    const withText = new Set((await this.ctx.db('document_texts as t').join('documents as d', 'd.id', 't.document_id').whereRaw('t.sha256 = d.sha256').whereNull('t.deleted_at').whereIn('t.document_id', [...documentIds]).distinct('t.document_id').pluck('t.document_id')) as string[]);
    const out = new Map<string, PaperOcrState>();
    for (const id of documentIds) {
      const c = byPaper.get(id);
      out.set(id, c && c.pending > 0 ? 'pending' : c && c.failed > 0 && c.done === 0 ? 'failed' : c?.done || withText.has(id) ? 'done' : 'none');
    }
    return out;
  }

  /** Starts the background work (hosts with a window): a sweep, then page after page until the queue is empty. */
  start(): void {
    this.background = true;
    this.kick();
  }

  /**
   * Stops taking pages (lock): a page being recognised is dropped, its row stays pending for the next unlock; the
   * engine's worker thread ends, so no page image stays in its memory.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.background = false;
    await this.close();
    await stopOcrEngine();
  }

  private kick(): void {
    if (!this.background || this.stopped) return;
    if (this.loop) {
      // Pages queued while the loop runs: it may be past its last look at the queue, so it looks again at its end.
      this.again = true;
      return;
    }
    this.again = false;
    this.loop = (async () => {
      try {
        await this.hooks.run(() => this.sweep());
        while (!this.stopped && (await this.runNext())) {
          // One page at a time; let requests in between.
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch {
        // The database went away (lock) or a step failed: the queue keeps its state for the next run.
      } finally {
        await this.close().catch(() => undefined);
        this.loop = null;
        if (this.again) this.kick();
      }
    })();
  }

  /** Recognises every page pending now (CLI `vault ocr --wait`, tests), after a sweep. Returns the pages handled. */
  async runPending(): Promise<number> {
    await this.sweep();
    let handled = 0;
    try {
      while (!this.stopped && (await this.runNext())) handled++;
    } finally {
      await this.close();
    }
    return handled;
  }

  private async close(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current) {
      await current.pages.close();
      await wipe(current.docKey);
    }
  }

  /** The paper of `row`, opened (key and pages); null when the user cannot open it (left for someone who can). */
  private async openPaper(row: QueueRow): Promise<OpenPaper | null> {
    if (this.current?.id === row.document_id && this.current.sha256 === row.sha256) return this.current;
    await this.close();
    let found;
    try {
      found = await this.vault.find(row.document_id, true);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null;
      throw e;
    }
    const docKey = found.opened.docKey!;
    try {
      const { bytes } = await this.vault.decrypt(row.document_id);
      this.current = { id: row.document_id, sha256: found.row.sha256, personId: found.row.person_id, scopeId: found.row.scope_id, docKey, pages: await openPaperPages(bytes) };
      return this.current;
    } catch (e) {
      await wipe(docKey);
      throw e;
    }
  }

  /**
   * Recognises one pending page. Returns false when no page this user can work on is left.
   * A paper removed or replaced since its page was queued is dropped or queued again; a failure is recorded on the
   * page (attempts, French reason) and the next page follows.
   */
  async runNext(): Promise<boolean> {
    if (this.stopped) return false;
    const [row] = await this.hooks.run(() => pendingPages(this.ctx.db, this.skip, 1));
    if (!row) return false;
    const live = (await this.hooks.run(() => this.ctx.db('documents').where({ id: row.document_id }).whereNull('deleted_at').first('sha256'))) as { sha256: string } | undefined;
    if (!live || live.sha256 !== row.sha256) {
      await this.hooks.run(() => (live ? this.enqueue(row.document_id) : dropPaper(this.ctx.db, row.document_id)));
      return true;
    }
    const fail = (error: string, final: boolean) =>
      this.hooks.run(() => settlePage(this.ctx.db, row, { state: final || row.attempts + 1 >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts: row.attempts + 1, error }, this.now()));
    let paper: OpenPaper | null;
    let source: PageSource;
    try {
      paper = await this.hooks.run(() => this.openPaper(row));
      if (!paper) {
        this.skip.add(row.document_id);
        return true;
      }
      source = await paper.pages.read(row.page - 1);
    } catch (e) {
      await fail(`pièce illisible : ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`, false);
      return true;
    }
    let text: PageText;
    if (source.kind === 'text') {
      // A born-digital page: its own text, nothing to recognise.
      const { layer } = source;
      text = { text: layer.text, confidence: 100, width: layer.width, height: layer.height, matrix: layer.matrix, words: layer.words, source: 'textLayer' };
    } else {
      const { image } = source;
      if (!image.image) {
        await fail(image.reason ?? 'page sans image', true);
        return this.report(row);
      }
      let result;
      try {
        result = await recognizePage(image.image, dpiOf(image));
      } catch (e) {
        if (this.stopped) return false;
        await fail(e instanceof AppError ? e.message : 'Reconnaissance du texte impossible.', false);
        return this.report(row);
      }
      text = {
        text: result.text,
        confidence: result.confidence,
        width: image.width,
        height: image.height,
        matrix: image.matrix,
        words: result.words.map((w) => [w.text, w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1]),
        source: 'ocr',
      };
    }
    if (this.stopped) return false;
    await this.hooks.run(async () => {
      if (this.stopped) return;
      const ciphertext = await sealPageText(paper.docKey, row.document_id, row.page, row.sha256, text);
      await this.ctx.db.transaction(async (trx) => {
        const m = this.ctx.mutator.with(trx);
        const older = (await trx('document_texts').where({ document_id: row.document_id, page: row.page }).whereNull('deleted_at').pluck('id')) as string[];
        for (const id of older) await m.tombstone('document_texts', id);
        await m.insert('document_texts', [{ id: uuidv7(), document_id: row.document_id, person_id: paper.personId, page: row.page, sha256: row.sha256, ciphertext, scope_id: paper.scopeId }]);
        await settlePage(trx, row, { state: 'done', attempts: row.attempts + 1, error: null }, this.now());
      });
    });
    return this.report(row);
  }

  private async report(row: QueueRow): Promise<boolean> {
    if (this.hooks.onProgress) {
      const c = await this.hooks.run(() => this.counts());
      this.hooks.onProgress({ done: c.done + c.failed, total: c.done + c.failed + c.pending, documentId: row.document_id });
    }
    return true;
  }
}

/** The image's resolution from its size on the page (points, 1/72 in), when it is a plausible scan's. */
function dpiOf(image: PageImage): { dpi?: number } {
  if (!image.matrix || image.width === 0) return {};
  const [a, b] = image.matrix;
  const inches = Math.hypot(a, b) / 72;
  const dpi = Math.round(image.width / inches);
  return dpi >= 70 && dpi <= 2400 ? { dpi } : {};
}
