/** Test helpers: a core over a fresh association in a temporary folder, with a cheap Argon2id cost. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '../../main/core';
import { dispatch, noEvents, type HandlerContext } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';

/** Interactive-class cost: keeps tests fast; production slots use the calibrated MODERATE class. */
export const TEST_KDF = { opslimit: 2, memlimit: 8 * 1024 * 1024 };
export const PASSWORD = 'correct horse battery';

export function tempDir(prefix = 'solidariciel-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function fixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/fixtures', ...parts)));
}

export interface TestCore {
  core: Core;
  dir: string;
  /** The recovery code shown at creation. */
  recoveryCode: string;
  call<C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>, ctx?: HandlerContext): Promise<ResponseOf<C>>;
  cleanup(): Promise<void>;
}

/** Calls through `dispatch` as a window would; an error envelope is thrown as an Error carrying its `code`. */
function callerOf(core: Core): TestCore['call'] {
  return async (channel, request, ctx = noEvents) => {
    const env = await dispatch(core.handlers, channel, request, ctx);
    if (!env.ok) throw Object.assign(new Error(`${env.error.code}: ${env.error.message}`), { code: env.error.code });
    return env.value as never;
  };
}

/** A second device of an association on a hub: joins with the pairing code, then unlocks as `admin`. */
export async function joinTestDevice(hubUrl: string, code: string): Promise<TestCore> {
  const dir = join(tempDir(), 'Portable.solidariciel');
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
  const call = callerOf(core);
  await call('devices:join', { dir, hubUrl, code });
  await call('session:unlock', { dir, userName: 'admin', password: PASSWORD });
  return { core, dir, recoveryCode: '', call, cleanup: () => core.close() };
}

/**
 * The pair of PCs most sync tests need: `first` joins the hub at `hubUrl` as « Accueil » and pushes what it holds,
 * then invites a second device (`secondName`), which joins in a new folder and unlocks as `admin`.
 */
export async function pairThroughHub(hubUrl: string, first: TestCore, secondName = 'Portable'): Promise<TestCore> {
  await first.call('sync:joinHub', { hubUrl, deviceName: 'Accueil' });
  await first.call('sync:now', {});
  const { code } = await first.call('devices:invite', { name: secondName });
  return joinTestDevice(hubUrl, code);
}

/** A core with an association created in a temp folder and unlocked as `admin`. */
export async function newTestCore(): Promise<TestCore> {
  const root = tempDir();
  const dir = join(root, 'Entraide.solidariciel');
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
  const call = callerOf(core);
  const { recoveryCode } = await call('association:create', { dir, name: 'Entraide Paris 11', adminName: 'admin', password: PASSWORD });
  return {
    core,
    dir,
    recoveryCode,
    call,
    cleanup: async () => {
      await core.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
