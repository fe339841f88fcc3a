/**
 * The scan channels (shared/contract/scan.ts) played in memory, for the window's scan session code without a core:
 * a transport (`invoke`, `on`) like renderer/api/client.ts's. Requests and responses are parsed with the contract's
 * zod schemas, so a wrong request fails here as it would at the core. `feed(pages)` scripts what the next
 * `scan:start` sends (pages as `scan:page` events, then `scan:job` done), `failNext(code, message)` a failed job.
 * Every call is recorded in `calls` (channel and parsed request).
 */
import { contract, events, type Channel, type EventName, type EventPayload, type RequestOf, type ResponseOf } from '../../shared/contract';
import { AppError } from '../../shared/domain/errors';
import type { ScanPage } from '../../shared/domain/scan';
import type { ScanTransport } from '../../renderer/features/scan/scanSession';

type Listener = (payload: unknown) => void;

export interface FakeScan {
  transport: ScanTransport;
  calls: { channel: string; request: unknown }[];
  /** The sessions open in the fake core, with their pages (in arrival order). */
  sessions: Map<string, ScanPage[]>;
  /** The number of pages the next `scan:start` sends (`hold` keeps the job running until `finish()`). */
  feed(pages: number, options?: { hold?: boolean }): void;
  failNext(code: 'busy' | 'feederEmpty' | 'jam' | 'unreachable' | 'coverOpen' | 'other', message: string): void;
  /** Ends a held job: `cancelled` if `scan:cancel` came, else `done`. */
  finish(): void;
  /** Sends an event as the core would (after checking it against the contract). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

const THUMB = 'data:image/jpeg;base64,/9j/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=';

export function fakeScan(): FakeScan {
  const listeners = new Map<string, Set<Listener>>();
  const sessions = new Map<string, ScanPage[]>();
  const calls: { channel: string; request: unknown }[] = [];
  let next: { pages: number; hold: boolean } | { fail: { code: 'busy' | 'feederEmpty' | 'jam' | 'unreachable' | 'coverOpen' | 'other'; message: string } } = { pages: 0, hold: false };
  let running: { sessionId: string; jobId: string; pages: number; cancelled: boolean } | null = null;
  const uid = (_what: string) => crypto.randomUUID();

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload);
    for (const l of listeners.get(event) ?? []) l(checked);
  }

  function newPage(sessionId: string, width = 2480, height = 3508): ScanPage {
    const pages = sessions.get(sessionId)!;
    const page = { pageId: uid('page'), index: pages.length, width, height, thumbnail: THUMB };
    pages.push(page);
    return page;
  }

  function session(sessionId: string): ScanPage[] {
    const s = sessions.get(sessionId);
    if (!s) throw new AppError('NOT_FOUND', 'séance de numérisation inconnue ou fermée');
    return s;
  }

  const handlers: { [C in Channel]?: (r: RequestOf<C>) => ResponseOf<C> } = {
    'scan:openSession': () => {
      const sessionId = uid('session');
      sessions.set(sessionId, []);
      return { sessionId };
    },
    'scan:start': (r) => {
      session(r.sessionId);
      const jobId = uid('job');
      const plan = next;
      next = { pages: 0, hold: false };
      // Pages come after the answer, as events (the core returns at once).
      queueMicrotask(() => {
        if ('fail' in plan) {
          emit('scan:job', { sessionId: r.sessionId, jobId, state: 'failed', pages: 0, message: plan.fail.message, code: plan.fail.code });
          return;
        }
        emit('scan:job', { sessionId: r.sessionId, jobId, state: 'scanning', pages: 0 });
        for (let i = 0; i < plan.pages; i++) emit('scan:page', { sessionId: r.sessionId, jobId, page: newPage(r.sessionId) });
        running = { sessionId: r.sessionId, jobId, pages: plan.pages, cancelled: false };
        if (!plan.hold) finish();
      });
      return { jobId };
    },
    'scan:cancel': (r) => {
      session(r.sessionId);
      if (running?.sessionId === r.sessionId) running.cancelled = true;
      return {};
    },
    'scan:addPage': (r) => newPage(r.sessionId),
    'scan:pageImage': (r) => {
      if (!session(r.sessionId).some((p) => p.pageId === r.pageId)) throw new AppError('NOT_FOUND', 'page inconnue');
      return { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), mime: 'image/jpeg' };
    },
    'scan:commit': (r) => {
      const pages = session(r.sessionId);
      for (const p of r.pages) if (!pages.some((x) => x.pageId === p.pageId)) throw new AppError('NOT_FOUND', `page inconnue : ${p.pageId}`);
      sessions.delete(r.sessionId);
      return { id: '0190a000-0000-7000-8000-000000000001', pages: r.pages.length, sha256: 'a'.repeat(64) };
    },
    // No OCR here: the pages are checked as the core checks them, and nothing is found.
    'scan:readMrz': (r) => {
      const pages = session(r.sessionId);
      for (const p of r.pages ?? []) if (!pages.some((x) => x.pageId === p.pageId)) throw new AppError('NOT_FOUND', `page inconnue : ${p.pageId}`);
      return { reading: null, mismatches: [] };
    },
    'scan:closeSession': (r) => {
      sessions.delete(r.sessionId);
      return {};
    },
  };

  function finish(): void {
    if (!running) return;
    const { sessionId, jobId, pages, cancelled } = running;
    running = null;
    emit('scan:job', { sessionId, jobId, state: cancelled ? 'cancelled' : 'done', pages });
  }

  const transport: ScanTransport = {
    invoke: (async (channel: Channel, request: unknown) => {
      const parsed = contract[channel].request.parse(request);
      calls.push({ channel, request: parsed });
      const handler = handlers[channel] as ((r: unknown) => unknown) | undefined;
      if (!handler) throw new AppError('NOT_FOUND', `${channel} : non simulé`);
      return contract[channel].response.parse(handler(parsed));
    }) as ScanTransport['invoke'],
    on: ((event: EventName, listener: Listener) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    }) as ScanTransport['on'],
  };

  return {
    transport,
    calls,
    sessions,
    feed: (pages, options = {}) => (next = { pages, hold: options.hold ?? false }),
    failNext: (code, message) => (next = { fail: { code, message } }),
    finish,
    emit,
  };
}
