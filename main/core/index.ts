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

export interface CoreDeps {
  prefs: Preferences;
  clock?: Clock;
  /** Argon2id cost for new key slots; default: calibrated MODERATE class. Tests pass a cheaper one. */
  kdfCost?: KdfCost;
  /** Called after the session was locked (hosts forward it as the `session:locked` event). */
  onLocked?: (reason: 'user' | 'idle') => void;
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
  const state: CoreState = { session: null };
  const lock = async (reason: 'user' | 'idle') => {
    const current = state.session;
    state.session = null;
    if (current) {
      await current.close();
      deps.onLocked?.(reason);
    }
  };
  const handlers = buildHandlers({ state, prefs: deps.prefs, clock: deps.clock ?? systemClock, cost: deps.kdfCost, lock });
  return { handlers, session: () => state.session, lock, close: () => lock('user') };
}
