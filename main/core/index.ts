/**
 * Builds the core: every channel handler of the contract over one association session.
 * Hosts (Electron's core process, the browser host, the CLI, tests) call `createCore` once and route requests
 * through `dispatch(core.handlers, channel, payload, ctx)` (main/core/dispatch.ts).
 */
import type { Handlers } from './dispatch';
import type { Clock, Preferences } from './ports';
import { systemClock } from './ports';
import type { KdfCost } from '../crypto/kdf';
import { buildHandlers, type CoreState } from './handlers';
import type { Session } from './session';
import { wireErasuresIntoBackups } from '../services/erasure/backupWiring';
import type { ScannerDriver } from '../scan/types';
import type { EventName, EventPayload } from '../../shared/contract';

export interface CoreDeps {
  prefs: Preferences;
  clock?: Clock;
  /** Argon2id cost for new key slots; default: calibrated MODERATE class. Tests pass a cheaper one. */
  kdfCost?: KdfCost;
  /** Called after the session was locked (hosts forward it as the `session:locked` event). */
  onLocked?: (reason: 'user' | 'idle') => void;
  /** How often the idle watch looks (ms); default 15 s. */
  idleCheckMs?: number;
  /** Sync in the background while unlocked (hosts with a window); the CLI syncs only when asked. */
  backgroundSync?: boolean;
  /** Events not tied to a request (scan pages and job states); hosts forward them to every window. */
  onEvent?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  /** Scanner drivers (default: this PC's eSCL, SANE, WIA; main/scan/drivers.ts). */
  scanDrivers?: ScannerDriver[];
}

export interface Core {
  handlers: Handlers;
  /** The open session, if any (CLI and tests use the services directly). */
  session(): Session | null;
  /** Locks the open association (if any): closes the database and forgets every key. */
  lock(reason: 'user' | 'idle'): Promise<void>;
  /** Same as lock, for shutdown. */
  close(): Promise<void>;
}

export function createCore(deps: CoreDeps): Core {
  // Every restore re-applies the erasures made since its backup (docs/erasure.md "Backups").
  wireErasuresIntoBackups();
  const state: CoreState = { session: null };
  const lock = async (reason: 'user' | 'idle') => {
    const current = state.session;
    state.session = null;
    state.scans?.clear(); // scanned pages are personal data: gone at lock
    if (current) {
      await current.close(reason);
      deps.onLocked?.(reason);
    }
  };
  const clock = deps.clock ?? systemClock;
  const handlers = buildHandlers({ state, prefs: deps.prefs, clock, cost: deps.kdfCost, lock, session: { backgroundSync: deps.backgroundSync ?? false }, scanDrivers: deps.scanDrivers, emit: deps.onEvent });
  const idle = watchIdle(handlers, clock, () => state.session, () => void lock('idle'), deps.idleCheckMs ?? 15_000);
  return {
    handlers,
    session: () => state.session,
    lock,
    close: () => {
      idle.stop();
      return lock('user');
    },
  };
}

/**
 * The core's own idle lock (issue "reception desk" §3: automatic lock after N minutes idle): every request, including
 * the window's `session:touch` heartbeat while someone types or moves the pointer, counts as activity; when none came
 * for the association's `autoLockMinutes`, the core locks itself and says so (`session:locked`, reason `idle`). The
 * window has its own idle timer; this one also covers a frozen window or a browser tab left open. The timer does not
 * keep a process alive (CLI).
 */
const PASSIVE_CHANNELS = new Set(['sync:status']);

function watchIdle(handlers: Handlers, clock: Clock, session: () => Session | null, lockIdle: () => void, everyMs: number): { stop(): void } {
  let last = clock.now().getTime();
  const table = handlers as unknown as Record<string, (request: unknown, ctx: unknown) => Promise<unknown>>;
  for (const [channel, handler] of Object.entries(table)) {
    // The window polls the sync status on a timer: that is not someone at the desk.
    if (PASSIVE_CHANNELS.has(channel)) continue;
    table[channel] = (request, ctx) => {
      last = clock.now().getTime();
      return handler(request, ctx);
    };
  }
  const timer = setInterval(() => {
    const s = session();
    if (s && clock.now().getTime() - last >= s.info().autoLockMinutes * 60_000) lockIdle();
  }, everyMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
