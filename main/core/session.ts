/**
 * One unlocked association: the open database, the services over it, the current user with their rights and keys.
 * Built at unlock, destroyed at lock (database closed, keys wiped), so nothing of a session survives into the next.
 */
import { join } from 'node:path';
import { AppError } from '../../shared/domain/errors';
import type { SessionInfo } from '../../shared/domain/user';
import { wipe } from '../crypto/aead';
import type { KdfCost } from '../crypto/kdf';
import { Mutator } from '../db/mutations';
import { HybridLogicalClock } from '../sync/hlc';
import { VAULT_DIR, type OpenAssociation } from '../services/association/associationStore';
import type { CurrentUser, ServiceContext } from '../services/context';
import { Access, loadAccess } from '../services/access/access';
import { ScopeKeys } from '../services/access/scopeKeys';
import { appendAudit, type AuditRecord } from '../services/audit/auditLog';
import { AccessService } from '../services/access/accessService';
import { ImportService } from '../services/imports/importService';
import { NotesService } from '../services/notes/notesService';
import { ConsentsService } from '../services/notes/consentsService';
import { PeopleService } from '../services/people/peopleService';
import { TasksService } from '../services/tasks/tasksService';
import { UsersService } from '../services/users/usersService';
import { VaultService } from '../services/vault/vaultService';
import { OcrService } from '../services/ocr/ocrService';
import { TextSearch } from '../services/ocr/textSearch';
import type { Clock, Preferences } from './ports';
import { MemoryPreferences } from './filePreferences';
import { BackupService } from '../services/backup/backupService';
import { prepareSession } from './sessionStart';
import { SyncService } from '../services/sync/syncService';
import { ConflictsService } from '../services/sync/conflicts';
import { deviceAudience, loadDeviceSync } from '../services/sync/deviceSync';
import type { SyncProgress } from '../sync/engine';
import { maxKnownHlc } from '../sync/versions';
import { ExpiryService } from '../services/papers/expiryService';

/** How often the renewal tasks are swept while unlocked (docs/papers-expiry.md): daily. */
const REMINDER_SWEEP_MS = 24 * 60 * 60 * 1000;

/** How a host runs sessions: hosts with a window sync in the background; the CLI and tests do not. */
export interface SessionOptions {
  backgroundSync?: boolean;
  /** This PC's preferences (the backup destination); memory only when absent. */
  prefs?: Preferences;
  onSyncProgress?: (p: SyncProgress) => void;
  /** Progress of the background OCR (hosts forward it as the `ocr:progress` event). */
  onOcrProgress?: (p: { done: number; total: number; documentId: string }) => void;
}

export class Session {
  readonly people: PeopleService;
  /** Requests running on this session (see `run`); `close` waits for them before closing the database and wiping the key. */
  private inflight = 0;
  private idle: (() => void)[] = [];
  readonly tasks: TasksService;
  readonly users: UsersService;
  readonly vault: VaultService;
  /** The OCR queue of papers (docs/ocr.md); runs in the background where sync does (hosts with a window). */
  readonly ocr: OcrService;
  readonly textSearch: TextSearch;
  readonly imports: ImportService;
  readonly notes: NotesService;
  readonly consents: ConsentsService;
  readonly access: AccessService;
  readonly sync: SyncService;
  readonly conflicts: ConflictsService;
  readonly backup: BackupService;
  private reminderTimer: ReturnType<typeof setTimeout> | null = null;

  private constructor(
    readonly association: OpenAssociation,
    readonly ctx: ServiceContext,
    private name: string,
    private autoLockMinutes: number,
    hlc: HybridLogicalClock,
    cost?: KdfCost,
    options: SessionOptions = {},
  ) {
    this.people = new PeopleService(ctx);
    this.tasks = new TasksService(ctx);
    this.users = new UsersService(ctx, association, cost);
    this.vault = new VaultService(ctx, join(association.dir, VAULT_DIR));
    this.imports = new ImportService(ctx);
    this.notes = new NotesService(ctx);
    this.consents = new ConsentsService(ctx);
    this.access = new AccessService(ctx, association);
    this.sync = new SyncService(ctx, association, ctx.scopes.root, hlc, options.onSyncProgress);
    this.conflicts = new ConflictsService(ctx);
    // A paper opened before its blob came down: fetched from the hub at once (when this device syncs).
    this.vault.fetchMissing = (name) => this.sync.fetchBlob(name);
    this.ocr = new OcrService(ctx, this.vault, { run: (work) => this.run(work), ...(options.onOcrProgress ? { onProgress: options.onOcrProgress } : {}) });
    this.vault.onChanged = (id, change) => this.ocr.changed(id, change);
    this.textSearch = new TextSearch(ctx, this.vault);
    this.backup = new BackupService(ctx, association, options.prefs ?? new MemoryPreferences());
    if (options.backgroundSync) {
      this.sync.startBackground();
      // Scheduled backups run where the desk runs (the window's hosts), never in the CLI or tests.
      this.backup.startSchedule();
      this.startReminders();
      this.ocr.start();
    }
  }

  /**
   * Creates the renewal tasks that are due (ExpiryService.runReminders): right after unlock, then every 24 hours while
   * unlocked; each sweep runs as a request of this session, so a lock waits for it. A failure waits for the next sweep.
   */
  private startReminders(): void {
    const sweep = (delay: number) => {
      this.reminderTimer = setTimeout(() => {
        void this.run(() => new ExpiryService(this.ctx, this.vault, this.tasks).runReminders())
          .catch(() => undefined)
          .finally(() => {
            if (this.reminderTimer) sweep(REMINDER_SWEEP_MS);
          });
      }, delay);
      this.reminderTimer.unref?.();
    };
    sweep(0);
  }

  /** Loads the association's metadata, the current user's rights and keys, and builds the services. Audits the unlock. */
  static async start(association: OpenAssociation, clock: Clock, cost?: KdfCost, options: SessionOptions = {}): Promise<Session> {
    const { db } = association;
    const meta = new Map(((await db('meta').select('key', 'value')) as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const hlc = new HybridLogicalClock(meta.get('device_id') ?? 'unknown-device', () => clock.now().getTime());
    await seedClock(db, hlc);
    let row = await userRow(db, association.userId);
    if (!row) {
      // A device that joined a hub but could not finish its first pull: finish it now, then look again.
      const device = await loadDeviceSync({ db, dir: association.dir, hlc, audience: () => deviceAudience(db, association.keyring.slots.map((s) => s.userId)), now: () => clock.now().getTime() });
      if (device) {
        await device.engine.sync();
        row = await userRow(db, association.userId);
      }
    }
    if (!row) throw new AppError('NOT_AN_ASSOCIATION', "L'utilisateur de ce trousseau est absent de la base.");
    const user: CurrentUser = { id: row.id, name: row.name, displayName: row.display_name };
    const mutator = new Mutator(db, hlc, clock);
    const access = new Access(row.id, await loadAccess(db, row.id));
    const scopes = new ScopeKeys(db, row.id, association.keys, association.associationId);
    const ctx: ServiceContext = {
      db,
      mutator,
      clock,
      user,
      access,
      scopes,
      audit: (records: AuditRecord | AuditRecord[], trx) => appendAudit(trx ?? db, { id: user.id, name: user.name }, Array.isArray(records) ? records : [records], () => clock.now()),
    };
    // A failure here (damaged row) must not leave the scope keys opened so far in memory.
    await prepareSession(association, ctx, cost).catch(async (e: unknown) => {
      await scopes.wipe();
      throw e;
    });
    return new Session(association, ctx, meta.get('association_name') ?? '', Number(meta.get('auto_lock_minutes') ?? 10), hlc, cost, options);
  }

  info(): SessionInfo {
    const u = this.ctx.user;
    const a = this.ctx.access;
    return {
      associationId: this.association.associationId,
      associationName: this.name,
      dir: this.association.dir,
      user: { id: u.id, name: u.name, displayName: u.displayName, isAdmin: a.has('users.manage'), disabled: false, roleId: a.roleId, roleName: a.roleName, groupIds: [...a.groupIds] },
      permissions: a.permissions,
      autoLockMinutes: this.autoLockMinutes,
      ...(this.association.warnings?.length ? { warnings: this.association.warnings } : {}),
    };
  }

  /** Sets the idle delay before the window locks itself (`settings.manage`). */
  async setAutoLockMinutes(minutes: number): Promise<void> {
    this.ctx.access.require('settings.manage');
    await this.ctx.db.transaction(async (trx) => {
      await trx('meta').insert({ key: 'auto_lock_minutes', value: String(minutes) }).onConflict('key').merge();
      await this.ctx.audit({ action: 'settings.update', details: { autoLockMinutes: minutes } }, trx);
    });
    this.autoLockMinutes = minutes;
  }

  /**
   * Runs one request on this session. `close` waits until every such request has settled: a lock arriving while a
   * password change or a user addition is sealing the database key must not wipe the key under it (the slot would
   * seal 32 zero bytes and the user could never unlock again), nor close the database in the middle of a write.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.inflight++;
    try {
      return await work();
    } finally {
      if (--this.inflight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /**
   * Waits for the requests in flight (`run`), records the lock, then closes the database and wipes every key. The
   * caller must have made the session unreachable first (no new request may start). The session is unusable afterwards.
   */
  async close(reason: 'user' | 'idle' = 'user'): Promise<void> {
    if (this.reminderTimer) clearTimeout(this.reminderTimer);
    this.reminderTimer = null;
    await this.ocr.stop();
    await this.sync.stop();
    await this.backup.stop();
    if (this.inflight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.ctx.audit({ action: 'session.lock', details: { reason } }).catch(() => undefined);
    await this.association.db.destroy();
    await this.ctx.scopes.wipe();
    const k = this.association.keys;
    await wipe(this.association.dbKey, k.boxSecretKey, k.signSecretKey);
  }
}

async function userRow(db: OpenAssociation['db'], id: string): Promise<{ id: string; name: string; display_name: string } | undefined> {
  return (await db('users').where({ id }).first()) as { id: string; name: string; display_name: string } | undefined;
}

/** Starts the clock past every timestamp this device already wrote or received: a wall clock set back never reorders writes. */
async function seedClock(db: OpenAssociation['db'], hlc: HybridLogicalClock): Promise<void> {
  const known = await maxKnownHlc(db);
  if (known) hlc.observe(known);
}
