/**
 * 0010 — the reception desk: association metadata, users, people, households, tasks, vault documents, scope keys,
 * and the change log (outbox, one entry per write: see `change_log` below). Synced tables carry id (UUIDv7), created_at, updated_at, deleted_at, scope_id and
 * no UNIQUE or foreign-key constraint a merge could violate (DESIGN.md "Data model rules").
 */
import type { Knex } from 'knex';
import type { Migration } from './types';

/** The columns every synced table starts with (DESIGN.md "Data model rules"); later migrations use it too. */
export function syncColumns(t: Knex.CreateTableBuilder): void {
  t.text('id').primary();
  t.text('created_at').notNullable();
  t.text('updated_at').notNullable();
  t.text('deleted_at');
  t.text('scope_id').notNullable().defaultTo('association');
}

export const m0010: Migration = {
  name: '0010_initial',
  async up(knex) {
    await knex.schema.createTable('meta', (t) => {
      t.text('key').primary();
      t.text('value').notNullable();
    });
    await knex.schema.createTable('users', (t) => {
      syncColumns(t);
      t.text('name').notNullable();
      t.text('display_name').notNullable();
      t.integer('is_admin').notNullable().defaultTo(0);
      t.integer('disabled').notNullable().defaultTo(0);
      t.index(['name']);
    });
    await knex.schema.createTable('households', (t) => {
      syncColumns(t);
      t.text('name').notNullable();
      t.text('notes');
    });
    await knex.schema.createTable('people', (t) => {
      syncColumns(t);
      t.text('civility');
      t.text('first_name').notNullable();
      t.text('last_name').notNullable();
      t.text('birth_date');
      t.text('email');
      t.text('phone');
      t.text('phone2');
      t.text('address_line');
      t.text('postal_code');
      t.text('city');
      t.text('country');
      t.text('member_number');
      t.text('kinds').notNullable().defaultTo('[]');
      t.text('membership_start');
      t.text('membership_end');
      t.text('skills');
      t.text('availability');
      t.text('notes');
      t.text('household_id');
      t.text('archived_at');
      // Derived, local: normalised text for search (lower case, no accents) and matching keys for imports.
      t.text('search_text').notNullable().defaultTo('');
      t.text('sort_key').notNullable().defaultTo('');
      t.text('email_key');
      t.text('name_birth_key');
      t.index(['sort_key']);
      t.index(['email_key']);
      t.index(['name_birth_key']);
      t.index(['household_id']);
    });
    // Substring search on 3+ characters (trigram), kept in step with people by triggers (external content table,
    // https://sqlite.org/fts5.html#external_content_tables).
    await knex.raw(`CREATE VIRTUAL TABLE people_fts USING fts5(search_text, content='people', content_rowid='rowid', tokenize='trigram')`);
    await knex.raw(`CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
      INSERT INTO people_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END`);
    await knex.raw(`CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
      INSERT INTO people_fts(people_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END`);
    await knex.raw(`CREATE TRIGGER people_fts_au AFTER UPDATE OF search_text ON people BEGIN
      INSERT INTO people_fts(people_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      INSERT INTO people_fts(rowid, search_text) VALUES (new.rowid, new.search_text); END`);
    // The people list and search (docs/performance.md): live people in list order with the columns a search filters
    // on, so 1–2 letter terms, the unfiltered list and very common terms walk it in order and stop after one page
    // instead of reading every person's full row.
    await knex.raw('CREATE INDEX people_live_search ON people (sort_key, id, archived_at, search_text) WHERE deleted_at IS NULL');
    await knex.schema.createTable('tasks', (t) => {
      syncColumns(t);
      t.text('title').notNullable();
      t.text('description');
      t.text('person_id');
      t.text('assignee_id');
      t.text('due_date');
      t.text('priority').notNullable().defaultTo('normal');
      t.text('status').notNullable().defaultTo('todo');
      t.text('completed_at');
      t.index(['person_id']);
      t.index(['assignee_id', 'status']);
      t.index(['status', 'due_date']);
    });
    await knex.schema.createTable('documents', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('type').notNullable();
      t.text('title');
      t.text('issued_on');
      t.text('expires_on');
      t.text('note');
      t.integer('pages').notNullable();
      t.text('sha256').notNullable(); // of the plaintext PDF
      t.integer('size').notNullable(); // plaintext bytes
      t.text('blob_name').notNullable(); // SHA-256 of the ciphertext file in vault/
      t.text('wrapped_key').notNullable(); // base64: per-document key sealed with the scope key (XChaCha20-Poly1305)
      t.integer('key_epoch').notNullable().defaultTo(1);
      t.index(['person_id']);
    });
    await knex.schema.createTable('scope_keys', (t) => {
      t.text('scope_id').notNullable();
      t.integer('epoch').notNullable();
      t.text('key').notNullable(); // base64; the association scope's key lives inside the encrypted database
      t.text('created_at').notNullable();
      t.primary(['scope_id', 'epoch']);
    });
    // The outbox: one entry per Mutator write call (one insert of n rows, one update, one tombstone), not per row.
    // An entry names the rows and the columns written, with one HLC timestamp and the device id; it holds no values.
    // The sync engine reads the current values of those (row, column) pairs at push time, and the merge keeps, per
    // (row, column), the value with the latest (HLC, device id) (DESIGN.md "Data model rules"; docs/architecture.md
    // "Writes and sync readiness"). A 100,000-row import is thus one entry instead of 100,000 copies of every value.
    await knex.schema.createTable('change_log', (t) => {
      t.increments('seq');
      t.text('hlc').notNullable();
      t.text('device_id').notNullable();
      t.text('table_name').notNullable();
      t.text('op').notNullable(); // insert | update | delete
      t.text('row_ids').notNullable(); // JSON array of the ids written, in write order
      t.text('columns').notNullable(); // JSON array of the column names written (sorted)
    });
  },
};
