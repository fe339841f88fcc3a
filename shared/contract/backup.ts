/** Channels of backups (docs/backup.md): destination per PC, backup now, history, verify, restore into a new folder. */
import { z } from 'zod';
import { channels } from './define';

const folder = z.string().trim().min(1, 'choisissez un dossier').max(1024);
const credentials = z.object({ userName: z.string().trim().min(1).max(64).optional(), password: z.string().min(1).max(1024).optional(), recoveryCode: z.string().trim().min(1).max(64).optional() });

export const backupItem = z.object({ path: z.string(), createdAt: z.string(), bytes: z.number().int().nonnegative() });
export const backupReport = z.object({ ok: z.boolean(), papers: z.number().int().nonnegative(), problems: z.array(z.string()) });

export const backupStatus = z.object({
  /** The destination chosen on this PC, or null. */
  destination: z.string().nullable(),
  lastGoodAt: z.string().nullable(),
  /** No good backup for 7 days (or never). */
  overdue: z.boolean(),
  items: z.array(backupItem.extend({ verified: z.boolean().nullable() })),
});

export const backupChannels = channels({
  'backup:status': { request: z.object({}), response: backupStatus },
  'backup:setDestination': { request: z.object({ to: folder }), response: backupStatus },
  'backup:now': { request: z.object({ to: folder.optional() }), response: backupItem.extend({ blobsCopied: z.number().int().nonnegative() }) },
  'backup:list': { request: z.object({ to: folder }), response: z.object({ items: z.array(backupItem) }) },
  /** Without credentials, the unlocked session's key opens the backup (a backup of this association only). */
  'backup:verify': { request: credentials.extend({ path: folder }), response: backupReport },
  'backup:restore': {
    request: credentials.extend({ path: folder, into: folder }),
    response: backupReport.extend({ dir: z.string(), mustReenroll: z.boolean() }),
  },
});
