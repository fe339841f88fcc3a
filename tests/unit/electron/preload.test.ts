/**
 * The preload's bridge: its allow-list IS the contract (channels and events), nothing else crosses, it never rejects;
 * and the bundled dist/main/preload.cjs runs in a sandbox-like context whose only module is `electron`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, events } from '../../../shared/contract';
import { ALLOWED_EVENTS, createBridge, type IpcRendererLike } from '../../../main/preload/bridge';
import { IPC_EVENT, IPC_INVOKE } from '../../../main/preload/ipcNames';

const repo = path.resolve(__dirname, '../../..');

function fakeIpc(reply: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, value: 'pong' })) {
  const invoked: unknown[][] = [];
  const handlers = new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>();
  const ipc: IpcRendererLike & { invoked: unknown[][]; emit: (...args: unknown[]) => void } = {
    invoked,
    async invoke(channel, ...args) {
      invoked.push([channel, ...args]);
      return reply(channel, args);
    },
    on(channel, listener) {
      handlers.set(channel, [...(handlers.get(channel) ?? []), listener]);
      return ipc;
    },
    emit(...args) {
      for (const h of handlers.get(IPC_EVENT) ?? []) h({ sender: 'raw IpcRendererEvent' }, ...args);
    },
  };
  return ipc;
}

describe('bridge allow-list', () => {
  it('forwards exactly the channels of the contract', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    for (const channel of CHANNELS) {
      expect(await bridge.invoke(channel, {})).toEqual({ ok: true, value: 'pong' });
    }
    expect(ipc.invoked.map((c) => c[1])).toEqual(CHANNELS);
    expect(ipc.invoked.every((c) => c[0] === IPC_INVOKE)).toBe(true);
  });

  it('refuses anything else without touching IPC', async () => {
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    for (const bad of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'people:Search', 'solidariciel:invoke', '', ' session:lock', 'fs:readFile']) {
      expect(await bridge.invoke(bad, {}), bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(await bridge.invoke(42 as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(ipc.invoked).toEqual([]);
  });

  it('never rejects: IPC failures and odd replies become envelopes', async () => {
    const throwing = createBridge(fakeIpc(() => {
      throw new Error('An object could not be cloned.');
    }));
    expect(await throwing.invoke('session:current', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const odd = createBridge(fakeIpc(() => 'hello'));
    expect(await odd.invoke('session:current', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('delivers only contract events, without the raw IPC event', () => {
    expect([...ALLOWED_EVENTS].sort()).toEqual(Object.keys(events).sort());
    const ipc = fakeIpc();
    const bridge = createBridge(ipc);
    const got: unknown[] = [];
    const off = bridge.on('imports:progress', (p) => got.push(p));
    bridge.on('nope:event' as 'imports:progress', () => got.push('leak'));
    ipc.emit('imports:progress', { done: 1, total: 3 });
    ipc.emit('vault:progress', { done: 1, total: 3 });
    ipc.emit('nope:event', {});
    off();
    ipc.emit('imports:progress', { done: 2, total: 3 });
    expect(got).toEqual([{ done: 1, total: 3 }]);
  });
});

describe('bundled preload (dist/main/preload.cjs)', () => {
  let code = '';
  // A private output folder: other suites (and people) may be building dist/main at the same time.
  const outdir = path.join(repo, 'dist', `.test-preload-${process.pid}`);
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(repo, 'scripts/build-main.mjs'), '--outdir', outdir], { cwd: repo, stdio: 'pipe' });
    code = readFileSync(path.join(outdir, 'preload.cjs'), 'utf8');
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('requires nothing but electron', () => {
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
  });

  it('exposes window.bridge through contextBridge in a sandbox-like context', async () => {
    const ipc = fakeIpc();
    const exposed: Record<string, unknown> = {};
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: ipc,
    };
    const module = { exports: {} };
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`module not available in a sandboxed preload: ${name}`);
    };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
    expect(Object.keys(exposed)).toEqual(['bridge']);
    const bridge = exposed.bridge as { invoke: (c: string, p: unknown) => Promise<unknown>; on: unknown };
    expect(typeof bridge.on).toBe('function');
    expect(await bridge.invoke('session:current', {})).toEqual({ ok: true, value: 'pong' });
    expect(await bridge.invoke('nope', {})).toMatchObject({ ok: false });
    expect(ipc.invoked).toEqual([[IPC_INVOKE, 'session:current', {}]]);
  });
});
