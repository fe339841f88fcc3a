/**
 * knex over SQLCipher 4: knex's sqlite3 client whose driver is `@journeyapps/sqlcipher` (a maintained fork of
 * `sqlite3` built with SQLCipher). Every connection is keyed with a raw 256-bit key in the pool's `afterCreate`,
 * before any other statement (https://www.zetetic.net/sqlcipher/sqlcipher-api/#key).
 */
import { createRequire } from 'node:module';
import knexFactory, { type Knex } from 'knex';
import { AppError } from '../../shared/domain/errors';

const require = createRequire(import.meta.url);
// knex ships its dialects as CommonJS classes; we subclass the sqlite3 one.
const ClientSQLite3 = require('knex/lib/dialects/sqlite3/index.js') as new (config: Knex.Config) => object;

class ClientSQLCipher extends ClientSQLite3 {
  _driver(): unknown {
    return require('@journeyapps/sqlcipher');
  }
}

interface RawConnection {
  run(sql: string, cb: (err: Error | null) => void): void;
  get(sql: string, cb: (err: Error | null, row: Record<string, unknown> | undefined) => void): void;
}

function run(conn: RawConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => conn.run(sql, (err) => (err ? reject(err) : resolve())));
}

function get(conn: RawConnection, sql: string): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) => conn.get(sql, (err, row) => (err ? reject(err) : resolve(row))));
}

/**
 * Keys a fresh connection and checks that it really is SQLCipher and that the key opens the file.
 * Throws SQLCIPHER_MISSING if `PRAGMA cipher_version` is empty (a plain SQLite build would silently write clear
 * text), WRONG_CREDENTIALS if the key does not open the file.
 */
export async function prepareConnection(conn: RawConnection, keyHex: string): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(keyHex)) throw new AppError('INTERNAL', 'clé de base de données invalide');
  await run(conn, `PRAGMA key = "x'${keyHex}'"`);
  const version = await get(conn, 'PRAGMA cipher_version');
  if (!version || !version['cipher_version']) {
    throw new AppError('SQLCIPHER_MISSING', "Cette installation de SQLite ne sait pas chiffrer (SQLCipher absent) : Solidariciel refuse d'ouvrir la base.");
  }
  await run(conn, 'PRAGMA cipher_log_level = NONE');
  try {
    await get(conn, 'SELECT count(*) AS n FROM sqlite_master');
  } catch {
    throw new AppError('WRONG_CREDENTIALS', "La clé ne permet pas d'ouvrir la base de données (fichier endommagé ou clé erronée).");
  }
  for (const pragma of [
    'PRAGMA journal_mode = WAL',
    'PRAGMA synchronous = NORMAL',
    'PRAGMA foreign_keys = OFF', // synced tables carry no FK constraints (DESIGN.md "Data model rules")
    'PRAGMA temp_store = MEMORY', // no temporary files on disk
    'PRAGMA secure_delete = ON',
    'PRAGMA cache_size = -65536', // 64 MiB of decrypted page cache
    'PRAGMA busy_timeout = 5000',
  ]) {
    await run(conn, pragma);
  }
}

/** Opens (or creates) the encrypted database file with the given 32-byte key (hex). One connection: writes are serial. */
export function openSqlCipher(filename: string, keyHex: string): Knex {
  return knexFactory({
    client: ClientSQLCipher as unknown as typeof knexFactory.Client,
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: RawConnection, done: (err: Error | null, conn: RawConnection) => void) => {
        prepareConnection(conn, keyHex).then(
          () => done(null, conn),
          (err: Error) => done(err, conn),
        );
      },
    },
    acquireConnectionTimeout: 30_000,
    // knex would print connection errors (wrong key) to the console; the caller reports them instead.
    log: { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined },
  });
}
