/**
 * A core whose handlers are test doubles: every channel throws NOT_FOUND unless overridden. Used to exercise hosts
 * (dispatch, the browser host) without a database.
 */
import { coreChannels, type CoreChannel } from '../../shared/contract';
import { AppError } from '../../shared/domain/errors';
import type { Handler, Handlers } from '../../main/core/dispatch';
import type { Core } from '../../main/core/index';

export type HandlerOverrides = { [C in CoreChannel]?: Handler<C> };

/** All handlers of the contract; those not in `overrides` throw `AppError('NOT_FOUND')`. */
export function fakeHandlers(overrides: HandlerOverrides = {}): Handlers {
  const all: Record<string, unknown> = {};
  for (const channel of Object.keys(coreChannels) as CoreChannel[]) {
    all[channel] =
      overrides[channel] ??
      (async () => {
        throw new AppError('NOT_FOUND', `${channel} : non simulé`);
      });
  }
  return all as Handlers;
}

/** A Core over `fakeHandlers(overrides)`; `closed` tells whether the host closed it. */
export function fakeCore(overrides: HandlerOverrides = {}): Core & { closed: boolean } {
  const core = {
    handlers: fakeHandlers(overrides),
    closed: false,
    session: () => null,
    lock: async () => undefined,
    close: async () => {
      core.closed = true;
    },
  };
  return core;
}
