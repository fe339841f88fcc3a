/**
 * A fresh window never inherits an open session (docs/ui.md « Session and locking »): `session:start` — the first
 * request of every window, after a reload, in a new window or after a renderer crash — locks the association and
 * tells which association and user to prefill; `session:current` then answers null and data channels LOCKED.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createCore, type Core } from '../../main/core';
import { dispatch } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { PASSWORD, TEST_KDF, tempDir } from '../helpers/core';

describe('session:start', () => {
  let core: Core;
  afterEach(async () => core?.close());

  it('locks the open session and names the last user; a wrong or right password is needed again', async () => {
    const locked: string[] = [];
    core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF, onLocked: (r) => locked.push(r) });
    expect(await dispatch(core.handlers, 'session:start', {})).toEqual({ ok: true, value: { locked: false, last: null } });

    const dir = join(tempDir(), 'a');
    expect((await dispatch(core.handlers, 'association:create', { dir, name: 'Entraide', adminName: 'accueil', password: PASSWORD })).ok).toBe(true);
    expect(await dispatch(core.handlers, 'people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).toMatchObject({ ok: true });

    // The reloaded window asks first: locked, nothing readable without the password.
    expect(await dispatch(core.handlers, 'session:start', {})).toEqual({ ok: true, value: { locked: true, last: { dir, userName: 'accueil' } } });
    expect(locked).toEqual(['user']);
    expect(core.session()).toBeNull();
    expect(await dispatch(core.handlers, 'session:current', {})).toEqual({ ok: true, value: null });
    expect(await dispatch(core.handlers, 'people:search', { query: 'awa' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });

    // Again (a second reload): nothing to lock, the same user to prefill.
    expect(await dispatch(core.handlers, 'session:start', {})).toEqual({ ok: true, value: { locked: false, last: { dir, userName: 'accueil' } } });
    expect(await dispatch(core.handlers, 'session:unlock', { dir, userName: 'accueil', password: 'pas-le-bon' })).toMatchObject({ ok: false });
    expect(await dispatch(core.handlers, 'session:unlock', { dir, userName: 'accueil', password: PASSWORD })).toMatchObject({ ok: true });
    expect(await dispatch(core.handlers, 'people:search', { query: 'awa' })).toMatchObject({ ok: true });
  });
});
