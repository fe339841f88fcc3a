/**
 * A decrypted copy of the open database into a new plain SQLite file, for `db raw-copy`
 * (main/services/association/rawCopy.ts). SQLCipher offered `sqlcipher_export()`; SQLite3 Multiple Ciphers has no
 * such function and refuses the backup API between an encrypted and a plain file, so this does what
 * `sqlcipher_export` did (https://www.zetetic.net/sqlcipher/sqlcipher-api/#sqlcipher_export) with plain SQL:
 * attach the new file with an empty key (`KEY ''`: no encryption), re-create each table from the SQL SQLite kept
 * for it (sqlite_master), copy the rows, re-create the FTS5 tables and rebuild their index from the copied content,
 * then the indexes, triggers and views; the user version is copied too.
 */
import type { Knex } from 'knex';

interface SchemaObject {
  type: 'table' | 'index' | 'trigger' | 'view';
  name: string;
  sql: string;
  rootpage: number;
}

/** `CREATE TABLE x …` → `CREATE TABLE "schema".x …` (SQLite stores the statement with its first words normalised). */
function qualify(sql: string, prefix: string, schema: string): string {
  if (!sql.startsWith(prefix)) throw new Error(`unexpected schema SQL: ${sql.slice(0, 40)}`);
  return `${prefix}"${schema}".${sql.slice(prefix.length)}`;
}

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

const VIRTUAL = 'CREATE VIRTUAL TABLE ';

/**
 * Copies every table, row, index, trigger and view of `main` into `target`, a new file that must not exist or be empty (rawCopy creates it empty, 0600, first).
 * Virtual tables must be FTS5 tables with external content (`content='table'`): their index is rebuilt from the
 * copied table; any other virtual table is refused (nothing in this schema needs more).
 */
export async function exportPlain(db: Knex, target: string): Promise<void> {
  const schema = 'plaintext';
  await db.raw(`ATTACH DATABASE ? AS ${schema} KEY ''`, [target]);
  try {
    await db.transaction(async (trx) => {
      const objects = (await trx.raw("SELECT type, name, sql, rootpage FROM main.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")) as SchemaObject[];
      const virtual = objects.filter((o) => o.type === 'table' && o.sql.startsWith(VIRTUAL));
      for (const v of virtual) {
        if (!/USING\s+fts5\s*\(/i.test(v.sql) || !/content\s*=\s*'[^']+'/i.test(v.sql)) throw new Error(`virtual table not exportable: ${v.name}`);
      }
      // Shadow tables of the FTS5 tables (x_data, x_idx, x_docsize, x_config) come back with their virtual table.
      const shadow = (name: string) => virtual.some((v) => name.startsWith(`${v.name}_`));
      const tables = objects.filter((o) => o.type === 'table' && o.rootpage > 0 && !shadow(o.name));
      for (const t of tables) await trx.raw(qualify(t.sql, 'CREATE TABLE ', schema));
      for (const t of tables) await trx.raw(`INSERT INTO ${schema}.${quoteId(t.name)} SELECT * FROM main.${quoteId(t.name)}`);
      const hasSequence = ((await trx.raw("SELECT count(*) AS n FROM main.sqlite_master WHERE name = 'sqlite_sequence'")) as { n: number }[])[0]?.n;
      if (hasSequence) {
        // The copied rows already moved the new file's counters: take the original ones as they are.
        await trx.raw(`DELETE FROM ${schema}.sqlite_sequence`);
        await trx.raw(`INSERT INTO ${schema}.sqlite_sequence SELECT * FROM main.sqlite_sequence`);
      }
      for (const v of virtual) {
        await trx.raw(qualify(v.sql, VIRTUAL, schema));
        await trx.raw(`INSERT INTO ${schema}.${quoteId(v.name)}(${quoteId(v.name)}) VALUES ('rebuild')`);
      }
      for (const o of objects.filter((x) => x.type === 'index' && !shadow(x.name))) {
        await trx.raw(qualify(o.sql, o.sql.startsWith('CREATE UNIQUE INDEX ') ? 'CREATE UNIQUE INDEX ' : 'CREATE INDEX ', schema));
      }
      for (const o of objects.filter((x) => x.type === 'trigger')) await trx.raw(qualify(o.sql, 'CREATE TRIGGER ', schema));
      for (const o of objects.filter((x) => x.type === 'view')) await trx.raw(qualify(o.sql, 'CREATE VIEW ', schema));
      const version = Number(((await trx.raw('PRAGMA main.user_version')) as { user_version: number }[])[0]?.user_version ?? 0);
      await trx.raw(`PRAGMA ${schema}.user_version = ${Math.trunc(version)}`);
    });
  } finally {
    await db.raw(`DETACH DATABASE ${schema}`);
  }
}
