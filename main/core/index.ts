/**
 * Builds the core: every channel handler of the contract over one association session.
 * Hosts (Electron's core process, the browser host, tests) call `createCore` once and route requests through
 * `dispatch(core.handlers, channel, payload, ctx)` (main/core/dispatch.ts).
 */
import type { Handlers } from './dispatch';
import type { Clock, Preferences } from './ports';
import { systemClock } from './ports';
import { AppError } from '../../shared/domain/errors';
import { coreChannels, type CoreChannel } from '../../shared/contract';

export interface CoreDeps {
  prefs: Preferences;
  clock?: Clock;
}

export interface Core {
  handlers: Handlers;
  /** Locks the open association (if any): closes the database and forgets every key. */
  lock(reason: 'user' | 'idle'): Promise<void>;
  /** Same as lock, for shutdown. */
  close(): Promise<void>;
}

/** TEMPORARY scaffold while the services are written: every channel answers INTERNAL. */
export function createCore(deps: CoreDeps): Core {
  void deps.prefs;
  void (deps.clock ?? systemClock);
  const handlers = Object.fromEntries(
    (Object.keys(coreChannels) as CoreChannel[]).map((c) => [
      c,
      async () => {
        throw new AppError('INTERNAL', `${c} : pas encore disponible`);
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, lock: async () => undefined, close: async () => undefined };
}
