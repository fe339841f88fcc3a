/**
 * What every service of an unlocked session shares: the database, the single write path (Mutator), the clock and
 * the current user. Built by main/core/session.ts at unlock, dropped at lock.
 */
import type { Knex } from 'knex';
import type { Mutator } from '../db/mutations';
import type { Clock } from '../core/ports';

export interface CurrentUser {
  id: string;
  name: string;
  displayName: string;
  isAdmin: boolean;
}

export interface ServiceContext {
  db: Knex;
  mutator: Mutator;
  clock: Clock;
  user: CurrentUser;
}

/** Today's date (YYYY-MM-DD) in the office's local time zone. */
export function today(clock: Clock): string {
  const d = clock.now();
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}
