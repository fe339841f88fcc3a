/**
 * Migration 0020 (STYLE.md §6): a database at 0010 with users and a task, migrated to 0020: default roles seeded,
 * former administrators get `admin` and the others `social_worker`, existing tasks stay visible to everyone, the new
 * tables exist with the synced columns and no constraint a merge could violate, and the audit trail refuses UPDATE and
 * DELETE.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { openSqlCipher } from '../../main/db/sqlcipherClient';
import { appliedMigrations, migrate, MIGRATIONS } from '../../main/db/migrations';
import { DEFAULT_ROLES } from '../../shared/domain/access';
import { tempDir } from '../helpers/core';

const NOW = '2026-11-21T09:00:00.000Z';
const row = (id: string, extra: Record<string, unknown>) => ({ id, created_at: NOW, updated_at: NOW, scope_id: 'association', ...extra });

describe('migration 0020_access', () => {
  let root: string;
  let db: Knex;
  beforeEach(async () => {
    root = tempDir('solidariciel-m0020-');
    db = openSqlCipher(join(root, 'association.db'), randomBytes(32).toString('hex'));
    await migrate(db, MIGRATIONS.slice(0, 1));
    await db('users').insert([row('u-admin', { name: 'marie', display_name: 'Marie', is_admin: 1 }), row('u-staff', { name: 'paul', display_name: 'Paul', is_admin: 0 })]);
    await db('tasks').insert(row('t-1', { title: 'Rappeler la CAF' }));
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('seeds the default roles and gives existing users a role', async () => {
    await migrate(db);
    expect(await appliedMigrations(db)).toEqual(['0010_initial', '0020_access']);
    const roles = (await db('roles').select('id', 'permissions', 'builtin')) as { id: string; permissions: string; builtin: number }[];
    expect(roles.map((r) => r.id).sort()).toEqual(DEFAULT_ROLES.map((r) => r.id).sort());
    for (const r of DEFAULT_ROLES) expect(JSON.parse(roles.find((x) => x.id === r.id)!.permissions)).toEqual([...r.permissions]);
    expect(await db('users').orderBy('name').select('name', 'role_id')).toEqual([
      { name: 'marie', role_id: 'admin' },
      { name: 'paul', role_id: 'social_worker' },
    ]);
    expect(await db('tasks').where({ id: 't-1' }).first('title', 'visibility', 'ciphertext')).toEqual({ title: 'Rappeler la CAF', visibility: '{"kind":"everyone"}', ciphertext: null });
  });

  it('creates synced tables without UNIQUE or foreign keys', async () => {
    await migrate(db);
    for (const table of ['roles', 'groups', 'group_members', 'person_groups', 'scope_key_pairs', 'scope_key_grants', 'case_notes', 'consents']) {
      const cols = ((await db.raw(`PRAGMA table_info(${table})`)) as { name: string }[]).map((c) => c.name);
      expect(cols).toEqual(expect.arrayContaining(['id', 'created_at', 'updated_at', 'deleted_at', 'scope_id']));
      expect((await db.raw(`PRAGMA foreign_key_list(${table})`)) as unknown[]).toEqual([]);
      const uniques = ((await db.raw(`PRAGMA index_list(${table})`)) as { unique: number; origin: string }[]).filter((i) => i.unique === 1 && i.origin !== 'pk');
      expect({ table, uniques }).toEqual({ table, uniques: [] });
    }
  });

  it('the audit trail is append-only', async () => {
    await migrate(db);
    await db('audit_log').insert({ at: NOW, actor_name: 'marie', action: 'session.unlock', prev_hash: '0'.repeat(64), hash: 'x' });
    await expect(db('audit_log').update({ actor_name: 'intrus' })).rejects.toThrow(/append-only/);
    await expect(db('audit_log').delete()).rejects.toThrow(/append-only/);
    expect(await db('audit_log').count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
