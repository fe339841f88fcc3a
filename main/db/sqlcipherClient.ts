/**
 * knex over SQLCipher 4 files: knex's better-sqlite3 client whose driver is `better-sqlite3-multiple-ciphers`
 * (better-sqlite3 built with SQLite3 Multiple Ciphers, prebuilt N-API binaries for Windows, macOS and Linux inside
 * its npm package; why this binding: docs/architecture.md "SQLCipher engine"). Every connection selects the SQLCipher
 * scheme with its version 4 defaults, then is keyed with a raw 256-bit key in the pool's `afterCreate`, before any
 * other statement (https://utelle.github.io/SQLite3MultipleCiphers/docs/ciphers/cipher_sqlcipher/). Files written
 * by the previous binding (`@journeyapps/sqlcipher`, SQLCipher 4) open unchanged.
 *
 * The driver is synchronous: each statement runs on the calling thread (the core's own process under Electron,
 * docs/electron.md), so a long statement holds that thread, never the window's.
 */
import { createRequire } from 'node:module';
import knexFactory, { type Knex } from 'knex';
import { AppError } from '../../shared/domain/errors';

const require = createRequire(import.meta.url);
// knex ships its dialects as CommonJS classes; we subclass the better-sqlite3 one.
const ClientBetterSQLite3 = require('knex/lib/dialects/better-sqlite3/index.js') as new (config: Knex.Config) => object;

/** The driver module: better-sqlite3's API over SQLite3 Multiple Ciphers. */
export const DRIVER_MODULE = 'better-sqlite3-multiple-ciphers';

/** N-API version the engine's prebuilt binaries are built for (Node ≥ 22.14, Electron ≥ 34). */
const NAPI_NEEDED = 10;

/**
 * Refuses a Node too old for the engine's binaries (on Node 20 the add-on loads, then crashes the process at its first
 * statement, without a message). Throws SQLCIPHER_MISSING naming the cause. Called before knex loads the driver
 * (knex would turn the error into an anonymous one).
 */
export function assertEngineRuntime(napiVersion: string | undefined = process.versions.napi): void {
  if (Number(napiVersion ?? 0) < NAPI_NEEDED) {
    throw new AppError(
      'SQLCIPHER_MISSING',
      `Le moteur SQLCipher demande Node 22.14 ou plus récent (N-API ${NAPI_NEEDED}) ; ce processus tourne sous Node ${process.versions.node}. Lancez les commandes par npm (npm test, npm run …), qui utilisent le Node du projet (docs/testing.md).`,
    );
  }
}

class ClientSQLCipher extends ClientBetterSQLite3 {
  _driver(): unknown {
    return require(DRIVER_MODULE);
  }
}

/** What prepareConnection needs of a better-sqlite3 connection. */
export interface CipherConnection {
  exec(sql: string): unknown;
  prepare(sql: string): { get(): unknown };
}

function get(conn: CipherConnection, sql: string): Record<string, unknown> | undefined {
  return conn.prepare(sql).get() as Record<string, unknown> | undefined;
}

/**
 * The SQLite3 Multiple Ciphers version of the connection, or null when the library is not that build (a plain
 * SQLite has no `sqlite3mc_version()` function and ignores `PRAGMA key`: it would write clear text).
 */
export function cipherEngineVersion(conn: CipherConnection): string | null {
  try {
    const v = get(conn, 'SELECT sqlite3mc_version() AS v')?.['v'];
    return typeof v === 'string' && v !== '' ? v : null;
  } catch {
    return null;
  }
}

/** Pragmas run on every keyed connection, in this order. */
export const CONNECTION_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = OFF', // synced tables carry no FK constraints (DESIGN.md "Data model rules")
  'PRAGMA temp_store = MEMORY', // no temporary files on disk
  'PRAGMA secure_delete = ON',
  'PRAGMA cache_size = -65536', // 64 MiB of decrypted page cache
  'PRAGMA busy_timeout = 5000',
] as const;

/** The first column of the first row `sql` returns, or undefined when it returns no row. */
function first(conn: CipherConnection, sql: string): unknown {
  const row = get(conn, sql);
  return row ? Object.values(row)[0] : undefined;
}

const MISSING = "Cette installation de SQLite ne sait pas chiffrer (SQLCipher absent) : Solidariciel refuse d'ouvrir la base.";

/**
 * Keys a fresh connection and checks that it really is an encrypting SQLite and that the key opens the file:
 * `PRAGMA cipher = 'sqlcipher'` and `PRAGMA legacy = 4` (the SQLCipher 4 format: page size 4096, HMAC-SHA512,
 * PBKDF2-SHA512 256,000 iterations for passphrases; with a raw key no KDF runs) before the raw key.
 *
 * SQLite3 Multiple Ciphers has no `PRAGMA cipher_version` (SQLCipher's check). Its equivalents, both required: the
 * cipher pragmas answer with the scheme and version selected (a plain SQLite ignores unknown pragmas and answers
 * nothing; checked before the key and before the file is read), and `sqlite3mc_version()` exists (checked once the
 * key opened the file). Throws SQLCIPHER_MISSING when either fails, WRONG_CREDENTIALS if the key does not open the
 * file; nothing is written to the file before both checks passed.
 */
export function prepareConnection(conn: CipherConnection, keyHex: string): void {
  if (!/^[0-9a-f]{64}$/.test(keyHex)) throw new AppError('INTERNAL', 'clé de base de données invalide');
  if (first(conn, "PRAGMA cipher = 'sqlcipher'") !== 'sqlcipher' || String(first(conn, 'PRAGMA legacy = 4')) !== '4') {
    throw new AppError('SQLCIPHER_MISSING', MISSING);
  }
  conn.exec(`PRAGMA key = "x'${keyHex}'"`);
  try {
    get(conn, 'SELECT count(*) AS n FROM sqlite_master');
  } catch {
    throw new AppError('WRONG_CREDENTIALS', "La clé ne permet pas d'ouvrir la base de données (fichier endommagé ou clé erronée).");
  }
  if (!cipherEngineVersion(conn)) throw new AppError('SQLCIPHER_MISSING', MISSING);
  for (const pragma of CONNECTION_PRAGMAS) conn.exec(pragma);
}

/** Opens (or creates) the encrypted database file with the given 32-byte key (hex). One connection: writes are serial. */
export function openSqlCipher(filename: string, keyHex: string): Knex {
  assertEngineRuntime();
  return knexFactory({
    client: ClientSQLCipher as unknown as typeof knexFactory.Client,
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: CipherConnection & { close(): unknown }, done: (err: Error | null, conn: CipherConnection) => void) => {
        try {
          prepareConnection(conn, keyHex);
        } catch (e) {
          // knex does not close a connection whose afterCreate failed: close it here (a wrong key leaves no handle open).
          try {
            conn.close();
          } catch {
            // already unusable
          }
          done(e as Error, conn);
          return;
        }
        done(null, conn);
      },
    },
    acquireConnectionTimeout: 30_000,
    // knex would print connection errors (wrong key) to the console; the caller reports them instead.
    log: { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined },
  });
}
