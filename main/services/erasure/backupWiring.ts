/**
 * Erasures reach backups (docs/erasure.md "Backups", docs/backup.md "Hooks"): at each backup the register of erased
 * ids is written next to the backups (`erasures.json`, ids and dates only), and every restore re-applies the
 * erasures that register and the restored database's own register name, so a backup taken before an erasure never
 * brings the person back. Wired once by each composition root (the core and the CLI).
 */
import { backupHooks, type BackupHooks } from '../backup/hooks';
import { readErasureRegister } from '../../db/erasure';
import { erasureRegisterBytes, readErasureRegisterFile, REGISTER_FILE } from './registerFile';
import { reapplyErasuresToAssociation } from './erasureService';

const NAME = 'erasure-register';

/** Adds the erasure register's provider and restore step to `hooks` (the process-wide registry by default); idempotent. */
export function wireErasuresIntoBackups(hooks: BackupHooks = backupHooks): void {
  if (!hooks.destinationFiles.some((p) => p.name === NAME)) {
    hooks.destinationFiles.push({
      name: NAME,
      files: async ({ db, destination, associationId, now }) => [{ name: REGISTER_FILE, bytes: (await erasureRegisterBytes(db, destination, associationId, now)).bytes }],
    });
  }
  if (!hooks.afterRestore.some((s) => s.name === NAME)) {
    hooks.afterRestore.push({
      name: NAME,
      run: async ({ dir, db, associationId, destination }) => {
        const entries = [...(await readErasureRegisterFile(destination, associationId)), ...(await readErasureRegister(db))];
        await reapplyErasuresToAssociation(db, dir, entries);
      },
    });
  }
}
