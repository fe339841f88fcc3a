/**
 * Handlers of scanning (shared/contract/scan.ts, docs/scanning.md). Scanners are the PC's business (no right needed to
 * list them); a scan session holds personal data, so opening one and everything done in it needs the right to add papers
 * (`documents.add`), and committing goes through the vault's own add path (same checks as `vault:addDocument`).
 * Pages and job states are pushed as `scan:page` / `scan:job` events through `emit` (spontaneous events: the job
 * outlives the `scan:start` request).
 */
import type { Handler, HandlerContext } from './dispatch';
import type { Session } from './session';
import type { scanChannels } from '../../shared/contract/scan';
import type { EventName, EventPayload } from '../../shared/contract';
import type { ScannerRegistry } from '../scan/registry';
import { scanOptions, type ScanSessions } from '../scan/session';
import { throttleProgress } from './progress';

type ScanHandlers = { [C in keyof typeof scanChannels]: Handler<C> };

export interface ScanDeps {
  registry: ScannerRegistry;
  sessions: ScanSessions;
  /** Spontaneous events (not tied to a request); absent: the events go through the `scan:start` request's context. */
  emit?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
}

/** The scanning channels over the session `s()` returns (throws LOCKED when none). */
export function scanHandlers(s: () => Session, deps: ScanDeps): ScanHandlers {
  const { registry, sessions } = deps;
  const owner = () => {
    const x = s();
    x.ctx.access.require('documents.add');
    return x;
  };
  const emitter = (ctx: HandlerContext) => deps.emit ?? ((e, p) => ctx.emit(e, p));
  return {
    'scan:listScanners': async (r) => {
      s();
      return { items: await registry.list(r.refresh ?? false) };
    },
    'scan:addScanner': async (r) => {
      s();
      return registry.add(r.address);
    },
    'scan:forgetScanner': async (r) => {
      s();
      await registry.forget(r.id);
      return { id: r.id };
    },
    'scan:capabilities': async (r) => {
      s();
      return registry.capabilities(r.scannerId);
    },
    'scan:openSession': async () => ({ sessionId: sessions.open(owner()) }),
    'scan:start': async (r, ctx) => {
      const o = owner();
      const options = scanOptions(r);
      registry.driverOf(r.scannerId); // an unknown kind fails the request itself, not the job
      const emit = emitter(ctx) as <E extends EventName>(event: E, payload: EventPayload<E>) => void;
      let jobId = '';
      const pending: Array<() => void> = [];
      const send = (f: () => void) => (jobId ? f() : pending.push(f));
      jobId = sessions.start(r.sessionId, o, (signal) => registry.scan(r.scannerId, options, signal), {
        page: (page) => send(() => emit('scan:page', { sessionId: r.sessionId, jobId, page })),
        state: (state, pages, failure) => send(() => emit('scan:job', { sessionId: r.sessionId, jobId, state, pages, ...(failure ?? {}) })),
      });
      pending.splice(0).forEach((f) => f());
      return { jobId };
    },
    'scan:cancel': async (r) => {
      await sessions.cancel(r.sessionId, owner());
      return {};
    },
    'scan:addPage': async (r) => sessions.addImage(r.sessionId, owner(), r.name, r.bytes),
    'scan:pageImage': async (r) => sessions.preview(r.sessionId, owner(), r.pageId),
    'scan:commit': async (r, ctx) => {
      const o = owner();
      const files = await sessions.files(r.sessionId, o, r.pages);
      const stored = await o.vault.add(r.personId, r.meta, files, throttleProgress((stage, done, total) => ctx.emit('vault:progress', { operationId: r.operationId, stage, done, total })));
      await sessions.close(r.sessionId, o);
      return stored;
    },
    'scan:closeSession': async (r) => {
      await sessions.close(r.sessionId, s());
      return {};
    },
  };
}
