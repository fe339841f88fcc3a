/** Test helpers for access rights: users of a role, switching the unlocked user, expecting a refusal. */
import { expect } from 'vitest';
import type { Permission } from '../../shared/domain/access';
import { PASSWORD, type TestCore } from './core';

/** The error a call rejects with (code and message), or null when it succeeds. */
export const caught = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );

/** Adds a user (the session must be an administrator's) and returns their id. */
export async function addUser(t: TestCore, name: string, roleId: string, groupIds: string[] = []): Promise<string> {
  return (await t.call('users:add', { name, password: PASSWORD, roleId, groupIds })).id;
}

/** Locks and unlocks as `name` (password PASSWORD). */
export async function switchTo(t: TestCore, name: string): Promise<void> {
  await t.call('session:lock', { reason: 'user' });
  await t.call('session:unlock', { dir: t.dir, userName: name, password: PASSWORD });
}

/** Expects `work` to be refused with FORBIDDEN naming `permission`. */
export async function expectForbidden(work: Promise<unknown>, permission?: Permission): Promise<void> {
  const e = (await work.then(
    () => null,
    (err: unknown) => err,
  )) as { code?: string; message?: string } | null;
  expect(e, 'expected a refusal').not.toBeNull();
  expect(e!.code).toBe('FORBIDDEN');
  if (permission) expect(e!.message).toContain(permission);
}
