/**
 * The hub's database through knex: an embedded SQLite file (`DATA/hub.sqlite`, one head-office server) or PostgreSQL
 * (`postgres://…`, any number of hub processes). SQLite goes through the app's driver (`better-sqlite3-multiple-ciphers`,
 * main/db/sqlcipherClient.ts) without a key, i.e. as plain SQLite: the hub only ever stores ciphertext and routing
 * metadata, so there is nothing for it to encrypt.
 *
 * PostgreSQL URLs may carry `?schema=NAME`: the hub then works inside that schema (created if missing), which is how
 * the tests and the bench isolate their runs in one database.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrationSource } from './migrations';

const require = createRequire(import.meta.url);
// knex ships its dialects as CommonJS classes; the better-sqlite3 one is subclassed to load the app's SQLite build.
const ClientBetterSQLite3 = require('knex/lib/dialects/better-sqlite3/index.js') as new (config: Knex.Config) => object;

class ClientHubSQLite extends ClientBetterSQLite3 {
  _driver(): unknown {
    // Its prebuilt binaries need N-API 10 (Node ≥ 22.14): on an older Node the process would crash at the first statement.
    if (Number(process.versions.napi ?? 0) < 10) throw new Error(`SQLite demande Node 22.14 ou plus récent ; ce processus tourne sous Node ${process.versions.node}.`);
    return require('better-sqlite3-multiple-ciphers');
  }
}

export type Dialect = 'sqlite' | 'pg';

export interface HubDatabase {
  knex: Knex;
  dialect: Dialect;
  /** Human name for logs and the CLI: "SQLite" or "PostgreSQL". */
  label: string;
}

interface RawConnection {
  exec(sql: string): unknown;
}

const quiet = { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined };
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function pragmas(conn: RawConnection): void {
  for (const sql of ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL', 'PRAGMA busy_timeout = 5000', 'PRAGMA foreign_keys = OFF']) conn.exec(sql);
}

/** Splits `?schema=` off a PostgreSQL URL. Throws when the schema name is not a plain lower-case identifier. */
export function parsePostgresUrl(databaseUrl: string): { connectionString: string; schema: string | null } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) throw new Error(`nom de schéma PostgreSQL invalide : ${schema}`);
  return { connectionString: url.toString(), schema };
}

/**
 * Opens the database and brings it to the latest migration. `databaseUrl` starting with `postgres://` (or
 * `postgresql://`) selects PostgreSQL; otherwise SQLite in `dataDir/hub.sqlite`. `until` stops the migrations at that
 * one (tests of a migration: bring a database to the step before, insert, then open it normally).
 */
export async function openHubDatabase(dataDir: string, databaseUrl?: string, poolMax = 10, until?: string): Promise<HubDatabase> {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { connectionString, schema } = parsePostgresUrl(databaseUrl);
    const knex = knexFactory({
      client: 'pg',
      connection: { connectionString },
      ...(schema ? { searchPath: [schema] } : {}),
      pool: { min: 0, max: Math.max(2, poolMax) }, // ≥ 2: the migration lock holds one connection
      acquireConnectionTimeout: 30_000,
      log: quiet,
    });
    const db: HubDatabase = { knex, dialect: 'pg', label: 'PostgreSQL' };
    try {
      await migratePostgres(knex, schema, until);
    } catch (e) {
      await knex.destroy();
      throw e;
    }
    return db;
  }
  if (databaseUrl) throw new Error('adresse de base non reconnue (attendu : postgres://…)');
  const knex = knexFactory({
    client: ClientHubSQLite as unknown as typeof knexFactory.Client,
    connection: { filename: join(dataDir, 'hub.sqlite') },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: RawConnection, done: (err: Error | null, conn: RawConnection) => void) => {
        try {
          pragmas(conn);
        } catch (e) {
          done(e as Error, conn);
          return;
        }
        done(null, conn);
      },
    },
    acquireConnectionTimeout: 30_000,
    log: quiet,
  });
  try {
    await knex.migrate.latest({ migrationSource: migrationSource('sqlite', until) });
  } catch (e) {
    await knex.destroy();
    throw e;
  }
  return { knex, dialect: 'sqlite', label: 'SQLite' };
}

/**
 * Several hub processes may start at once on one PostgreSQL: a transaction-scoped advisory lock makes them migrate
 * one after the other (knex's own migration lock refuses instead of waiting).
 */
async function migratePostgres(knex: Knex, schema: string | null, until?: string): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`solidariciel-hub-migrate:${schema ?? ''}`]);
    if (schema) await trx.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  });
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`solidariciel-hub-migrate:${schema ?? ''}`]);
    // The migrations run on other pool connections while this one holds the lock.
    await knex.migrate.latest({ migrationSource: migrationSource('pg', until) });
  });
}

interface PgConnection {
  query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Runs a named prepared statement on a pooled PostgreSQL connection, straight through the pg driver: PostgreSQL
 * parses and plans it once per connection, and knex's query formatting is skipped on the hottest paths.
 */
export async function pgPrepared(knex: Knex, statement: { name: string; text: string }, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
  const client = knex.client as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    return await conn.query({ name: statement.name, text: statement.text, values });
  } finally {
    await client.releaseConnection(conn);
  }
}
