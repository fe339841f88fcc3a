/**
 * What every CLI command gets: a core (the same services as the app), a typed `call` through the contract (so the
 * CLI validates exactly like the window does), and helpers to unlock and print.
 */
import { resolve } from 'node:path';
import type { Core } from '../core';
import type { KdfCost } from '../crypto/kdf';
import { readKeyring } from '../crypto/keyring';
import { AppError } from '../../shared/domain/errors';
import type { CoreChannel, EventName, EventPayload, RequestOf, ResponseOf } from '../../shared/contract';
import { readSecret } from './password';
import { CliFailure, UsageError } from './errors';

export interface Cli {
  call<C extends CoreChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Unlocks the association in `dir` with the user from --user / SOLIDARICIEL_USER (or its only user). */
  unlock(dir: string, user: string | undefined): Promise<void>;
  /** Prints one JSON document on stdout. */
  json(value: unknown): void;
  /** Prints a human line on stdout. */
  say(text: string): void;
  /** Locks the association (if it was unlocked) and forgets its keys. */
  close(): Promise<void>;
  /** Listens to the core's events not tied to a request (scan pages and job states); returns the unsubscribe. */
  listen(listener: CoreEventListener): () => void;
}

export type CoreEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * An unexpected (non-AppError) failure: the CLI prints only the envelope's French sentence; the error's kind and
 * stack go to stderr only with SOLIDARICIEL_DEBUG=1 (a script reading stderr gets one line, never a stack trace).
 */
function reportUnexpected(e: unknown): void {
  if (!process.env['SOLIDARICIEL_DEBUG']) return;
  process.stderr.write(`[solidariciel] ${e instanceof Error ? (e.stack ?? e.name) : typeof e}\n`);
}

/** What a program embedding the CLI (the tests) may change; the command line itself cannot. */
export interface CliDeps {
  /** Argon2id cost for new key slots (tests pass a cheap one); default: the calibrated MODERATE class. */
  kdfCost?: KdfCost;
}

/**
 * The CLI's handle on the core. The core (knex, SQLCipher, libsodium, PDF…) is loaded on the first call only, so
 * usage errors and --help answer without loading it.
 */
export function makeCli(deps: CliDeps = {}): Cli {
  let core: Promise<Core> | null = null;
  const listeners = new Set<CoreEventListener>();
  const getCore = (): Promise<Core> =>
    (core ??= (async () => {
      const [{ createCore }, { MemoryPreferences }] = await Promise.all([import('../core'), import('../core/filePreferences')]);
      return createCore({ prefs: new MemoryPreferences(), onEvent: (event, payload) => listeners.forEach((l) => l(event, payload)), ...(deps.kdfCost ? { kdfCost: deps.kdfCost } : {}) });
    })());
  const call: Cli['call'] = async (channel, request) => {
    const [c, { dispatch, noEvents }] = await Promise.all([getCore(), import('../core/dispatch')]);
    const env = await dispatch(c.handlers, channel, request, noEvents, reportUnexpected);
    if (!env.ok) throw new AppError(env.error.code, env.error.message);
    return env.value as never;
  };
  return {
    call,
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      if (core) await (await core).close();
    },
    async unlock(dir, user) {
      const abs = resolve(dir);
      const keyring = await readKeyring(abs);
      let userName = user ?? process.env['SOLIDARICIEL_USER'];
      if (!userName) {
        if (keyring.slots.length !== 1) throw new UsageError("Plusieurs utilisateurs : précisez --user NOM ou SOLIDARICIEL_USER.");
        userName = keyring.slots[0]!.userName;
      }
      const password = await readSecret('SOLIDARICIEL_PASSWORD', `Mot de passe de ${userName} : `);
      await call('session:unlock', { dir: abs, userName, password });
    },
    json(value) {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    say(text) {
      process.stdout.write(`${text}\n`);
    },
  };
}

export { optional, optionalDate, checkId, required } from './args';
export { CliFailure, UsageError };
