/**
 * Lock/unlock races: two unlocks at once must not leave a second database open with its key in memory; a lock that
 * arrives while a request still needs the database key must not wipe the key under it (a password change would seal
 * 32 zero bytes into the user's slot and lock them out of the association for good).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as keyring from '../../main/crypto/keyring';
import { dispatch } from '../../main/core/dispatch';
import { Session } from '../../main/core/session';
import { newTestCore, PASSWORD, type TestCore } from '../helpers/core';

/** A gate the mocked readKeyring waits on, so the test decides when an in-flight request goes on. */
const gate = vi.hoisted(() => ({ wait: null as Promise<void> | null }));
vi.mock('../../main/crypto/keyring', async (importOriginal) => {
  const original = await importOriginal<typeof keyring>();
  return {
    ...original,
    readKeyring: async (dir: string) => {
      if (gate.wait) await gate.wait;
      return original.readKeyring(dir);
    },
  };
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isWiped = (key: Uint8Array) => key.every((b) => b === 0);

describe('session races', () => {
  let t: TestCore;
  beforeEach(async () => {
    gate.wait = null;
    t = await newTestCore();
    await t.core.lock('user');
  });
  afterEach(async () => {
    gate.wait = null;
    vi.restoreAllMocks();
    await t.cleanup();
  });

  it('two unlocks at once leave one session; the other database is closed and its key wiped', async () => {
    const started: Session[] = [];
    const original = Session.start.bind(Session);
    vi.spyOn(Session, 'start').mockImplementation(async (...args) => {
      const session = await original(...args);
      await sleep(30); // a slow start (large database): the other unlock finishes its key derivation meanwhile
      started.push(session);
      return session;
    });
    const unlock = () => dispatch(t.core.handlers, 'session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const results = await Promise.all([unlock(), unlock()]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const current = t.core.session();
    expect(current).not.toBeNull();
    expect(isWiped(current!.association.dbKey)).toBe(false);
    await expect(t.call('people:search', { query: '', limit: 5 })).resolves.toMatchObject({ total: 0 });
    const others = started.filter((s) => s !== current);
    expect(others).toHaveLength(1);
    for (const other of others) {
      expect((other.association.db.client as { pool?: unknown }).pool).toBeUndefined(); // knex.destroy() drops the pool
      expect(isWiped(other.association.dbKey)).toBe(true);
    }
  });

  it('a lock during a password change waits for it: the new password opens the association', async () => {
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    let release!: () => void;
    gate.wait = new Promise<void>((r) => (release = r));
    const change = dispatch(t.core.handlers, 'users:changePassword', { currentPassword: PASSWORD, newPassword: 'nouveau mot de passe long' });
    const lock = t.core.lock('user');
    await sleep(50); // the lock runs as far as it can while the change is held
    expect(t.core.session()).toBeNull(); // no new request gets in
    gate.wait = null;
    release();
    const [changed] = await Promise.all([change, lock]);
    expect(changed).toEqual({ ok: true, value: { changed: true } });
    const unlocked = await dispatch(t.core.handlers, 'session:unlock', { dir: t.dir, userName: 'admin', password: 'nouveau mot de passe long' });
    expect(unlocked.ok).toBe(true);
  });

  it('a lock during a user addition waits for it: the new user can unlock', async () => {
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    let release!: () => void;
    gate.wait = new Promise<void>((r) => (release = r));
    const add = dispatch(t.core.handlers, 'users:add', { name: 'camille', password: 'mot de passe de camille', roleId: 'social_worker' });
    const lock = t.core.lock('user');
    await sleep(50);
    gate.wait = null;
    release();
    const [added] = await Promise.all([add, lock]);
    expect(added.ok).toBe(true);
    const unlocked = await dispatch(t.core.handlers, 'session:unlock', { dir: t.dir, userName: 'camille', password: 'mot de passe de camille' });
    expect(unlocked).toMatchObject({ ok: true });
  });

  it('a request arriving after the lock began is refused with LOCKED', async () => {
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    const lock = t.core.lock('user');
    const r = await dispatch(t.core.handlers, 'people:search', { query: '', limit: 5 });
    await lock;
    expect(r).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });
});
