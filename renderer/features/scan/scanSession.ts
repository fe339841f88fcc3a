/**
 * One scan session seen from the window: the channels of shared/contract/scan.ts (docs/scanning.md « La séance de
 * numérisation ») behind plain methods, and the session's events (`scan:page`, `scan:job`) turned into actions of
 * ./sessionModel.ts. The session is opened in the core at the first scan or camera page and closed by `close()` or
 * by a successful `commit()` (the core closes it then); its pages live only in the core's memory, dropped at lock.
 * The transport is given (the api client in the window, a fake in tests/unit/renderer/scanSession.test.ts), so
 * this file imports nothing that needs a DOM.
 */
import type { ResponseOf } from '../../../shared/contract';
import type { ColorMode, ScanPage, ScanSource } from '../../../shared/domain/scan';
import type { invoke as Invoke, on as On } from '../../api/client';
import type { PaperMeta } from '../vault/PaperFields';
import type { Rotation, ScanAction } from './sessionModel';

export interface ScanTransport {
  invoke: typeof Invoke;
  on: typeof On;
}

export interface StartOptions {
  scannerId: string;
  source: ScanSource;
  dpi?: number | undefined;
  mode?: ColorMode | undefined;
}

export class ScanSession {
  private id: Promise<string> | null = null;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly transport: ScanTransport,
    private readonly dispatch: (action: ScanAction) => void,
  ) {}

  /** The core's session id, opening the session (and listening to its events) the first time. */
  private session(): Promise<string> {
    if (this.id) return this.id;
    const opening = this.transport.invoke('scan:openSession', {}).then((r) => {
      const sessionId = r.sessionId;
      this.unsubscribe = [
        this.transport.on('scan:page', (e) => {
          if (e.sessionId === sessionId) this.dispatch({ type: 'page', page: e.page });
        }),
        this.transport.on('scan:job', (e) => {
          if (e.sessionId === sessionId) this.dispatch({ type: 'job', job: { jobId: e.jobId, state: e.state, pages: e.pages, message: e.message, code: e.code } });
        }),
      ];
      return sessionId;
    });
    // A failed opening is not kept: the next action tries again.
    opening.catch(() => {
      if (this.id === opening) this.id = null;
    });
    this.id = opening;
    return opening;
  }

  /** True once the core holds a session for this window (something to close). */
  get open(): boolean {
    return this.id !== null;
  }

  /**
   * Starts scanning from `options.source` (`duplex`: both sides through the feeder). Returns once the core has taken
   * the job; pages arrive as `page` actions. A refusal (scanner unknown, session full…) becomes a failed job.
   */
  async start(options: StartOptions): Promise<void> {
    this.dispatch({ type: 'starting' });
    try {
      const sessionId = await this.session();
      const { jobId } = await this.transport.invoke('scan:start', {
        sessionId,
        scannerId: options.scannerId,
        source: options.source,
        ...(options.source === 'duplex' ? { duplex: true } : {}),
        ...(options.dpi ? { dpi: options.dpi } : {}),
        ...(options.mode ? { mode: options.mode } : {}),
      });
      this.dispatch({ type: 'started', jobId });
    } catch (e) {
      this.dispatch({ type: 'job', job: { jobId: '', state: 'failed', pages: 0, message: e instanceof Error ? e.message : String(e), code: 'other' } });
    }
  }

  /** Stops the running job; the pages received stay (the core then sends `scan:job` « cancelled »). */
  async cancel(): Promise<void> {
    if (!this.id) return;
    await this.transport.invoke('scan:cancel', { sessionId: await this.id });
  }

  /** Adds a camera capture or a file (JPEG/PNG bytes) as the session's next page; resolves with that page. */
  async addPage(name: string, bytes: Uint8Array): Promise<ScanPage> {
    const page = await this.transport.invoke('scan:addPage', { sessionId: await this.session(), name, bytes });
    this.dispatch({ type: 'page', page });
    return page;
  }

  /** The page at screen size, for the large view. */
  async pageImage(pageId: string): Promise<{ bytes: Uint8Array; mime: string }> {
    return this.transport.invoke('scan:pageImage', { sessionId: await this.session(), pageId });
  }

  /**
   * Makes one paper of `pages` (in that order, each turned by its rotation) for `personId` through the vault's add
   * path; on success the core has closed the session and the window forgets it. Throws the core's ApiError.
   */
  async commit(personId: string, meta: PaperMeta, pages: { pageId: string; rotation: Rotation }[], operationId?: string): Promise<{ id: string; pages: number; sha256: string }> {
    const sessionId = await this.session();
    const stored = await this.transport.invoke('scan:commit', { sessionId, personId, meta, pages, ...(operationId ? { operationId } : {}) });
    this.forget();
    this.dispatch({ type: 'reset' });
    return stored;
  }

  /** Cancels what runs and closes the session in the core (its pages are dropped). Never throws. */
  async close(): Promise<void> {
    const opening = this.id;
    this.forget();
    if (!opening) return;
    try {
      const sessionId = await opening;
      await this.transport.invoke('scan:cancel', { sessionId }).catch(() => undefined);
      await this.transport.invoke('scan:closeSession', { sessionId });
    } catch {
      // Locked or already closed: the core dropped the session with its pages.
    }
    this.dispatch({ type: 'reset' });
  }

  /**
   * Reads the MRZ of `pages` (the first ones as the window shows them, with their turns) in the core, where the
   * pages are (`scan:readMrz`; docs/mrz.md), comparing with `personId`'s record. Nothing opened yet: nothing read.
   */
  async readMrz(personId: string, pages: { pageId: string; rotation: Rotation }[]): Promise<ResponseOf<'scan:readMrz'>> {
    if (!this.id || pages.length === 0) return { reading: null, mismatches: [] };
    return this.transport.invoke('scan:readMrz', { sessionId: await this.id, personId, pages });
  }

  /** Forgets the session in the window only, without asking the core (which dropped it at lock). */
  drop(): void {
    this.forget();
  }

  private forget(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.id = null;
  }
}
