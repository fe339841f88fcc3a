/**
 * Database encryption at rest (DESIGN.md "An association on disk"): no SQLite header, no personal data in clear in
 * any file of the association folder (database, WAL, shared memory, keyring, vault), a wrong key refused, and a
 * SQLite build without SQLCipher refused before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertEngineRuntime, openSqlCipher, prepareConnection } from '../../main/db/sqlcipherClient';
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
    // A 3-byte name would match random ciphertext now and then: the helper refuses it rather than flake.
    expect(() => leaks(t.dir, ['Awa'])).toThrow(/too short/);
  });

  it('association.db has no "SQLite format 3" header and is written in the SQLCipher 4 format by SQLite3 Multiple Ciphers', async () => {
    const head = readFileSync(join(t.dir, 'association.db')).subarray(0, 16);
    expect(head.toString('latin1')).not.toBe('SQLite format 3\0');
    expect(readFileSync(join(t.dir, 'association.db')).includes(Buffer.from('SQLite format 3'))).toBe(false);
    const db = t.core.session()!.ctx.db;
    const one = async (sql: string) => Object.values(((await db.raw(sql)) as Record<string, unknown>[])[0] ?? {})[0];
    expect(await one('SELECT sqlite3mc_version()')).toMatch(/^SQLite3 Multiple Ciphers \d+\.\d+/);
    expect(await one('PRAGMA cipher')).toBe('sqlcipher');
    expect(Number(await one('PRAGMA legacy'))).toBe(4);
    // SQLCipher 4 defaults (https://www.zetetic.net/sqlcipher/sqlcipher-api/#cipher_compatibility).
    expect(Number(await one('PRAGMA legacy_page_size'))).toBe(4096);
    expect(Number(await one('PRAGMA kdf_iter'))).toBe(256000);
  });

  it('keeps the connection settings: WAL, secure_delete, temporary tables in memory', async () => {
    const db = t.core.session()!.ctx.db;
    const one = async (sql: string) => Object.values(((await db.raw(sql)) as Record<string, unknown>[])[0] ?? {})[0];
    expect(await one('PRAGMA journal_mode')).toBe('wal');
    expect(Number(await one('PRAGMA secure_delete'))).toBe(1);
    expect(Number(await one('PRAGMA temp_store'))).toBe(2); // MEMORY
    expect(Number(await one('PRAGMA foreign_keys'))).toBe(0);
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
    // The PDF's structure and producer are not visible either.
    expect(leaks(join(t.dir, 'vault'), ['%PDF-', 'Solidariciel', 'endstream', '/MediaBox'])).toEqual([]);
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
  /**
   * A fake better-sqlite3 connection: records statements; `scheme` answers `PRAGMA cipher = …` (null: no row, as
   * a plain SQLite answers an unknown pragma), `engine` answers `SELECT sqlite3mc_version()` (undefined: "no such
   * function"), `keyOpens` false makes reading the schema fail as with a wrong key.
   */
  function fakeConn(engine: string | undefined, scheme: string | null = 'sqlcipher', keyOpens = true) {
    const statements: string[] = [];
    return {
      statements,
      exec(sql: string) {
        statements.push(sql);
      },
      prepare(sql: string) {
        statements.push(sql);
        return {
          get(): unknown {
            if (sql.startsWith('PRAGMA cipher =')) return scheme === null ? undefined : { [scheme]: scheme };
            if (sql.startsWith('PRAGMA legacy =')) return scheme === null ? undefined : { 4: '4' };
            if (!keyOpens) throw new Error('file is not a database');
            if (sql.startsWith('SELECT sqlite3mc_version()')) {
              if (engine === undefined) throw new Error('no such function: sqlite3mc_version');
              return { v: engine };
            }
            return { n: 0 };
          },
        };
      },
    };
  }
  const key = 'ab'.repeat(32);
  const keying = ["PRAGMA cipher = 'sqlcipher'", 'PRAGMA legacy = 4', `PRAGMA key = "x'${key}'"`];

  for (const [label, engine, scheme] of [
    ['a plain SQLite (cipher pragmas unknown, no sqlite3mc_version function)', undefined, null],
    ['another cipher scheme than SQLCipher', 'SQLite3 Multiple Ciphers 2.4.0', 'chacha20'],
  ] as const) {
    it(`refuses SQLCIPHER_MISSING for ${label}, before keying or reading the file`, () => {
      const conn = fakeConn(engine, scheme);
      expect(() => prepareConnection(conn, key)).toThrow(expect.objectContaining({ code: 'SQLCIPHER_MISSING' }));
      expect(conn.statements).not.toContain(keying[2]);
      expect(conn.statements).not.toContain('SELECT count(*) AS n FROM sqlite_master');
    });
  }

  for (const [label, engine] of [
    ['no sqlite3mc_version function', undefined],
    ['an empty engine version', ''],
  ] as const) {
    it(`refuses SQLCIPHER_MISSING when the cipher pragmas answer but there is ${label}, before any setting is written`, () => {
      const conn = fakeConn(engine);
      expect(() => prepareConnection(conn, key)).toThrow(expect.objectContaining({ code: 'SQLCIPHER_MISSING' }));
      expect(conn.statements.slice(0, 3)).toEqual(keying);
      expect(conn.statements.filter((s) => s.startsWith('PRAGMA journal_mode'))).toEqual([]);
    });
  }

  it('refuses a real plain SQLite (node:sqlite, built into Node): SQLCIPHER_MISSING, and nothing written in clear', () => {
    const { DatabaseSync } = createRequire(import.meta.url)('node:sqlite') as { DatabaseSync: new (file: string) => ReturnType<typeof fakeConn> & { close(): void } };
    const dir = mkdtempSync(join(tmpdir(), 'plain-sqlite-'));
    try {
      const file = join(dir, 'association.db');
      const plain = new DatabaseSync(file);
      try {
        expect(() => prepareConnection(plain, key)).toThrow(expect.objectContaining({ code: 'SQLCIPHER_MISSING' }));
      } finally {
        plain.close();
      }
      expect(statSync(file).size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses WRONG_CREDENTIALS when the key does not open the file, before any setting is written', () => {
    const conn = fakeConn('SQLite3 Multiple Ciphers 2.4.0', 'sqlcipher', false);
    expect(() => prepareConnection(conn, key)).toThrow(expect.objectContaining({ code: 'WRONG_CREDENTIALS' }));
    expect(conn.statements.filter((s) => s.startsWith('PRAGMA journal_mode'))).toEqual([]);
  });

  it('selects the SQLCipher 4 scheme, keys with the raw key, then configures the connection', () => {
    const conn = fakeConn('SQLite3 Multiple Ciphers 2.4.0');
    prepareConnection(conn, key);
    expect(conn.statements.slice(0, 3)).toEqual(keying);
    expect(conn.statements).toEqual(expect.arrayContaining(['PRAGMA journal_mode = WAL', 'PRAGMA temp_store = MEMORY', 'PRAGMA secure_delete = ON']));
  });

  it('refuses a key that is not 64 lower-case hex digits before touching the connection (no SQL injection via the key)', () => {
    for (const bad of ['', 'ab'.repeat(31), `${'ab'.repeat(31)}'"`, 'AB'.repeat(32)]) {
      const conn = fakeConn('SQLite3 Multiple Ciphers 2.4.0');
      expect(() => prepareConnection(conn, bad)).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
      expect(conn.statements).toEqual([]);
    }
  });
});

describe('assertEngineRuntime', () => {
  it('refuses, with a French sentence naming the cause, a Node whose N-API is older than the binaries need', () => {
    for (const napi of ['9', '']) {
      expect(() => assertEngineRuntime(napi)).toThrow(expect.objectContaining({ code: 'SQLCIPHER_MISSING', message: expect.stringContaining('Node 22.14') }));
    }
  });

  it('accepts this Node (the one the tests run on)', () => {
    expect(() => assertEngineRuntime()).not.toThrow();
    expect(() => assertEngineRuntime('10')).not.toThrow();
  });
});
