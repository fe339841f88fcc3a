/**
 * 0020 — access rights (issue 3): roles, groups (of users and of people), scope key pairs and their grants to users,
 * case notes, consents, the audit trail, and the visibility of tasks and papers. Synced tables follow DESIGN.md
 * "Data model rules" (UUIDv7 ids, tombstones, no constraint a merge could violate); the audit trail is local and
 * append-only (triggers refuse UPDATE and DELETE). Existing users get the role `admin` if they were administrators,
 * else `social_worker`. People search: the member number moves out of `search_text` into its own column
 * `member_search`, indexed by `people_fts` beside it, so that a reader without `people.readMembership` searches
 * `search_text` alone (an FTS5 column filter) and still uses the trigram index.
 */
import type { Knex } from 'knex';
import { DEFAULT_ROLES } from '../../../shared/domain/access';
import { foldForSearch, memberNumberSearchText } from '../../services/people/searchText';
import type { Migration } from './types';

/** The synced columns (as in 0010, copied on purpose: a migration never changes once released, whatever its neighbours do). */
function syncColumns(t: Knex.CreateTableBuilder): void {
  t.text('id').primary();
  t.text('created_at').notNullable();
  t.text('updated_at').notNullable();
  t.text('deleted_at');
  t.text('scope_id').notNullable().defaultTo('association');
}

const EVERYONE = JSON.stringify({ kind: 'everyone' });

/** Rows per INSERT into the temporary table of new search columns (3 bound values each: under SQLite's 999). */
const SEARCH_CHUNK = 300;

/**
 * The search text as 0020 wrote it (names, e-mail, phone digits, folded, joined by spaces): frozen here, as later
 * migrations change what `personSearchText` gives (0070 adds the birth date and the bounding spaces).
 */
function searchText0020(p: { firstName: string; lastName: string; email: string | null; phone: string | null; phone2: string | null }): string {
  const digits = (s: string | null) => (s ? s.replace(/\D+/g, '') : '');
  return [p.firstName, p.lastName, p.email ?? '', digits(p.phone), digits(p.phone2)].map(foldForSearch).filter((part) => part !== '').join(' ');
}

/**
 * Splits the member number out of `people.search_text` (0010 wrote it at the end) into `member_search`: both columns
 * recomputed from each row's fields, as `personToRow` computes them, and written for the rows that change. Derived,
 * local columns (every device derives them the same way): plain UPDATEs, no change_log entry. The people FTS
 * triggers must be dropped beforehand (the caller rebuilds the index afterwards).
 */
async function splitMemberNumberSearch(knex: Knex): Promise<void> {
  type Text = string | null;
  type Stored = { rid: number; first_name: string; last_name: string; email: Text; phone: Text; phone2: Text; member_number: Text; search_text: string };
  const columns = ['first_name', 'last_name', 'email', 'phone', 'phone2', 'member_number', 'search_text'];
  const rows = (await knex('people').select({ rid: 'rowid' }, ...columns)) as Stored[];
  const changed: [number, string, string][] = [];
  for (const r of rows) {
    const text = searchText0020({ firstName: r.first_name, lastName: r.last_name, email: r.email, phone: r.phone, phone2: r.phone2 });
    const member = memberNumberSearchText(r.member_number);
    if (text !== r.search_text || member !== '') changed.push([r.rid, text, member]);
  }
  if (changed.length === 0) return;
  await knex.raw('CREATE TEMP TABLE people_search_0020 (rid INTEGER PRIMARY KEY, search_text TEXT NOT NULL, member_search TEXT NOT NULL)');
  for (let i = 0; i < changed.length; i += SEARCH_CHUNK) {
    const chunk = changed.slice(i, i + SEARCH_CHUNK);
    await knex.raw(`INSERT INTO temp.people_search_0020 (rid, search_text, member_search) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`, chunk.flat());
  }
  await knex.raw(`UPDATE people SET
    search_text = (SELECT s.search_text FROM temp.people_search_0020 s WHERE s.rid = people.rowid),
    member_search = (SELECT s.member_search FROM temp.people_search_0020 s WHERE s.rid = people.rowid)
    WHERE rowid IN (SELECT rid FROM temp.people_search_0020)`);
  await knex.raw('DROP TABLE temp.people_search_0020');
}

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
      t.text('key_cert'); // base64 Ed25519 by the association root key over the user-cert message (identity.ts)
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
      t.text('cert'); // base64 Ed25519 by the association root key over the scope-cert message (identity.ts)
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
    // The association root signing key's secret, sealed to each user whose role has users.manage (docs/access.md "Keys").
    await knex.schema.createTable('root_key_grants', (t) => {
      syncColumns(t);
      t.text('user_id').notNullable();
      t.text('sealed').notNullable(); // crypto_box_seal(root Ed25519 secret key, user public key), base64
      t.index(['user_id']);
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

    // People search: `member_search` beside `search_text`, both in people_fts and in the covering index (0010 made
    // them with search_text alone). The FTS table and its triggers go first, so the rewrite below does not touch
    // the index row by row; it is rebuilt once at the end.
    for (const trigger of ['people_fts_ai', 'people_fts_ad', 'people_fts_au']) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
    await knex.raw('DROP TABLE IF EXISTS people_fts');
    await knex.raw('DROP INDEX IF EXISTS people_live_search');
    await knex.schema.alterTable('people', (t) => {
      t.text('member_search').notNullable().defaultTo(''); // the member number, folded (searchText.ts)
    });
    await splitMemberNumberSearch(knex);
    await knex.raw(`CREATE VIRTUAL TABLE people_fts USING fts5(search_text, member_search, content='people', content_rowid='rowid', tokenize='trigram')`);
    await knex.raw(`CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
      INSERT INTO people_fts(rowid, search_text, member_search) VALUES (new.rowid, new.search_text, new.member_search); END`);
    await knex.raw(`CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
      INSERT INTO people_fts(people_fts, rowid, search_text, member_search) VALUES ('delete', old.rowid, old.search_text, old.member_search); END`);
    await knex.raw(`CREATE TRIGGER people_fts_au AFTER UPDATE OF search_text, member_search ON people BEGIN
      INSERT INTO people_fts(people_fts, rowid, search_text, member_search) VALUES ('delete', old.rowid, old.search_text, old.member_search);
      INSERT INTO people_fts(rowid, search_text, member_search) VALUES (new.rowid, new.search_text, new.member_search); END`);
    await knex.raw(`INSERT INTO people_fts(people_fts) VALUES ('rebuild')`);
    await knex.raw('CREATE INDEX people_live_search ON people (sort_key, id, archived_at, search_text, member_search) WHERE deleted_at IS NULL');
  },
};
