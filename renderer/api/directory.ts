/**
 * Who is who, for visibility pickers and badges: the groups and users of the association as the current user may
 * see them (`groups:list`, `users:directory`: names of the active users, open to anyone unlocked; a refusal gives null
 * and the screens degrade). Answers are memoised for the
 * session only: `forgetDirectory()` runs at every lock, switch and unlock, so nothing survives a change of user.
 */
import type { Group } from '../../shared/domain/access';
import type { ResponseOf } from '../../shared/contract';
import { invoke } from './client';

export interface Directory {
  /** null when the core refused `groups:list` to this user. */
  groups: Group[] | null;
  /** Active users (id, name, display name); null when the core refused. */
  users: ResponseOf<'users:directory'>['items'] | null;
}

let cached: Promise<Directory> | null = null;

/** The groups and users this user may list, fetched once per session. */
export function loadDirectory(): Promise<Directory> {
  cached ??= Promise.all([
    invoke('groups:list', {}).then((r) => r.items, () => null),
    invoke('users:directory', {}).then((r) => r.items, () => null),
  ]).then(([groups, users]) => ({ groups, users }));
  return cached;
}

/** Drops the memoised answers (after a change: a group created, a user approved; and at every session change). */
export function forgetDirectory(): void {
  cached = null;
}
