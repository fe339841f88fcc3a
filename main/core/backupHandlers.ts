/**
 * The backup channels (shared/contract/backup.ts) mapped to the backup services: the domain's own handler map,
 * merged into the core's in handlers.ts (STYLE.md "one handler map per domain").
 * `backup:verify` and `backup:restore` work without a session when given a password or the recovery code (the CLI);
 * without credentials they use the unlocked session's key and need the `users.manage` permission.
 */
import { AppError } from '../../shared/domain/errors';
import type { ParsedRequestOf } from '../../shared/contract';
import { listBackups } from '../services/backup/layout';
import { restoreBackup, verifyBackup, type BackupCredentials } from '../services/backup/restore';
import type { Handlers } from './dispatch';
import type { Session } from './session';

type BackupChannel = 'backup:status' | 'backup:setDestination' | 'backup:now' | 'backup:list' | 'backup:verify' | 'backup:restore';

/** Channels that may run without an unlocked session (with credentials). */
export const SESSIONLESS_BACKUP: readonly BackupChannel[] = ['backup:verify', 'backup:restore'];

export function backupHandlers(session: () => Session, current: () => Session | null): Pick<Handlers, BackupChannel> {
  const service = () => session().backup;
  /** Credentials from the request, else the session's key (administrators). */
  const credentials = (r: ParsedRequestOf<'backup:verify'>): BackupCredentials => {
    if (r.recoveryCode) return { recoveryCode: r.recoveryCode };
    if (r.password) {
      if (!r.userName) throw new AppError('VALIDATION', 'Nom d’utilisateur manquant pour ouvrir la sauvegarde.', { field: 'userName' });
      return { userName: r.userName, password: r.password };
    }
    const s = current();
    if (!s) throw new AppError('LOCKED', 'Donnez un mot de passe ou le code de secours pour ouvrir la sauvegarde, ou déverrouillez l’association.');
    s.ctx.access.require('users.manage');
    return { dbKey: new Uint8Array(s.association.dbKey) };
  };
  return {
    'backup:status': async () => service().status(),
    'backup:setDestination': async (r) => {
      const b = service();
      b.setDestination(r.to);
      return b.status();
    },
    'backup:now': async (r) => {
      const res = await service().now(r.to);
      return { path: res.path, createdAt: res.createdAt, bytes: res.bytes, blobsCopied: res.blobsCopied };
    },
    'backup:list': async (r) => ({ items: (await listBackups(r.to, session().association.associationId)).map(({ path, createdAt, bytes }) => ({ path, createdAt, bytes })) }),
    'backup:verify': async (r) => {
      const s = current();
      if (!r.password && !r.recoveryCode && s) return s.backup.verify(r.path);
      return verifyBackup(r.path, credentials(r));
    },
    'backup:restore': async (r) => {
      const report = await restoreBackup(r.path, r.into, credentials(r));
      await current()?.ctx.audit({ action: 'backup.restore', targetType: 'association', targetId: report.associationId, details: { into: report.dir, ok: report.ok } });
      return { ok: report.ok, papers: report.papers, problems: report.problems, dir: report.dir, mustReenroll: report.mustReenroll };
    },
  };
}
