/**
 * Migration 0040 (STYLE.md §6): a database at 0030 with users, roles and memberships, migrated to 0040: rows kept,
 * unsigned (NULL access_rev and access_sig, signed later by a root holder's unlock), the revocation table exists,
 * and running it again changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { appliedMigrations, migrate, MIGRATIONS } from '../../main/db/migrations';
import { Mutator } from '../../main/db/mutations';
import { HybridLogicalClock } from '../../main/sync/hlc';
import { tempDir } from '../helpers/core';

const columns = async (db: Knex, table: string) => ((await db.raw(`PRAGMA table_info("${table}")`)) as { name: string }[]).map((c) => c.name);

describe('migration 0040_signed_access', () => {
  let root: string;
  let db: Knex;
  let mutator: Mutator;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0040-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    mutator = new Mutator(db, new HybridLogicalClock('device-test'), { now: () => new Date('2026-12-06T09:00:00.000Z') });
    await migrate(db, MIGRATIONS.slice(0, 3));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps users, roles and memberships unsigned, adds the signature columns and the revocation table', async () => {
    const [user] = await mutator.insert('users', [{ name: 'bea', display_name: 'Béa', is_admin: 0, role_id: 'social_worker', disabled: 0 }]);
    const [group] = await mutator.insert('groups', [{ name: 'Nord' }]);
    await mutator.insert('group_members', [{ group_id: group!, user_id: user! }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
    for (const t of ['users', 'roles', 'group_members']) expect(await columns(db, t)).toEqual(expect.arrayContaining(['access_rev', 'access_sig']));
    expect(await columns(db, 'device_revocations')).toEqual(expect.arrayContaining(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id', 'cutoff', 'signature']));
    expect(await db('users').where({ id: user }).first('role_id', 'access_rev', 'access_sig')).toEqual({ role_id: 'social_worker', access_rev: null, access_sig: null });
    expect(((await db('roles').whereNotNull('access_sig')) as unknown[]).length).toBe(0);
    expect(await db('group_members').count({ n: '*' })).toEqual([{ n: 1 }]);
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
  });
});
