/**
 * A consistent copy of the open encrypted database, taken without holding the desk (docs/backup.md "Snapshot").
 *
 * SQLite's `VACUUM INTO` (https://sqlite.org/lang_vacuum.html#vacuuminto) writes a transactionally consistent copy
 * from one read transaction; under SQLite3 Multiple Ciphers the new file is encrypted with the source's cipher and
 * key (checked by tests/backup: no plaintext in it). The online backup API (`db.backup()`) cannot be used: SQLite3MC
 * refuses it between an encrypted source and a target it opened without a key.
 *
 * It runs in a worker thread on its own read connection: in WAL mode a reader never blocks the writer, so the desk
 * keeps writing through the session's connection while the copy is made, and the core's event loop stays free.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DRIVER_MODULE } from '../../db/sqlcipherClient';

const require = createRequire(import.meta.url);

/** The worker's code, plain CommonJS (no bundling needed): open read-only, key, VACUUM INTO, close. */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Driver = require(workerData.driver);
const db = new Driver(workerData.source, { readonly: true, fileMustExist: true });
try {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.exec('PRAGMA key = "x\\'' + workerData.keyHex + '\\'"');
  db.pragma('busy_timeout = 5000');
  db.prepare('VACUUM INTO ?').run(workerData.target);
} finally {
  db.close();
}
parentPort.postMessage('done');
`;

/**
 * Writes an encrypted, consistent copy of `source` (an SQLCipher database in WAL mode) to `target`, a path where
 * nothing exists yet. The copy is not fsynced here (the caller fsyncs the whole backup before renaming it into place).
 * @param dbKey the raw 32-byte database key (stays in this process: the worker is a thread).
 * @throws the SQLite error (wrong key, disk full, target exists…) as an Error.
 */
export function snapshotDatabase(source: string, dbKey: Uint8Array, target: string): Promise<void> {
  const keyHex = Buffer.from(dbKey).toString('hex');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { driver: require.resolve(DRIVER_MODULE), source, target, keyHex } });
    let done = false;
    worker.once('message', () => {
      done = true;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (done ? resolve() : reject(new Error(`copie de la base interrompue (code ${code})`))));
  });
}
