/**
 * 0030 — sync through the network hub (issue 4, docs/sync.md). Local bookkeeping only: none of these tables is
 * itself synced.
 * - change_log.tx: the local transaction a write belonged to (one envelope per transaction and scope).
 * - sync_state: this device's sync settings and keys (hub URL, Ed25519 device key, cursors), key → value.
 * - sync_versions: per synced row, the HLC of its insert (`base_hlc`) and, for columns written since,
 *   `cols` = JSON {column: "hlc|prev"} (prev: the version the writer had seen — tells concurrent edits from later ones).
 * - sync_outbox: sealed, signed envelopes waiting for (or already given) a server sequence number.
 * - sync_received: (device, device sequence) of every envelope applied or refused: a replay is recognised.
 * - sync_history: every value a merge overwrote (or an incoming value that lost), `conflict` = concurrent edits.
 * - sync_pending: changes for tables or columns this version does not know yet, applied after an upgrade.
 * - sync_rejected: envelopes that failed their checks (tampered, truncated, unknown device), with the reason.
 * - key_slots (synced, unlike the others): each user's keyring.json slot (Argon2id-sealed), so a user added or a
 *   password changed on one device unlocks on the others; a disabled user's slot leaves every device.
 * - sync_blobs: vault blobs known to be both here and at the hub (`done`), or failing (`failed`, with the reason).
 */
import type { Migration } from './types';

export const m0030: Migration = {
  name: '0030_sync',
  async up(knex) {
    await knex.schema.alterTable('change_log', (t) => {
      t.text('tx');
    });
    await knex.schema.createTable('sync_state', (t) => {
      t.text('key').primary();
      t.text('value').notNullable();
    });
    await knex.schema.createTable('sync_versions', (t) => {
      t.text('table_name').notNullable();
      t.text('row_id').notNullable();
      t.text('base_hlc').notNullable();
      t.text('cols');
      t.primary(['table_name', 'row_id']);
    });
    await knex.schema.createTable('sync_outbox', (t) => {
      t.integer('device_seq').primary();
      t.text('scope').notNullable();
      t.text('header').notNullable();
      t.text('ciphertext').notNullable();
      t.text('signature').notNullable();
      t.integer('changes').notNullable();
      t.text('created_at').notNullable();
      t.integer('server_seq');
      t.text('pushed_at');
      t.index(['pushed_at']);
    });
    await knex.schema.createTable('sync_received', (t) => {
      t.text('device_id').notNullable();
      t.integer('device_seq').notNullable();
      t.integer('server_seq').notNullable();
      t.text('outcome').notNullable(); // applied | pending | rejected
      t.text('received_at').notNullable();
      t.primary(['device_id', 'device_seq']);
    });
    await knex.schema.createTable('sync_history', (t) => {
      t.increments('id');
      t.text('table_name').notNullable();
      t.text('row_id').notNullable();
      t.text('column_name').notNullable();
      t.text('value'); // JSON of the overwritten value
      t.text('hlc').notNullable(); // when the overwritten value was written
      t.text('kept_value'); // JSON of the value kept
      t.text('kept_hlc').notNullable();
      t.integer('conflict').notNullable().defaultTo(0);
      t.text('recorded_at').notNullable();
      t.text('resolved_at');
      t.text('resolved_by');
      t.index(['conflict', 'resolved_at']);
      t.index(['table_name', 'row_id']);
    });
    await knex.schema.createTable('sync_pending', (t) => {
      t.increments('id');
      t.text('table_name').notNullable();
      t.text('row_id').notNullable();
      t.text('column_name').notNullable();
      t.text('value');
      t.text('hlc').notNullable();
      t.text('prev').notNullable();
      t.text('op').notNullable();
      t.text('reason').notNullable(); // unknown-table | unknown-column
      t.text('received_at').notNullable();
    });
    await knex.schema.createTable('sync_rejected', (t) => {
      t.integer('server_seq').primary();
      t.text('device_id');
      t.integer('device_seq');
      t.text('reason').notNullable();
      t.text('envelope'); // JSON: the whole envelope when its format is newer (for a later version), else its header
      t.text('at').notNullable();
    });
    await knex.schema.createTable('key_slots', (t) => {
      t.text('id').primary(); // the user id: one slot per user
      t.text('created_at').notNullable();
      t.text('updated_at').notNullable();
      t.text('deleted_at');
      t.text('scope_id').notNullable().defaultTo('association');
      t.text('slot').notNullable(); // JSON of the keyring slot (crypto/keyring.ts)
    });
    await knex.schema.createTable('sync_blobs', (t) => {
      t.text('name').primary();
      t.text('state').notNullable(); // done | failed
      t.integer('tries').notNullable().defaultTo(0);
      t.text('last_error');
      t.text('updated_at').notNullable();
    });
  },
};
