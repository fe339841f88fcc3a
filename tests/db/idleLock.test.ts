import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core';
import { dispatch } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { PASSWORD, TEST_KDF, tempDir } from '../helpers/core';

const MINUTE = 60_000;
const tick = () => new Promise((r) => setTimeout(r, 60));

describe('the core locks itself after the idle delay', () => {
  let core: Core;
  afterEach(async () => core?.close());

  async function start() {
    let now = Date.parse('2026-11-21T09:00:00Z');
    const locked: string[] = [];
    core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF, clock: { now: () => new Date(now) }, onLocked: (r) => locked.push(r), idleCheckMs: 10 });
    const created = await dispatch(core.handlers, 'association:create', { dir: join(tempDir(), 'a'), name: 'Entraide', adminName: 'admin', password: PASSWORD });
    expect(created.ok).toBe(true);
    return { locked, advance: (ms: number) => (now += ms) };
  }

  it('with no request for autoLockMinutes (10 by default): locked, reason idle, keys gone', async () => {
    const { locked, advance } = await start();
    advance(9 * MINUTE);
    await tick();
    expect(core.session()).not.toBeNull();
    advance(1 * MINUTE);
    await tick();
    expect(core.session()).toBeNull();
    // The lock finishes (audit entry, database closed, keys wiped) before it is reported: wait for it, under load too.
    await vi.waitFor(() => expect(locked).toEqual(['idle']), { timeout: 5000 });
    expect(await dispatch(core.handlers, 'people:search', { query: '' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });

  it('the window heartbeat (session:touch) and any request keep it open', async () => {
    const { locked, advance } = await start();
    for (let i = 0; i < 3; i++) {
      advance(9 * MINUTE);
      expect(await dispatch(core.handlers, 'session:touch', {})).toEqual({ ok: true, value: { unlocked: true } });
      await tick();
    }
    advance(9 * MINUTE);
    await dispatch(core.handlers, 'people:search', { query: 'x' });
    await tick();
    expect(core.session()).not.toBeNull();
    expect(locked).toEqual([]);
  });

  it('a lock asked by the window for idleness reports reason idle', async () => {
    const { locked } = await start();
    expect(await dispatch(core.handlers, 'session:lock', { reason: 'idle' })).toEqual({ ok: true, value: { locked: true } });
    expect(locked).toEqual(['idle']);
  });
});
