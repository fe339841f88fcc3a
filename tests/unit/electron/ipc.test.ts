/**
 * The IPC entry (main/ipc/register.ts → invoke.ts): sender check first, hostile payloads answered with VALIDATION,
 * `os:*` answered by the dialogs in main, everything else forwarded to the core, events filtered by the contract.
 */
import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { registerIpc } from '../../../main/ipc/register';
import type { Dialogs } from '../../../main/ipc/os';
import type { InvokeDeps } from '../../../main/ipc/invoke';
import { IPC_EVENT, IPC_INVOKE } from '../../../main/preload/ipcNames';
import { SavePathGrants } from '../../../main/ipc/grants';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function setup(core?: InvokeDeps['core']) {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, h: Handler) => void handlers.set(channel, h)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const dialogs: Dialogs = {
    chooseFolder: vi.fn(async () => ({ path: '/home/a/Entraide.solidariciel' })),
    chooseSavePath: vi.fn(async () => ({ path: '/home/a/recu.pdf' })),
  };
  const request = vi.fn(core?.request ?? (async () => ({ ok: true as const, value: { from: 'core' } })));
  const unregister = registerIpc(ipcMain as never, { dialogs, core: { request }, grants: new SavePathGrants() });
  const sent: unknown[][] = [];
  const call = (url: string | undefined | 'throws', channel: unknown, payload?: unknown) => {
    const senderFrame =
      url === 'throws'
        ? Object.defineProperty({}, 'url', { get: () => { throw new Error('Render frame was disposed'); } })
        : url === undefined ? null : { url };
    const event = { senderFrame, sender: { isDestroyed: () => false, send: (...a: unknown[]) => sent.push(a) } };
    return handlers.get(IPC_INVOKE)!(event as unknown as IpcMainInvokeEvent, channel, payload) as Promise<unknown>;
  };
  return { handlers, ipcMain, dialogs, request, call, sent, unregister };
}

const APP = 'app://solidariciel/index.html';

describe('registerIpc', () => {
  it('registers one handler, removable', () => {
    const s = setup();
    expect([...s.handlers.keys()]).toEqual([IPC_INVOKE]);
    s.unregister();
    expect(s.handlers.size).toBe(0);
  });

  it('refuses untrusted senders before anything else', async () => {
    const s = setup();
    for (const url of ['https://evil.org/', 'file:///tmp/x.html', 'about:blank', 'app://other/', undefined, 'throws'] as const) {
      expect(await s.call(url, 'os:chooseFolder', { title: 'x' }), String(url)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await s.call(url, 'session:current', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(s.request).not.toHaveBeenCalled();
    expect(s.dialogs.chooseFolder).not.toHaveBeenCalled();
  });

  it('answers hostile or malformed calls with VALIDATION, never throws', async () => {
    const s = setup();
    const hostile: Array<[unknown, unknown]> = [
      ['fs:readFile', { path: '/etc/passwd' }],
      ['__proto__', {}],
      ['constructor', {}],
      [{ toString: () => 'session:current' }, {}],
      [null, null],
      ['os:chooseFolder', { title: 'x'.repeat(10_000) }],
      ['os:chooseFolder', { title: 42 }],
      ['os:chooseFolder', 'not an object'],
      ['os:chooseSavePath', { defaultName: ['a'] }],
      ['os:chooseSavePath', Object.create(null)],
    ];
    for (const [channel, payload] of hostile) {
      const r = await s.call(APP, channel, payload);
      expect(r, String(channel)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(s.request).not.toHaveBeenCalled();
  });

  it('answers os:* in main with the dialogs, parsed by the contract', async () => {
    const s = setup();
    expect(await s.call(APP, 'os:chooseFolder', { title: 'Dossier' })).toEqual({ ok: true, value: { path: '/home/a/Entraide.solidariciel' } });
    expect(s.dialogs.chooseFolder).toHaveBeenCalledWith({ title: 'Dossier', create: false });
    expect(await s.call(APP, 'os:chooseSavePath', { defaultName: 'recu.pdf' })).toEqual({ ok: true, value: { path: '/home/a/recu.pdf' } });
    expect(s.request).not.toHaveBeenCalled();
  });

  it('turns dialog failures into envelopes', async () => {
    const s = setup();
    vi.mocked(s.dialogs.chooseFolder).mockRejectedValueOnce(new Error('no display'));
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await s.call(APP, 'os:chooseFolder', { title: 'x' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    spy.mockRestore();
  });

  it('forwards core channels to the core and their events (contract-checked) to the sender', async () => {
    const s = setup({
      request: async (_c, _p, options) => {
        options?.onEvent?.('imports:progress', { done: 1, total: 2 });
        options?.onEvent?.('imports:progress', { done: -1, total: 2 }); // fails its schema
        options?.onEvent?.('secret:leak', { x: 1 }); // not in the contract
        return { ok: true, value: { done: true } };
      },
    });
    expect(await s.call(APP, 'session:current', {})).toEqual({ ok: true, value: { done: true } });
    expect(s.request).toHaveBeenCalledWith('session:current', {}, expect.anything());
    expect(s.sent).toEqual([[IPC_EVENT, 'imports:progress', { done: 1, total: 2 }]]);
  });

  it('never throws even when the core does', async () => {
    const s = setup({ request: async () => { throw new Error('boom'); } });
    expect(await s.call(APP, 'session:current', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('writes a decrypted copy only where the person chose, once: forged export paths are FORBIDDEN', async () => {
    const s = setup();
    const id = '01a1fd46-ab89-760c-950c-7b3d2c91c61f';
    expect(await s.call(APP, 'vault:exportDocument', { id, path: '/home/a/.bashrc' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(s.request).not.toHaveBeenCalled();
    expect(await s.call(APP, 'os:chooseSavePath', { defaultName: 'recu.pdf' })).toMatchObject({ ok: true, value: { path: '/home/a/recu.pdf' } });
    expect(await s.call(APP, 'vault:exportDocument', { id, path: '/home/a/recu.pdf' })).toMatchObject({ ok: true });
    expect(s.request).toHaveBeenCalledTimes(1);
    // Single use: the same path again needs a new choice.
    expect(await s.call(APP, 'vault:exportDocument', { id, path: '/home/a/recu.pdf' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a decrypted database copy (db:rawCopy) too: only to a path chosen in the dialog, once', async () => {
    const s = setup();
    expect(await s.call(APP, 'db:rawCopy', { out: '/tmp/partage/copie.sqlite' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await s.call(APP, 'db:rawCopy', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(s.request).not.toHaveBeenCalled();
    await s.call(APP, 'os:chooseSavePath', { defaultName: 'copie.sqlite' });
    expect(await s.call(APP, 'db:rawCopy', { out: '/home/a/recu.pdf' })).toMatchObject({ ok: true });
    expect(s.request).toHaveBeenCalledTimes(1);
  });
});

describe('SavePathGrants', () => {
  it('expires after 10 minutes', () => {
    let t = 0;
    const g = new SavePathGrants(() => t);
    g.grant('/tmp/a.pdf');
    t = 10 * 60_000 + 1;
    expect(g.consume('/tmp/a.pdf')).toBe(false);
    g.grant('/tmp/b.pdf');
    expect(g.consume('/tmp/b.pdf')).toBe(true);
    expect(g.consume(42)).toBe(false);
  });
});
