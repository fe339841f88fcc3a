/**
 * Database encryption at rest (DESIGN.md "An association on disk"): no SQLite header, no personal data in clear in
 * any file of the association folder (database, WAL, shared memory, keyring, vault), a wrong key refused, and a
 * SQLite build without SQLCipher refused before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlCipher, prepareConnection } from '../../main/db/sqlcipherClient';
import { fixture, newTestCore, PASSWORD, type TestCore } from '../helpers/core';
import { allFiles, leaks } from '../helpers/files';

const helloasso = new TextDecoder().decode(fixture('imports', 'helloasso-paiements.csv'));
const emails = [...new Set(helloasso.match(/[a-z0-9.]+@exemple\.fr/g) ?? [])];
/** Names, places and e-mails from the imported fixture, plus the folded search text the database derives. */
const NEEDLES = [
  ...emails,
  'Raphaël',
  'Bernard',
  'Barbier',
  'Benoît',
  'Nguyen',
  'Björn',
  'Hélène',
  'Diallo',
  'Traoré',
  'Mantes-la-Jolie',
  'Folie-Regnault',
  'garde alternée',
  'raphael bernard',
  'helene diallo',
  'pas-une-adresse',
  'Entraide Paris 11',
];

describe('the association folder holds no clear text', () => {
  let t: TestCore;
  let personId: string;
  beforeAll(async () => {
    t = await newTestCore();
    const bytes = fixture('imports', 'helloasso-paiements.csv');
    const preview = await t.call('imports:preview', { fileName: 'helloasso-paiements.csv', bytes });
    const report = await t.call('imports:run', { fileName: 'helloasso-paiements.csv', bytes, columns: preview.columns });
    expect(report.imported).toBe(19);
    personId = (await t.call('people:search', { query: 'raphael.bernard0@exemple.fr' })).items[0]!.id;
  });
  afterAll(async () => t.cleanup());

  it('looks for needles that really are in the fixture, and would see one in clear (positive control)', () => {
    expect(emails.length).toBe(19);
    for (const n of ['Raphaël', 'Bernard', 'Björn', 'Hélène', 'Traoré', 'Mantes-la-Jolie', 'garde alternée', 'pas-une-adresse']) expect(helloasso).toContain(n);
    expect(leaks(t.dir, ['solidariciel-keyring', 'argon2id13'])).toEqual(['keyring.json: solidariciel-keyring (utf8)', 'keyring.json: argon2id13 (utf8)']);
  });

  it('association.db has no "SQLite format 3" header and PRAGMA cipher_version is set', async () => {
    const head = readFileSync(join(t.dir, 'association.db')).subarray(0, 16);
    expect(head.toString('latin1')).not.toBe('SQLite format 3\0');
    expect(readFileSync(join(t.dir, 'association.db')).includes(Buffer.from('SQLite format 3'))).toBe(false);
    const db = t.core.session()!.ctx.db;
    const rows = (await db.raw('PRAGMA cipher_version')) as { cipher_version: string }[];
    expect(rows[0]?.cipher_version).toMatch(/^4\.\d+/);
  });

  it('after an import, no name or e-mail appears in any file (db, -wal, -shm, keyring.json, vault/)', async () => {
    const files = allFiles(t.dir);
    expect(files).toEqual(expect.arrayContaining(['association.db', 'association.db-wal', 'keyring.json']));
    expect(statSync(join(t.dir, 'association.db-wal')).size).toBeGreaterThan(0);
    expect(leaks(t.dir, NEEDLES)).toEqual([]);
  });

  it('after adding a paper (with a title and note naming the person), neither the blob nor anything else leaks', async () => {
    const doc = await t.call('vault:addDocument', {
      personId,
      meta: { type: 'carte_identite', title: 'CNI de Raphaël Bernard', note: 'vue au guichet, raphael.bernard0@exemple.fr' },
      files: [{ name: 'carte-identite-specimen.png', bytes: fixture('scans', 'carte-identite-specimen.png') }],
    });
    const files = allFiles(t.dir);
    const blobs = files.filter((f) => f.startsWith('vault/'));
    expect(blobs).toHaveLength(1);
    expect(blobs[0]).toMatch(/^vault\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(leaks(t.dir, [...NEEDLES, 'CNI de Raphaël', 'vue au guichet', 'carte-identite-specimen', doc.sha256])).toEqual([]);
    // The PDF and the PNG inside it are not visible either.
    expect(leaks(join(t.dir, 'vault'), ['%PDF-', 'Solidariciel', 'IHDR'])).toEqual([]);
  });

  it('after locking (WAL checkpointed into the file), still nothing in clear', async () => {
    await t.call('session:lock', {});
    expect(leaks(t.dir, NEEDLES)).toEqual([]);
    expect(readFileSync(join(t.dir, 'association.db')).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
  });

  it('opening the database with a wrong key fails with WRONG_CREDENTIALS', async () => {
    await t.call('session:lock', {});
    const db = openSqlCipher(join(t.dir, 'association.db'), randomBytes(32).toString('hex'));
    try {
      await expect(db.raw('SELECT count(*) AS n FROM people')).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    } finally {
      await db.destroy();
    }
    // The file is untouched: the right password still opens it with all its people.
    await t.call('session:unlock', { dir: t.dir, userName: 'admin', password: PASSWORD });
    expect((await t.call('people:search', { query: '' })).total).toBe(19);
  });
});

describe('prepareConnection', () => {
  /** A fake driver connection: records statements, answers `PRAGMA cipher_version` with `cipherRow`. */
  function fakeConn(cipherRow: Record<string, unknown> | undefined) {
    const statements: string[] = [];
    return {
      statements,
      run(sql: string, cb: (err: Error | null) => void) {
        statements.push(sql);
        cb(null);
      },
      get(sql: string, cb: (err: Error | null, row: Record<string, unknown> | undefined) => void) {
        statements.push(sql);
        if (sql === 'PRAGMA cipher_version') cb(null, cipherRow);
        else cb(null, { n: 0 });
      },
    };
  }
  const key = 'ab'.repeat(32);

  for (const [label, row] of [
    ['no row', undefined],
    ['an empty string', { cipher_version: '' }],
    ['a null', { cipher_version: null }],
  ] as const) {
    it(`refuses SQLCIPHER_MISSING when PRAGMA cipher_version returns ${label}, and runs nothing after it`, async () => {
      const conn = fakeConn(row);
      await expect(prepareConnection(conn, key)).rejects.toMatchObject({ code: 'SQLCIPHER_MISSING' });
      expect(conn.statements).toEqual([`PRAGMA key = "x'${key}'"`, 'PRAGMA cipher_version']);
    });
  }

  it('keys first with the raw key, then configures a real SQLCipher connection', async () => {
    const conn = fakeConn({ cipher_version: '4.6.1 community' });
    await prepareConnection(conn, key);
    expect(conn.statements[0]).toBe(`PRAGMA key = "x'${key}'"`);
    expect(conn.statements).toEqual(expect.arrayContaining(['PRAGMA journal_mode = WAL', 'PRAGMA temp_store = MEMORY', 'PRAGMA secure_delete = ON']));
  });

  it('refuses a key that is not 64 lower-case hex digits before touching the connection (no SQL injection via the key)', async () => {
    for (const bad of ['', 'ab'.repeat(31), `${'ab'.repeat(31)}'"`, 'AB'.repeat(32)]) {
      const conn = fakeConn({ cipher_version: '4' });
      await expect(prepareConnection(conn, bad)).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(conn.statements).toEqual([]);
    }
  });
});
