/**
 * Papers to renew (docs/papers-expiry.md): the papers of people the user may see that expired or expire within a
 * window, the association's paper settings, a person's referent, and the automatic renewal task.
 *
 * The renewal task: `reminderDays` (default 60) before a paper's expiry date, one task « Renouveler … » about the
 * person, due on the expiry date, assigned to the person's referent when there is one, with the paper's visibility.
 * Once per paper: the task's id is a UUIDv5 of the paper's id, so the sweep never creates it twice on this PC, and
 * two PCs that both create it offline write the same row, which sync merges into one. A task deleted or done is
 * never recreated (the id is looked up with tombstones). The sweep runs at unlock and daily while unlocked
 * (Session), for the papers the unlocking user may read, and only when they may write tasks.
 */
import { v5 as uuidv5 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import { DOCUMENT_TYPE_LABELS_FR } from '../../../shared/domain/document';
import { typedDateOf } from '../../../shared/domain/dates';
import { parseStoredVisibility } from '../access/storedVisibility';
import { papersSettings, type ExpiringPaper, type PapersSettings } from '../../../shared/domain/papers';
import { today, type ServiceContext } from '../context';
import type { TasksService } from '../tasks/tasksService';
import type { VaultService } from '../vault/vaultService';

export const DEFAULT_PAPERS_SETTINGS: PapersSettings = { reminderDays: 60, tsaUrl: null };
const SETTINGS_ID = 'settings';
/** UUIDv5 namespace of the renewal tasks (RFC 9562 §5.5): task id = v5(`expiry-task/<paper id>`, this). */
const TASK_NAMESPACE = '6f1d3c2a-9b7e-4d1f-8a52-3c0e7b9d4f11';

/** The id of a paper's renewal task: the same on every device (RFC 9562 name-based UUID). */
export function renewalTaskId(documentId: string): string {
  return uuidv5(`solidariciel/v1/expiry-task/${documentId}`, TASK_NAMESPACE);
}

/** Whole days from `from` to `to` (YYYY-MM-DD, calendar days; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** `day` (YYYY-MM-DD) plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The association's paper settings (defaults when never saved). */
export async function readPapersSettings(db: ServiceContext['db']): Promise<PapersSettings> {
  const r = (await db('papers_settings').where({ id: SETTINGS_ID }).whereNull('deleted_at').first('reminder_days', 'tsa_url')) as { reminder_days: number; tsa_url: string | null } | undefined;
  if (!r) return { ...DEFAULT_PAPERS_SETTINGS };
  const parsed = papersSettings.safeParse({ reminderDays: r.reminder_days, tsaUrl: r.tsa_url });
  return parsed.success ? parsed.data : { ...DEFAULT_PAPERS_SETTINGS };
}

export class ExpiryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly vault: VaultService,
    private readonly tasks: TasksService,
  ) {}

  /**
   * Papers the user may read (`documents.read`, people they may see, papers whose key they hold) that expired or
   * expire within `withinDays` days from today, soonest first (expired ones first). Throws FORBIDDEN.
   */
  async expiring(withinDays: number, personId?: string): Promise<ExpiringPaper[]> {
    const now = today(this.ctx.clock);
    const limit = addDays(now, withinDays);
    const names = new Map<string, string>();
    const out: ExpiringPaper[] = [];
    for (const d of await this.vault.list(personId)) {
      if (!d.expiresOn || d.expiresOn > limit) continue;
      if (!names.has(d.personId)) {
        const p = (await this.ctx.db('people').where({ id: d.personId }).first('first_name', 'last_name')) as { first_name: string; last_name: string } | undefined;
        names.set(d.personId, p ? `${p.first_name} ${p.last_name}`.trim() : '');
      }
      out.push({ documentId: d.id, personId: d.personId, personName: names.get(d.personId)!, type: d.type, title: d.title, expiresOn: d.expiresOn, daysLeft: daysBetween(now, d.expiresOn) });
    }
    return out.sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.documentId.localeCompare(b.documentId));
  }

  /** The association's paper settings (any unlocked user: the desk needs to know whether receipts are time-stamped). */
  async settings(): Promise<PapersSettings> {
    return readPapersSettings(this.ctx.db);
  }

  /** Saves the paper settings (`settings.manage`); synced to every device. Audited (papers.settings). */
  async saveSettings(s: PapersSettings): Promise<PapersSettings> {
    this.ctx.access.require('settings.manage');
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const row = { reminder_days: s.reminderDays, tsa_url: s.tsaUrl };
      if (await trx('papers_settings').where({ id: SETTINGS_ID }).first('id')) await m.update('papers_settings', SETTINGS_ID, { ...row, deleted_at: null });
      else await m.insert('papers_settings', [{ id: SETTINGS_ID, ...row }]);
      await this.ctx.audit({ action: 'papers.settings', details: { reminderDays: s.reminderDays, tsa: s.tsaUrl !== null } }, trx);
    });
    return readPapersSettings(this.ctx.db);
  }

  /** The referent of a person the user may see (a user id), or null. Throws NOT_FOUND. */
  async referent(personId: string): Promise<string | null> {
    this.ctx.access.requireAny('people.read', 'people.readGroups');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    const r = (await this.ctx.db('people').where({ id: personId }).first('referent_id')) as { referent_id: string | null };
    return r.referent_id;
  }

  /** Sets (or clears) a person's referent (`people.write`; an active user). Audited (person.referent). Throws NOT_FOUND. */
  async setReferent(personId: string, userId: string | null): Promise<string | null> {
    this.ctx.access.require('people.write');
    await this.ctx.access.requirePerson(this.ctx.db, personId);
    if (userId && !(await this.ctx.db('users').where({ id: userId }).whereNull('deleted_at').first('id'))) throw new AppError('NOT_FOUND', 'Utilisateur introuvable : il ne peut pas être référent·e.');
    await this.ctx.db.transaction(async (trx) => {
      await this.ctx.mutator.with(trx).update('people', personId, { referent_id: userId });
      await this.ctx.audit({ action: 'person.referent', targetType: 'person', targetId: personId, details: { referentId: userId } }, trx);
    });
    return userId;
  }

  /**
   * Creates the renewal tasks due today: for each paper the user may read whose expiry is at most `reminderDays`
   * away (or passed) and whose task id was never written (tombstones included). Nothing when the user may not read
   * papers or write tasks (another user's unlock will). Returns the ids of the tasks created.
   */
  async runReminders(): Promise<string[]> {
    const a = this.ctx.access;
    if (!a.has('documents.read') || !a.has('tasks.write')) return [];
    const { reminderDays } = await this.settings();
    const created: string[] = [];
    for (const p of await this.expiring(reminderDays)) {
      const taskId = renewalTaskId(p.documentId);
      if (await this.ctx.db('tasks').where({ id: taskId }).first('id')) continue;
      const doc = (await this.ctx.db('documents').where({ id: p.documentId }).first('visibility')) as { visibility: string };
      const person = (await this.ctx.db('people').where({ id: p.personId }).first('referent_id')) as { referent_id: string | null };
      // With tasks.readOwn only, a task may be assigned to oneself or nobody (TasksService); a referent whose account
      // was removed gets nothing (the task stays unassigned).
      const active = person.referent_id ? await this.ctx.db('users').where({ id: person.referent_id }).whereNull('deleted_at').first('id') : null;
      const referent = active && (a.has('tasks.read') || person.referent_id === this.ctx.user.id) ? person.referent_id : null;
      const label = p.title ?? DOCUMENT_TYPE_LABELS_FR[p.type];
      const verb = p.daysLeft < 0 ? 'a expiré' : 'expire';
      const made = await this.tasks.create(
        {
          title: `Renouveler : ${label} de ${p.personName} (${verb} le ${typedDateOf(p.expiresOn)})`,
          description: `Tâche créée automatiquement ${reminderDays} jours avant l'expiration de la pièce (Pièces à renouveler).`,
          personId: p.personId,
          assigneeId: referent,
          dueDate: p.expiresOn,
          priority: p.daysLeft < 0 ? 'high' : 'normal',
          status: 'todo',
          visibility: parseStoredVisibility(doc.visibility),
        },
        taskId,
      ).catch((e: unknown) => {
        // One paper that cannot get its task (its person's scope changed meanwhile…) never blocks the others.
        if (e instanceof AppError) return null;
        throw e;
      });
      if (made) created.push(taskId);
    }
    if (created.length) await this.ctx.audit({ action: 'papers.reminders', details: { created: created.length } });
    return created;
  }
}
