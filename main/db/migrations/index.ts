/**
 * The ordered list of migrations and the knex migration source that serves them from code (no directory scanning,
 * so bundling and packaging cannot lose a file).
 */
import type { Knex } from 'knex';
import { AppError } from '../../../shared/domain/errors';
import type { Migration } from './types';
import { m0010 } from './0010_initial';
import { m0020 } from './0020_access';
import { m0030 } from './0030_sync';
import { m0040 } from './0040_signed_access';
import { m0060 } from './0060_erasure_retention';
import { m0070 } from './0070_search_birth_date';
import { m0080 } from './0080_retention_reviews';
import { m0100 } from './0100_treasury_dues';
import { m0110 } from './0110_gifts_receipts';
import { m0120 } from './0120_ledger';
import { m0130 } from './0130_volunteers';
import { m0140 } from './0140_agenda';
import { m0150 } from './0150_messages';
import { m0160 } from './0160_papers';
import { m0170 } from './0170_ocr';


export const MIGRATIONS: readonly Migration[] = [m0010, m0020, m0030, m0040, m0060, m0070, m0080, m0100, m0110, m0120, m0130, m0140, m0150, m0160, m0170];

const TABLE = 'knex_migrations';

class CodeMigrationSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly list: readonly Migration[]) {}
  getMigrations(): Promise<Migration[]> {
    return Promise.resolve([...this.list]);
  }
  getMigrationName(m: Migration): string {
    return m.name;
  }
  getMigration(m: Migration): Promise<Knex.Migration> {
    return Promise.resolve({ up: (knex: Knex) => m.up(knex), down: () => Promise.reject(new Error('no down migrations')) });
  }
}

/** Names of the migrations already applied to `db` (empty for a new database). */
export async function appliedMigrations(db: Knex): Promise<string[]> {
  if (!(await db.schema.hasTable(TABLE))) return [];
  const rows = (await db(TABLE).select('name').orderBy('id')) as { name: string }[];
  return rows.map((r) => r.name);
}

/**
 * Brings `db` up to `upTo` (default: the latest). Refuses (DB_NEWER_VERSION) a database that holds a migration this
 * version does not know: it was written by a newer Solidariciel and opening it could lose data.
 */
export async function migrate(db: Knex, upTo: readonly Migration[] = MIGRATIONS): Promise<void> {
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = (await appliedMigrations(db)).filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new AppError(
      'DB_NEWER_VERSION',
      `Cette association a été enregistrée par une version plus récente de Solidariciel (${unknown.join(', ')}). Mettez Solidariciel à jour pour l'ouvrir.`,
    );
  }
  await db.migrate.latest({ migrationSource: new CodeMigrationSource(upTo), tableName: TABLE });
}
