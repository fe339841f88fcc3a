/**
 * Scan sessions (docs/scanning.md "The scan session"): pages held in the core's memory only — never written to disk,
 * they are personal data — at most MAX_SESSION_PAGES per session, all dropped when the association locks. A session
 * belongs to the unlocked session that opened it: after a lock and a new unlock it is gone.
 *
 * Images are decoded, measured, thumbnailed and rotated with sharp (libvips); EXIF orientation is applied on arrival
 * so that the thumbnail, the preview and the stored page agree.
 */
import { randomUUID } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../../shared/domain/errors';
import { MAX_SESSION_PAGES, type ScanFailureCode, type ScanPage } from '../../shared/domain/scan';
import type { ScannedImage, ScanOptions } from './types';
import { ScanFailure } from './types';

/** Thumbnails are at most this high (px), as the contract says. */
export const THUMBNAIL_HEIGHT = 240;
/** The big preview's long side (px). */
export const PREVIEW_SIZE = 1600;
const ACCEPTED = new Set(['jpeg', 'png', 'tiff', 'webp', 'heif']);

interface StoredPage {
  page: ScanPage;
  /** The image, upright (EXIF orientation applied), JPEG or PNG. */
  bytes: Uint8Array;
  mime: 'image/jpeg' | 'image/png';
}

interface Job {
  jobId: string;
  controller: AbortController;
  done: Promise<void>;
}

interface ScanSession {
  owner: object;
  pages: Map<string, StoredPage>;
  nextIndex: number;
  job: Job | null;
}

/** What a job reports: each page and its end (the handlers turn these into `scan:page` / `scan:job` events). */
export interface JobListener {
  page(page: ScanPage): void;
  state(state: 'scanning' | 'done' | 'cancelled' | 'failed', pages: number, failure?: { code: ScanFailureCode; message: string }): void;
}

/**
 * Reads an image (JPEG, PNG, TIFF, WebP, HEIF) into an upright page: JPEG kept as is when it needs no turning, else
 * re-encoded (JPEG quality 92, or PNG when it has few colours: a black-and-white page stays sharp).
 * Throws VALIDATION (French, naming `name`) for anything else.
 */
export async function readPageImage(name: string, bytes: Uint8Array): Promise<{ bytes: Uint8Array; mime: 'image/jpeg' | 'image/png'; width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'error' }).metadata();
  } catch {
    throw new AppError('VALIDATION', `« ${name.slice(0, 120)} » n'est pas une image lisible (JPEG ou PNG attendu).`, { field: 'bytes' });
  }
  if (!meta.format || !ACCEPTED.has(meta.format) || !meta.width || !meta.height) {
    throw new AppError('VALIDATION', `« ${name.slice(0, 120)} » n'est pas une image prise en charge (JPEG ou PNG attendu).`, { field: 'bytes' });
  }
  const turned = (meta.orientation ?? 1) > 1;
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  if (meta.format === 'jpeg' && !turned) return { bytes, mime: 'image/jpeg', width, height };
  if (meta.format === 'png' && !turned) return { bytes, mime: 'image/png', width, height };
  const upright = sharp(bytes).rotate();
  const lossless = meta.format === 'png' || (meta.format === 'tiff' && (meta.bitsPerSample ?? 8) <= 1);
  const out = lossless ? await upright.png().toBuffer() : await upright.jpeg({ quality: 92 }).toBuffer();
  return { bytes: new Uint8Array(out), mime: lossless ? 'image/png' : 'image/jpeg', width, height };
}

async function thumbnailOf(bytes: Uint8Array): Promise<string> {
  const jpeg = await sharp(bytes).resize({ height: THUMBNAIL_HEIGHT, width: THUMBNAIL_HEIGHT * 2, fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 70 }).toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

/** A page's image turned clockwise by `rotation` degrees (sharp); unturned, its bytes as they are. */
async function turned(p: StoredPage, rotation: 0 | 90 | 180 | 270): Promise<Uint8Array> {
  if (rotation === 0) return p.bytes;
  const image = sharp(p.bytes).rotate(rotation);
  return new Uint8Array(p.mime === 'image/png' ? await image.png().toBuffer() : await image.jpeg({ quality: 92 }).toBuffer());
}

export class ScanSessions {
  private readonly sessions = new Map<string, ScanSession>();

  /** Opens a session owned by `owner` (the unlocked core session). */
  open(owner: object): string {
    const id = randomUUID();
    this.sessions.set(id, { owner, pages: new Map(), nextIndex: 0, job: null });
    return id;
  }

  private get(sessionId: string, owner: object): ScanSession {
    const s = this.sessions.get(sessionId);
    if (!s || s.owner !== owner) throw new AppError('NOT_FOUND', 'Cette séance de numérisation est terminée (verrouillage ou ajout au coffre-fort) : recommencez la numérisation.');
    return s;
  }

  /** Adds one image to the session; throws VALIDATION when it is not an image or the session is full. */
  async addImage(sessionId: string, owner: object, name: string, bytes: Uint8Array): Promise<ScanPage> {
    const s = this.get(sessionId, owner);
    if (s.pages.size >= MAX_SESSION_PAGES) throw new AppError('VALIDATION', `Une séance de numérisation garde ${MAX_SESSION_PAGES} pages au plus : ajoutez d'abord celles-ci au coffre-fort.`);
    const img = await readPageImage(name, bytes);
    const thumbnail = await thumbnailOf(img.bytes);
    if (this.sessions.get(sessionId) !== s) throw new AppError('NOT_FOUND', 'Cette séance de numérisation est terminée.');
    const page: ScanPage = { pageId: randomUUID(), index: s.nextIndex++, width: img.width, height: img.height, thumbnail };
    s.pages.set(page.pageId, { page, bytes: img.bytes, mime: img.mime });
    return page;
  }

  /**
   * Starts a scan job in the session: `scan` yields the pages (from the scanner registry), each is added and reported
   * to `listener`. Returns the job id at once. One job at a time per session (VALIDATION otherwise).
   */
  start(sessionId: string, owner: object, scan: (signal: AbortSignal) => AsyncIterable<ScannedImage>, listener: JobListener): string {
    const s = this.get(sessionId, owner);
    if (s.job) throw new AppError('VALIDATION', 'Une numérisation est déjà en cours dans cette séance : attendez sa fin ou annulez-la.');
    const jobId = randomUUID();
    const controller = new AbortController();
    const job: Job = { jobId, controller, done: Promise.resolve() };
    s.job = job;
    // The job is over for the session before its end is told: a window may commit as soon as it hears `done`.
    const ended: JobListener = {
      page: (p) => listener.page(p),
      state: (state, pages, failure) => {
        if (state !== 'scanning' && s.job === job) s.job = null;
        listener.state(state, pages, failure);
      },
    };
    job.done = this.run(sessionId, s, owner, scan, controller, ended).finally(() => {
      if (s.job === job) s.job = null;
    });
    return jobId;
  }

  private async run(sessionId: string, s: ScanSession, owner: object, scan: (signal: AbortSignal) => AsyncIterable<ScannedImage>, controller: AbortController, listener: JobListener): Promise<void> {
    let pages = 0;
    listener.state('scanning', 0);
    try {
      for await (const image of scan(controller.signal)) {
        if (controller.signal.aborted) break;
        const page = await this.addImage(sessionId, owner, `page ${pages + 1}`, image.bytes);
        pages++;
        listener.page(page);
      }
      listener.state(controller.signal.aborted ? 'cancelled' : 'done', pages);
    } catch (e) {
      if (controller.signal.aborted) {
        listener.state('cancelled', pages);
        return;
      }
      controller.abort(); // the driver stops its job on the scanner
      const failure = e instanceof ScanFailure ? { code: e.reason, message: e.message } : e instanceof AppError ? { code: 'other' as const, message: e.message } : { code: 'other' as const, message: 'La numérisation a échoué. Vérifiez le scanner, puis relancez.' };
      listener.state('failed', pages, failure);
    }
  }

  /** Cancels the running job, if any; the pages already received stay. Resolves once the job ended. */
  async cancel(sessionId: string, owner: object): Promise<void> {
    const job = this.get(sessionId, owner).job;
    if (!job) return;
    job.controller.abort();
    await job.done;
  }

  /** The page `pageId` at screen size (JPEG, long side ≤ PREVIEW_SIZE). */
  async preview(sessionId: string, owner: object, pageId: string): Promise<{ bytes: Uint8Array; mime: string }> {
    const p = this.page(this.get(sessionId, owner), pageId);
    const out = await sharp(p.bytes).resize({ width: PREVIEW_SIZE, height: PREVIEW_SIZE, fit: 'inside', withoutEnlargement: true }).flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer();
    return { bytes: new Uint8Array(out), mime: 'image/jpeg' };
  }

  private page(s: ScanSession, pageId: string): StoredPage {
    const p = s.pages.get(pageId);
    if (!p) throw new AppError('NOT_FOUND', "Cette page n'est plus dans la séance de numérisation.", { field: 'pageId' });
    return p;
  }

  /**
   * The chosen pages in order, each turned clockwise by `rotation` degrees, as files for the vault's add path
   * (`page-001.jpg`…). Throws NOT_FOUND naming a missing page, VALIDATION when a job is still running or a page repeats.
   */
  async files(sessionId: string, owner: object, chosen: { pageId: string; rotation: 0 | 90 | 180 | 270 }[]): Promise<{ name: string; bytes: Uint8Array }[]> {
    const s = this.get(sessionId, owner);
    if (s.job) throw new AppError('VALIDATION', 'La numérisation est encore en cours : attendez sa fin (ou annulez-la) avant d’ajouter au coffre-fort.');
    if (new Set(chosen.map((c) => c.pageId)).size !== chosen.length) throw new AppError('VALIDATION', 'Une même page est choisie deux fois.', { field: 'pages' });
    const out: { name: string; bytes: Uint8Array }[] = [];
    for (const [i, c] of chosen.entries()) {
      const p = this.page(s, c.pageId);
      const ext = p.mime === 'image/png' ? 'png' : 'jpg';
      out.push({ name: `page-${String(i + 1).padStart(3, '0')}.${ext}`, bytes: await turned(p, c.rotation) });
    }
    return out;
  }

  /**
   * Page images to read in the core (the MRZ: docs/mrz.md), each turned clockwise by its `rotation`: the `chosen`
   * pages in that order, or without `chosen` the first `first` pages as they arrived (none: []). A job may still
   * be running. Throws NOT_FOUND for an unknown session or a page that is not in this one.
   */
  async images(sessionId: string, owner: object, chosen: readonly { pageId: string; rotation: 0 | 90 | 180 | 270 }[] | undefined, first: number): Promise<Uint8Array[]> {
    const s = this.get(sessionId, owner);
    const pages = chosen ? chosen.map((c) => ({ p: this.page(s, c.pageId), rotation: c.rotation })) : [...s.pages.values()].slice(0, first).map((p) => ({ p, rotation: 0 as const }));
    const out: Uint8Array[] = [];
    for (const { p, rotation } of pages) out.push(await turned(p, rotation));
    return out;
  }

  /** Closes a session: cancels its job and forgets its pages. Unknown sessions are ignored. */
  async close(sessionId: string, owner: object): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s || s.owner !== owner) return;
    this.sessions.delete(sessionId);
    s.job?.controller.abort();
    s.pages.clear();
    await s.job?.done;
  }

  /** Drops every session (at lock): jobs cancelled, pages forgotten. */
  clear(): void {
    for (const s of this.sessions.values()) {
      s.job?.controller.abort();
      s.pages.clear();
    }
    this.sessions.clear();
  }

  /** Number of open sessions (tests). */
  get size(): number {
    return this.sessions.size;
  }
}

/** The options of a `scan:start` request with defaults: 300 dpi, colour, `duplex` source = feeder both faces. */
export function scanOptions(r: { source: 'platen' | 'feeder' | 'duplex'; duplex?: boolean; dpi?: number; mode?: 'color' | 'gray' | 'bw' }): ScanOptions {
  const duplex = r.source === 'duplex' || (r.duplex ?? false);
  return { source: r.source === 'duplex' ? 'feeder' : r.source, duplex, dpi: r.dpi ?? 300, mode: r.mode ?? 'color' };
}
