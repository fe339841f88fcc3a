/**
 * `db raw-copy` writes a plain SQLite file equal to the encrypted database (main/db/plainExport.ts): same tables and
 * rows, indexes, triggers, the FTS5 index rebuilt, the user version, and a clear SQLite header.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPlain } from '../../main/db/plainExport';
import { fixture, newTestCore, type TestCore } from '../helpers/core';
import { plainQuery } from '../helpers/plainSqlite';

describe('the plain export of an association database', () => {
  let t: TestCore;
  let out: string;
  beforeAll(async () => {
    t = await newTestCore();
    const bytes = fixture('imports', 'helloasso-paiements.csv');
    const preview = await t.call('imports:preview', { fileName: 'helloasso-paiements.csv', bytes });
    await t.call('imports:run', { fileName: 'helloasso-paiements.csv', bytes, columns: preview.columns });
    out = join(t.dir, '..', 'copie.sqlite');
    await exportPlain(t.core.session()!.ctx.db, out);
  });
  afterAll(async () => t.cleanup());

  it('is a plain SQLite file that passes its integrity check', () => {
    expect(readFileSync(out).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(plainQuery(out, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  });

  it('holds every table with the same rows, and the same indexes, triggers and views', async () => {
    const db = t.core.session()!.ctx.db;
    const schemaOf = async (rows: Promise<unknown> | unknown) => ((await rows) as { type: string; name: string }[]).map((r) => `${r.type} ${r.name}`).sort();
    const schemaSql = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%'";
    expect(await schemaOf(plainQuery(out, schemaSql))).toEqual(await schemaOf(db.raw(schemaSql)));
    const tables = ((await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'people_fts%'")) as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['people', 'change_log', 'audit_log']));
    for (const name of tables) {
      const sql = `SELECT * FROM "${name}" ORDER BY rowid`;
      expect(plainQuery(out, sql), name).toEqual(await db.raw(sql));
    }
    expect(plainQuery(out, 'PRAGMA user_version')).toEqual(await db.raw('PRAGMA user_version'));
  });

  it('answers full-text searches like the original (FTS5 index rebuilt)', async () => {
    const sql = "SELECT rowid FROM people_fts WHERE people_fts MATCH '\"raphael\"' ORDER BY rowid";
    const found = (await t.core.session()!.ctx.db.raw(sql)) as unknown[];
    expect(found.length).toBeGreaterThan(0);
    expect(plainQuery(out, sql)).toEqual(found);
  });
});
