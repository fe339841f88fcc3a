/**
 * Backups of the unlocked association (docs/backup.md): the destination chosen on this PC (a host preference, never
 * in the association database), « Sauvegarder maintenant », history with what was verified, the status line, and
 * the schedule (at unlock, then every 24 h of use) with rotation after each backup.
 */
import { resolve } from 'node:path';
import { AppError } from '../../../shared/domain/errors';
import type { Preferences } from '../../core/ports';
import type { OpenAssociation } from '../association/associationStore';
import type { ServiceContext } from '../context';
import { listBackups, type BackupEntry } from './layout';
import { DEFAULT_ROTATION, rotate } from './rotation';
import { collectBlobs, removeBackup } from './blobGc';
import { verifyBackup } from './restore';
import { backupNow, type BackupResult } from './writeBackup';

/** What this PC keeps about one association's backups (preference `backup.<associationId>`). */
interface BackupPrefs {
  destination?: string;
  lastGoodAt?: string;
  /** Verification results by backup path. */
  verified?: Record<string, boolean>;
}

/** A good backup older than this is overdue: the status line warns. */
export const OVERDUE_MS = 7 * 86_400_000;
/** The schedule: a backup when the last good one is older than this, checked at unlock and every `CHECK_MS`. */
export const EVERY_MS = 86_400_000;
const CHECK_MS = 15 * 60_000;

export class BackupService {
  private running: Promise<BackupResult> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly association: OpenAssociation,
    private readonly prefs: Preferences,
  ) {}

  private get key(): string {
    return `backup.${this.association.associationId}`;
  }

  private read(): BackupPrefs {
    const v = this.prefs.get(this.key);
    return v && typeof v === 'object' ? (v as BackupPrefs) : {};
  }

  private write(change: Partial<BackupPrefs>): void {
    this.prefs.set(this.key, { ...this.read(), ...change });
  }

  /** Destination, last good backup, overdue flag and history (newest first). */
  async status(): Promise<{ destination: string | null; lastGoodAt: string | null; overdue: boolean; items: (Omit<BackupEntry, 'associationId'> & { verified: boolean | null })[] }> {
    const p = this.read();
    const items = p.destination ? await listBackups(p.destination, this.association.associationId) : [];
    const lastGoodAt = p.lastGoodAt ?? items[0]?.createdAt ?? null;
    const overdue = !lastGoodAt || this.ctx.clock.now().getTime() - Date.parse(lastGoodAt) > OVERDUE_MS;
    return { destination: p.destination ?? null, lastGoodAt, overdue, items: items.map((i) => ({ path: i.path, createdAt: i.createdAt, bytes: i.bytes, verified: p.verified?.[i.path] ?? null })) };
  }

  /** Chooses the destination folder on this PC (absolute). */
  setDestination(to: string): void {
    this.write({ destination: resolve(to) });
  }

  /**
   * One backup now into `to` (default: the chosen destination), then rotation of that destination's backups of this
   * association (7 daily, 4 weekly, 12 monthly). Two calls at once share one run. Audited.
   * @throws AppError VALIDATION when no destination is chosen or it cannot be written.
   */
  async now(to?: string): Promise<BackupResult> {
    if (this.running) return this.running;
    const destination = to ? resolve(to) : this.read().destination;
    if (!destination) throw new AppError('VALIDATION', 'Aucun dossier de sauvegarde choisi pour ce poste : choisissez-en un dans « Sauvegardes ».', { field: 'to' });
    const run = (async () => {
      const { dir, db, dbKey, associationId } = this.association;
      const result = await backupNow({ dir, db, dbKey, associationId }, destination, this.ctx.clock.now());
      if (!to || destination === this.read().destination) this.write({ lastGoodAt: result.createdAt });
      const { remove } = rotate(await listBackups(destination, associationId), DEFAULT_ROTATION);
      for (const old of remove) await removeBackup(old.path);
      // Blobs no remaining backup names (blobGc.ts: never one a backup still names; a crash leaves every backup whole).
      const blobs = await collectBlobs(destination);
      await this.ctx.audit({
        action: 'backup.create',
        targetType: 'association',
        targetId: associationId,
        details: { bytes: result.bytes, blobsCopied: result.blobsCopied, removed: remove.length, blobsRemoved: blobs.removed },
      });
      return result;
    })();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  /** Verifies one backup of this association with the session's key (`users.manage`), and remembers the result. Throws FORBIDDEN. */
  async verify(path: string): Promise<{ ok: boolean; papers: number; problems: string[] }> {
    this.ctx.access.require('users.manage');
    const report = await verifyBackup(path, { dbKey: new Uint8Array(this.association.dbKey) });
    this.write({ verified: { ...this.read().verified, [resolve(path)]: report.ok } });
    return report;
  }

  /** Starts the schedule: a backup at once if due, then a check every 15 minutes while the session lasts. */
  startSchedule(): void {
    const tick = () => {
      const p = this.read();
      const due = p.destination && (!p.lastGoodAt || this.ctx.clock.now().getTime() - Date.parse(p.lastGoodAt) >= EVERY_MS);
      if (due) this.now().catch(() => undefined); // the status line shows the last good backup; a failure is retried
    };
    tick();
    this.timer = setInterval(tick, CHECK_MS);
    this.timer.unref();
  }

  /** Stops the schedule and waits for a backup under way (the lock must not close the database under it). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
