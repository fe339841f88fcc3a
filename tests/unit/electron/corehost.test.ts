/**
 * The main ⇄ core process protocol (main/corehost/protocol.ts) over an in-memory port pair, then with the real
 * createCore + dispatch behind it (main/corehost/entry.ts wiring, without Electron).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  CORE_GONE_MESSAGE,
  CORE_TIMEOUT_MESSAGE,
  MirroredPreferences,
  createCoreClient,
  parseFromCore,
  parseToCore,
  serveCore,
  type CoreRuntime,
  type PortLike,
} from '../../../main/corehost/protocol';
import { createCore } from '../../../main/core/index';
import { dispatch } from '../../../main/core/dispatch';

type TestPort = PortLike & { sent: unknown[] };

/** Two connected ports; delivery is asynchronous and by structured clone, like Electron's. */
function portPair(): [TestPort, TestPort] {
  const listeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const make = (self: 0 | 1): TestPort => ({
    sent: [],
    postMessage(m) {
      const copy = structuredClone(m);
      this.sent.push(copy);
      queueMicrotask(() => listeners[self === 0 ? 1 : 0].forEach((l) => l(copy)));
    },
    onMessage(l) {
      listeners[self].add(l);
      return () => void listeners[self].delete(l);
    },
  });
  return [make(0), make(1)];
}
const tick = () => new Promise((r) => setTimeout(r, 0));

function fakeRuntime(overrides: Partial<CoreRuntime> = {}): CoreRuntime {
  return {
    handle: async (channel, payload) => ({ ok: true, value: { channel, payload } }),
    close: async () => undefined,
    ...overrides,
  };
}

describe('message parsing', () => {
  it('accepts well-formed messages only', () => {
    expect(parseToCore({ type: 'request', id: 1, channel: 'a', payload: 1 })).toEqual({ type: 'request', id: 1, channel: 'a', payload: 1 });
    expect(parseToCore({ type: 'request', id: 0, channel: 'a' })).toBeNull();
    expect(parseToCore({ type: 'request', id: 1.5, channel: 'a' })).toBeNull();
    expect(parseToCore({ type: 'request', id: 1, channel: 3 })).toBeNull();
    expect(parseToCore({ type: 'init', prefs: [] })).toBeNull();
    expect(parseToCore('x')).toBeNull();
    expect(parseFromCore({ type: 'response', id: 1, envelope: { ok: 'yes' } })).toBeNull();
    expect(parseFromCore({ type: 'response', id: 1, envelope: { ok: false, error: { code: 'X' } } })).toBeNull();
    expect(parseFromCore({ type: 'event', requestId: 'x', name: 'a' })).toBeNull();
    expect(parseFromCore({ type: 'hello' })).toBeNull();
  });
});

describe('request/response correlation', () => {
  it('matches concurrent responses to their requests by id, whatever the order', async () => {
    const [main, core] = portPair();
    const client = createCoreClient(main);
    const order: number[] = [];
    core.onMessage((m) => {
      const msg = parseToCore(m);
      if (msg?.type === 'request') order.push(msg.id);
    });
    const a = client.request('people:search', { q: 'a' });
    const b = client.request('people:search', { q: 'b' });
    await tick();
    expect(order).toEqual([1, 2]);
    core.postMessage({ type: 'response', id: 2, envelope: { ok: true, value: 'B' } });
    core.postMessage({ type: 'response', id: 1, envelope: { ok: true, value: 'A' } });
    expect(await a).toEqual({ ok: true, value: 'A' });
    expect(await b).toEqual({ ok: true, value: 'B' });
    expect(client.pending).toBe(0);
  });

  it('times out with an INTERNAL envelope and drops the late response', async () => {
    vi.useFakeTimers();
    try {
      const [main, core] = portPair();
      const client = createCoreClient(main, { timeoutMs: 1000 });
      const p = client.request('session:current', {});
      await vi.advanceTimersByTimeAsync(999);
      expect(client.pending).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(await p).toEqual({ ok: false, error: { code: 'INTERNAL', message: CORE_TIMEOUT_MESSAGE } });
      core.postMessage({ type: 'response', id: 1, envelope: { ok: true, value: 'late' } });
      await vi.advanceTimersByTimeAsync(1);
      expect(client.pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores garbage and unknown ids', async () => {
    const [main, core] = portPair();
    const client = createCoreClient(main);
    const p = client.request('session:current', {});
    core.postMessage({ type: 'response', id: 99, envelope: { ok: true, value: 'x' } });
    core.postMessage(null);
    core.postMessage({ type: 'response', id: 1, envelope: 'not an envelope' });
    await tick();
    expect(client.pending).toBe(1);
    core.postMessage({ type: 'response', id: 1, envelope: { ok: true, value: 'ok' } });
    expect(await p).toEqual({ ok: true, value: 'ok' });
  });

  it('fails pending requests when the core dies, and later ones at once', async () => {
    const [main] = portPair();
    const client = createCoreClient(main);
    const p = client.request('session:current', {});
    client.fail();
    expect(await p).toEqual({ ok: false, error: { code: 'INTERNAL', message: CORE_GONE_MESSAGE } });
    expect(await client.request('session:current', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('returns VALIDATION when the payload cannot be cloned', async () => {
    const [main] = portPair();
    const client = createCoreClient(main);
    expect(await client.request('people:search', { f: () => 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('events', () => {
  it("routes a request's events to its listener and spontaneous ones to subscribers", async () => {
    const [main, core] = portPair();
    const client = createCoreClient(main);
    const mine: unknown[] = [];
    const global: unknown[] = [];
    client.onEvent((name, payload) => global.push([name, payload]));
    const p = client.request('imports:run', {}, { onEvent: (name, payload) => mine.push([name, payload]) });
    core.postMessage({ type: 'event', requestId: 1, name: 'imports:progress', payload: { done: 1, total: 2 } });
    core.postMessage({ type: 'event', requestId: null, name: 'session:locked', payload: { reason: 'idle' } });
    core.postMessage({ type: 'response', id: 1, envelope: { ok: true, value: null } });
    await p;
    core.postMessage({ type: 'event', requestId: 1, name: 'imports:progress', payload: { done: 2, total: 2 } });
    await tick();
    expect(mine).toEqual([['imports:progress', { done: 1, total: 2 }]]);
    expect(global).toEqual([['session:locked', { reason: 'idle' }]]);
  });
});

describe('serveCore', () => {
  it('queues requests until init, then answers them with the runtime', async () => {
    const [main, core] = portPair();
    const build = vi.fn(() => fakeRuntime());
    void serveCore(core, build);
    const client = createCoreClient(main);
    const p = client.request('x:y', { a: 1 });
    await tick();
    expect(build).not.toHaveBeenCalled();
    main.postMessage({ type: 'init', prefs: {} });
    await client.ready();
    expect(await p).toEqual({ ok: true, value: { channel: 'x:y', payload: { a: 1 } } });
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('forwards emitted events tagged with the request id', async () => {
    const [main, core] = portPair();
    void serveCore(core, () =>
      fakeRuntime({
        handle: async (_c, _p, emit) => {
          emit('vault:progress', { done: 5, total: 10 });
          return { ok: true, value: 1 };
        },
      }),
    );
    main.postMessage({ type: 'init', prefs: {} });
    const client = createCoreClient(main);
    const seen: unknown[] = [];
    await client.request('vault:add', {}, { onEvent: (n, p) => seen.push([n, p]) });
    expect(seen).toEqual([['vault:progress', { done: 5, total: 10 }]]);
  });

  it('sends spontaneous events (idle lock) with a null request id, to the global subscribers', async () => {
    const [main, core] = portPair();
    let emitLater: ((name: string, payload: unknown) => void) | undefined;
    void serveCore(core, (_prefs, emit) => {
      emitLater = emit;
      return fakeRuntime();
    });
    const client = createCoreClient(main);
    const seen: unknown[] = [];
    client.onEvent((n, p) => seen.push([n, p]));
    main.postMessage({ type: 'init', prefs: {} });
    await client.ready();
    emitLater!('session:locked', { reason: 'idle' });
    await tick();
    expect(seen).toEqual([['session:locked', { reason: 'idle' }]]);
  });

  it('mirrors preferences: snapshot in, changes back to main', async () => {
    const [main, core] = portPair();
    const written: unknown[] = [];
    void serveCore(core, (prefs) =>
      fakeRuntime({
        handle: async () => {
          const recent = (prefs.get('recent') as string[]) ?? [];
          prefs.set('recent', [...recent, '/b']);
          return { ok: true, value: prefs.get('recent') };
        },
      }),
    );
    const client = createCoreClient(main, { onPrefsSet: (k, v) => written.push([k, v]) });
    main.postMessage({ type: 'init', prefs: { recent: ['/a'] } });
    expect(await client.request('session:recentAssociations', {})).toEqual({ ok: true, value: ['/a', '/b'] });
    await tick();
    expect(written).toEqual([['recent', ['/a', '/b']]]);
  });

  it('answers INTERNAL (never hangs) when the core cannot start', async () => {
    const [main, core] = portPair();
    void serveCore(core, () => {
      throw new Error('sqlcipher missing');
    });
    main.postMessage({ type: 'init', prefs: {} });
    const client = createCoreClient(main);
    expect(await client.request('session:current', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('closes the runtime on close and resolves', async () => {
    const [main, core] = portPair();
    const close = vi.fn(async () => undefined);
    const finished = serveCore(core, () => fakeRuntime({ close }));
    main.postMessage({ type: 'init', prefs: {} });
    const client = createCoreClient(main);
    await client.ready();
    await client.close(1000);
    await finished;
    expect(close).toHaveBeenCalledTimes(1);
    expect(await client.request('session:current', {})).toMatchObject({ ok: false });
  });
});

describe('with the real core', () => {
  it('dispatch validates channels and payloads behind the protocol', async () => {
    const [main, core] = portPair();
    void serveCore(core, (prefs) => {
      const c = createCore({ prefs });
      return { handle: (ch, p, emit) => dispatch(c.handlers, ch, p, { emit }), close: () => c.close() };
    });
    main.postMessage({ type: 'init', prefs: {} });
    const client = createCoreClient(main);
    expect(await client.request('nope:nope', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await client.request('os:chooseFolder', { title: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await client.request('session:unlock', { dir: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await client.close(1000);
  });
});

describe('MirroredPreferences', () => {
  it('reads synchronously from the snapshot and reports writes', () => {
    const sent: unknown[] = [];
    const prefs = new MirroredPreferences({ lang: 'fr' }, (m) => sent.push(m));
    expect(prefs.get('lang')).toBe('fr');
    prefs.set('lang', 'en');
    expect(prefs.get('lang')).toBe('en');
    expect(sent).toEqual([{ type: 'prefs:set', key: 'lang', value: 'en' }]);
  });
});
