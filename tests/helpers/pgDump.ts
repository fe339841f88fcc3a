/** Reading everything a PostgreSQL hub schema stores, to grep it for plaintext that must never be there. */
import pg from 'pg';
import { PG_URL } from '../hub/helpers';

/** Every value stored by a PostgreSQL hub schema, concatenated (bytea as raw bytes). */
export async function pgDump(schema: string): Promise<Buffer> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const tables = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema])).rows as { table_name: string }[];
    const parts: Buffer[] = [];
    for (const { table_name } of tables) {
      for (const row of (await client.query(`SELECT * FROM "${schema}"."${table_name}"`)).rows as Record<string, unknown>[]) {
        for (const v of Object.values(row)) parts.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
      }
    }
    return Buffer.concat(parts);
  } finally {
    await client.end();
  }
}
