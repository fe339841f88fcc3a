/**
 * 0020 — access rights (issue 3): roles, groups (of users and of people), scope key pairs and their grants to users,
 * case notes, consents, the audit trail, and the visibility of tasks and papers. Synced tables follow DESIGN.md
 * "Data model rules" (UUIDv7 ids, tombstones, no constraint a merge could violate); the audit trail is local and
 * append-only (triggers refuse UPDATE and DELETE). Existing users get the role `admin` if they were administrators,
 * else `social_worker`.
 */
import type { Knex } from 'knex';
import { DEFAULT_ROLES } from '../../../shared/domain/access';
import type { Migration } from './types';

function syncColumns(t: Knex.CreateTableBuilder): void {
  t.text('id').primary();
  t.text('created_at').notNullable();
  t.text('updated_at').notNullable();
  t.text('deleted_at');
  t.text('scope_id').notNullable().defaultTo('association');
}

const EVERYONE = JSON.stringify({ kind: 'everyone' });

export const m0020: Migration = {
  name: '0020_access',
  async up(knex) {
    await knex.schema.createTable('roles', (t) => {
      syncColumns(t); // id: the role id ('admin', 'social_worker', or one an administrator made)
      t.text('name').notNullable();
      t.text('permissions').notNullable(); // JSON array of permission ids
      t.integer('builtin').notNullable().defaultTo(0);
    });
    const now = new Date().toISOString();
    await knex('roles').insert(
      DEFAULT_ROLES.map((r) => ({ id: r.id, name: r.name, permissions: JSON.stringify(r.permissions), builtin: 1, created_at: now, updated_at: now })),
    );
    await knex.schema.alterTable('users', (t) => {
      t.text('role_id').notNullable().defaultTo('social_worker');
      t.text('public_key'); // base64 X25519: scope keys and "users:" records are sealed to it
      t.text('sign_public_key'); // base64 Ed25519: checks the scope key grants this user signed
    });
    await knex('users').where({ is_admin: 1 }).update({ role_id: 'admin' });
    await knex.schema.createTable('groups', (t) => {
      syncColumns(t);
      t.text('name').notNullable();
    });
    await knex.schema.createTable('group_members', (t) => {
      syncColumns(t);
      t.text('group_id').notNullable();
      t.text('user_id').notNullable();
      t.index(['user_id']);
      t.index(['group_id']);
    });
    await knex.schema.createTable('person_groups', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('group_id').notNullable();
      t.index(['person_id']);
      t.index(['group_id']);
    });
    // One X25519 key pair per (scope, epoch) for scopes narrower than the association ('group:<id>'); a rotation
    // adds an epoch. The secret key is never stored in clear: it is sealed to each entitled user (scope_key_grants).
    await knex.schema.createTable('scope_key_pairs', (t) => {
      syncColumns(t);
      t.text('key_scope').notNullable();
      t.integer('epoch').notNullable();
      t.text('public_key').notNullable();
      t.text('created_by');
      t.text('reason'); // created | member-removed | member-added
      t.index(['key_scope', 'epoch']);
    });
    await knex.schema.createTable('scope_key_grants', (t) => {
      syncColumns(t);
      t.text('key_scope').notNullable();
      t.integer('epoch').notNullable();
      t.text('user_id').notNullable();
      t.text('sealed_secret').notNullable(); // crypto_box_seal(scope secret key, user public key), base64
      t.text('granted_by').notNullable();
      t.text('signature').notNullable(); // Ed25519 by the granter over key_scope|epoch|user_id|sealed_secret
      t.index(['user_id']);
      t.index(['key_scope']);
    });
    // Case notes: one row per revision, never updated; `note_id` is the first revision's id.
    await knex.schema.createTable('case_notes', (t) => {
      syncColumns(t);
      t.text('note_id').notNullable();
      t.text('person_id').notNullable();
      t.text('author_id').notNullable();
      t.text('revises_id');
      t.text('visibility').notNullable().defaultTo(EVERYONE); // JSON (shared/domain/access.ts)
      t.text('body'); // the text when visible to everyone, else NULL
      t.text('ciphertext'); // nonce ‖ XChaCha20-Poly1305(text) under the record key, base64
      t.text('key_wraps'); // JSON: the record key sealed to each scope of the visibility
      t.index(['person_id']);
      t.index(['note_id']);
    });
    await knex.schema.createTable('consents', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('purpose').notNullable();
      t.text('given_on').notNullable();
      t.text('collected_by').notNullable();
      t.text('withdrawn_on');
      t.text('withdrawn_by');
      t.index(['person_id']);
    });
    for (const table of ['tasks', 'documents']) {
      await knex.schema.alterTable(table, (t) => {
        t.text('created_by');
        t.text('visibility').notNullable().defaultTo(EVERYONE);
        t.text('ciphertext'); // tasks: title + description; documents: title + note (when narrower than everyone)
        t.text('key_wraps');
      });
    }
    // Slots of disabled users, withdrawn from keyring.json so that their password opens nothing; restored on re-enable.
    await knex.schema.createTable('withheld_slots', (t) => {
      t.text('user_id').primary();
      t.text('slot').notNullable();
      t.text('withheld_at').notNullable();
    });
    await knex.schema.createTable('audit_log', (t) => {
      t.increments('seq');
      t.text('at').notNullable();
      t.text('actor_id');
      t.text('actor_name').notNullable();
      t.text('action').notNullable();
      t.text('target_type');
      t.text('target_id');
      t.text('details').notNullable().defaultTo('{}');
      t.text('prev_hash').notNullable();
      t.text('hash').notNullable();
      t.index(['action']);
      t.index(['actor_name']);
      t.index(['target_id']);
    });
    await knex.raw(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
    await knex.raw(`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`);
  },
};
