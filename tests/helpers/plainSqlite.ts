/** Reads a plain (unencrypted) SQLite file, e.g. the output of `db raw-copy`, with the app's driver given no key. */
import { createRequire } from 'node:module';

interface PlainDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
type PlainDriver = new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => PlainDatabase;

/** Runs one query read-only on `file` and returns its rows. Throws if the file is not plain SQLite (e.g. encrypted). */
export function plainQuery(file: string, sql: string): Record<string, unknown>[] {
  const Driver = createRequire(import.meta.url)('better-sqlite3-multiple-ciphers') as PlainDriver;
  const db = new Driver(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
