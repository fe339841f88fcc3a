/**
 * What every service of an unlocked session shares: the database, the single write path (Mutator), the clock, the
 * current user with their rights (Access) and keys (ScopeKeys), and the audit trail. Built by main/core/session.ts at
 * unlock, dropped at lock.
 */
import type { Knex } from 'knex';
import type { Mutator } from '../db/mutations';
import type { Clock } from '../core/ports';
import type { Access } from './access/access';
import type { ScopeKeys } from './access/scopeKeys';
import type { AuditRecord } from './audit/auditLog';

export interface CurrentUser {
  id: string;
  name: string;
  displayName: string;
}

export interface ServiceContext {
  db: Knex;
  mutator: Mutator;
  clock: Clock;
  user: CurrentUser;
  access: Access;
  scopes: ScopeKeys;
  /** Appends to the audit trail as the current user; pass the transaction of the change it records. */
  audit(records: AuditRecord | AuditRecord[], trx?: Knex.Transaction): Promise<void>;
}

/** Today's date (YYYY-MM-DD) in the office's local time zone. */
export function today(clock: Clock): string {
  const d = clock.now();
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}
