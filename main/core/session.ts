/**
 * One unlocked association: the open database, the services over it, and the current user. Built at unlock,
 * destroyed at lock (database closed, keys wiped), so nothing of a session survives into the next one.
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
import { ImportService } from '../services/imports/importService';
import { PeopleService } from '../services/people/peopleService';
import { TasksService } from '../services/tasks/tasksService';
import { UsersService } from '../services/users/usersService';
import { VaultService } from '../services/vault/vaultService';
import type { Clock } from './ports';

export class Session {
  readonly people: PeopleService;
  /** Requests running on this session (see `run`); `close` waits for them before closing the database and wiping the key. */
  private inflight = 0;
  private idle: (() => void)[] = [];
  readonly tasks: TasksService;
  readonly users: UsersService;
  readonly vault: VaultService;
  readonly imports: ImportService;

  private constructor(
    readonly association: OpenAssociation,
    readonly ctx: ServiceContext,
    private name: string,
    private autoLockMinutes: number,
    cost?: KdfCost,
  ) {
    this.people = new PeopleService(ctx);
    this.tasks = new TasksService(ctx);
    this.users = new UsersService(ctx, association, cost);
    this.vault = new VaultService(ctx, join(association.dir, VAULT_DIR));
    this.imports = new ImportService(ctx);
  }

  /** Loads the association's metadata and the current user, and builds the services. */
  static async start(association: OpenAssociation, clock: Clock, cost?: KdfCost): Promise<Session> {
    const { db } = association;
    const meta = new Map(((await db('meta').select('key', 'value')) as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const row = (await db('users').where({ id: association.userId }).first()) as { id: string; name: string; display_name: string; is_admin: number } | undefined;
    if (!row) throw new AppError('NOT_AN_ASSOCIATION', "L'utilisateur de ce trousseau est absent de la base.");
    const user: CurrentUser = { id: row.id, name: row.name, displayName: row.display_name, isAdmin: row.is_admin === 1 };
    const hlc = new HybridLogicalClock(meta.get('device_id') ?? 'unknown-device', () => clock.now().getTime());
    const ctx: ServiceContext = { db, mutator: new Mutator(db, hlc, clock), clock, user };
    return new Session(association, ctx, meta.get('association_name') ?? '', Number(meta.get('auto_lock_minutes') ?? 10), cost);
  }

  info(): SessionInfo {
    const u = this.ctx.user;
    return {
      associationId: this.association.associationId,
      associationName: this.name,
      dir: this.association.dir,
      user: { id: u.id, name: u.name, displayName: u.displayName, isAdmin: u.isAdmin, disabled: false },
      autoLockMinutes: this.autoLockMinutes,
    };
  }

  /** Sets the idle delay before the window locks itself (administrators only). */
  async setAutoLockMinutes(minutes: number): Promise<void> {
    if (!this.ctx.user.isAdmin) throw new AppError('FORBIDDEN', 'Seul un administrateur peut changer ce réglage.');
    await this.ctx.db('meta').insert({ key: 'auto_lock_minutes', value: String(minutes) }).onConflict('key').merge();
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
   * Waits for the requests in flight (`run`), then closes the database and wipes the key. The caller must have made
   * the session unreachable first (no new request may start). The session object is unusable afterwards.
   */
  async close(): Promise<void> {
    if (this.inflight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.association.db.destroy();
    await wipe(this.association.dbKey);
  }
}
