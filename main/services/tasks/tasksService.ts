/**
 * Tasks (tâches): views "mine", "overdue" (not done, due before today) and "all"; a person's tasks on their page.
 *
 * Access (issue 3 §1, §4, §5; docs/access.md): `tasks.read` lists every task the user can decrypt, `tasks.readOwn`
 * only the tasks assigned to them or that they created; `tasks.write` creates and changes them (with readOwn only:
 * their own tasks, assigned to themselves or to nobody). Only its author changes the title, description or visibility
 * of a task narrower than everyone (a reseal is wrapped for its writer). A task whose visibility is narrower than the association
 * keeps its title and description sealed in `ciphertext` (`title` '' and `description` NULL in clear); tasks the
 * user cannot decrypt, and tasks about people they may not see, are left out as if they did not exist.
 */
import type { Knex } from 'knex';
import { v7 as uuidv7 } from 'uuid';
import { canonicalVisibility, type Visibility } from '../../../shared/domain/access';
import { parseStoredVisibility } from '../access/storedVisibility';
import { AppError } from '../../../shared/domain/errors';
import type { Task, TaskInput, TaskStatus, TaskView } from '../../../shared/domain/task';
import type { Row } from '../../db/mutations';
import { forbidden } from '../access/access';
import { scopeIdOf } from '../access/scopeKeys';
import { today, type ServiceContext } from '../context';

interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  person_id: string | null;
  assignee_id: string | null;
  due_date: string | null;
  priority: Task['priority'];
  status: Task['status'];
  completed_at: string | null;
  created_by: string | null;
  visibility: string;
  ciphertext: string | null;
  key_wraps: string | null;
  created_at: string;
  updated_at: string;
  person_first: string | null;
  person_last: string | null;
  assignee_name: string | null;
}

const TABLE = 'tasks';
const NOT_FOUND = () => new AppError('NOT_FOUND', 'Tâche introuvable.');

/** The confidential part of a task: sealed together when the visibility is narrower than everyone. */
interface TaskContent {
  title: string;
  description: string | null;
}

function fromRow(r: TaskRow, content: TaskContent, visibility: Visibility): Task {
  return {
    id: r.id,
    title: content.title,
    description: content.description,
    personId: r.person_id,
    assigneeId: r.assignee_id,
    dueDate: r.due_date,
    priority: r.priority,
    status: r.status,
    visibility,
    personName: r.person_id ? `${r.person_first ?? ''} ${r.person_last ?? ''}`.trim() : null,
    assigneeName: r.assignee_name,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Names of the task fields that differ (audit trail: names only). */
function changedFields(before: Task, after: TaskInput): string[] {
  const fields = ['title', 'description', 'personId', 'assigneeId', 'dueDate', 'priority', 'status'] as const;
  const out: string[] = fields.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
  if (JSON.stringify(canonicalVisibility(before.visibility)) !== JSON.stringify(canonicalVisibility(after.visibility))) out.push('visibility');
  return out;
}

export class TasksService {
  constructor(private readonly ctx: ServiceContext) {}

  /** True when the user sees only their own tasks (`tasks.readOwn` without `tasks.read`). */
  private ownOnly(): boolean {
    return !this.ctx.access.has('tasks.read');
  }

  /**
   * Tasks (alias t) with their person and assignee, limited to those the user may see apart from decryption: no
   * person or a person they may see, and (unless `ownership` is false) their own tasks only with `tasks.readOwn`.
   */
  private rows(db: Knex | Knex.Transaction, ownership = true): Knex.QueryBuilder {
    const q = db('tasks as t')
      .leftJoin('people as p', 'p.id', 't.person_id')
      .leftJoin('users as u', 'u.id', 't.assignee_id')
      .whereNull('t.deleted_at')
      .select('t.*', 'p.first_name as person_first', 'p.last_name as person_last', 'u.display_name as assignee_name');
    const access = this.ctx.access;
    const seesPeople = access.hasAny('people.read', 'people.readGroups');
    q.where((w) => {
      w.whereNull('t.person_id');
      if (seesPeople) w.orWhere((p) => void (access.scopePeople(p, 'p') ? p.whereNotNull('p.id') : p.whereRaw('0')));
    });
    if (ownership && this.ownOnly()) q.where((w) => w.where('t.assignee_id', this.ctx.user.id).orWhere('t.created_by', this.ctx.user.id));
    return q;
  }

  /** The title and description of a row, or null when the user cannot decrypt them. */
  private async content(r: TaskRow, visibility: Visibility): Promise<TaskContent | null> {
    if (visibility.kind === 'everyone' && r.ciphertext === null) return { title: r.title, description: r.description };
    const f = await this.ctx.scopes.openRecord<{ title?: unknown; description?: unknown }>(TABLE, r.id, r.ciphertext, r.key_wraps);
    if (!f || typeof f.title !== 'string') return null;
    return { title: f.title, description: typeof f.description === 'string' ? f.description : null };
  }

  private async decrypt(r: TaskRow): Promise<Task | null> {
    const visibility = parseStoredVisibility(r.visibility);
    const content = await this.content(r, visibility);
    return content ? fromRow(r, content, visibility) : null;
  }

  /**
   * Tasks of a view (and of one person if given) that the user may see, overdue first then by due date.
   * Throws FORBIDDEN (tasks.read) without tasks.read or tasks.readOwn.
   */
  async list(view: TaskView, personId?: string): Promise<Task[]> {
    this.ctx.access.requireAny('tasks.read', 'tasks.readOwn');
    const q = this.rows(this.ctx.db);
    if (personId) q.where('t.person_id', personId);
    if (view === 'mine') q.where('t.assignee_id', this.ctx.user.id).whereNot('t.status', 'done');
    if (view === 'overdue') q.whereNot('t.status', 'done').whereNotNull('t.due_date').where('t.due_date', '<', today(this.ctx.clock));
    q.orderByRaw("CASE t.status WHEN 'done' THEN 1 ELSE 0 END").orderByRaw('t.due_date IS NULL').orderBy('t.due_date').orderBy('t.created_at');
    const out: Task[] = [];
    for (const r of (await q) as TaskRow[]) {
      const task = await this.decrypt(r);
      if (task) out.push(task);
    }
    return out;
  }

  /**
   * Creates a task (`tasks.write`), sealed for its visibility when narrower than everyone. With `tasks.readOwn` only,
   * the task can be assigned to the user themselves or to nobody. Audited (task.create).
   * Throws FORBIDDEN, NOT_FOUND for an unknown (or not visible) person or assignee, VALIDATION for an unknown scope.
   * `id` is a new UUIDv7 unless the caller derives it (a renewal task's id comes from its paper's: expiryService.ts).
   */
  async create(input: TaskInput, id: string = uuidv7()): Promise<string> {
    this.ctx.access.require('tasks.write');
    this.checkAssignee(input);
    await this.ctx.db.transaction(async (trx) => {
      await this.check(trx, input);
      const visibility = canonicalVisibility(input.visibility);
      const content = await this.sealed(trx, id, input, visibility);
      await this.ctx.mutator.with(trx).insert(TABLE, [
        { id, ...content, ...this.plainColumns(input), completed_at: input.status === 'done' ? this.ctx.clock.now().toISOString() : null, created_by: this.ctx.user.id },
      ]);
      await this.ctx.audit({ action: 'task.create', targetType: 'task', targetId: id, details: { personId: input.personId, visibility: visibility.kind } }, trx);
    });
    return id;
  }

  /** Replaces a task the user may see and change (`tasks.write`). Audited (task.update, field names). Throws FORBIDDEN, NOT_FOUND, VALIDATION. */
  async update(id: string, input: TaskInput): Promise<void> {
    this.ctx.access.require('tasks.write');
    this.checkAssignee(input);
    await this.ctx.db.transaction(async (trx) => {
      const { row, task } = await this.require(trx, id);
      await this.check(trx, input);
      const fields = changedFields(task, input);
      if (fields.length === 0) return;
      const visibility = canonicalVisibility(input.visibility);
      // Resealed only when the content or its visibility changes (a new record key each time). A reseal wraps the key
      // for the writer, so only the task's author may reseal a restricted task: anyone else would lock them out.
      const reseal = fields.some((f) => f === 'title' || f === 'description' || f === 'visibility');
      const restricted = task.visibility.kind !== 'everyone' || visibility.kind !== 'everyone';
      if (reseal && restricted && row.created_by !== null && row.created_by !== this.ctx.user.id) {
        throw new AppError('FORBIDDEN', "Seul l'auteur d'une tâche à visibilité restreinte peut en changer le titre, la description ou la visibilité (l'échéance, la priorité, la personne chargée et l'état restent modifiables).");
      }
      const content = reseal ? await this.sealed(trx, id, input, visibility) : {};
      await this.ctx.mutator.with(trx).update(TABLE, id, { ...content, ...this.plainColumns(input), completed_at: this.completedAt(row, input.status) });
      await this.ctx.audit({ action: 'task.update', targetType: 'task', targetId: id, details: { fields } }, trx);
    });
  }

  /** Moves a task the user may see and change to `status` (`tasks.write`). Audited (task.update). */
  async setStatus(id: string, status: TaskStatus): Promise<void> {
    this.ctx.access.require('tasks.write');
    await this.ctx.db.transaction(async (trx) => {
      const { row } = await this.require(trx, id);
      if (row.status === status) return;
      await this.ctx.mutator.with(trx).update(TABLE, id, { status, completed_at: this.completedAt(row, status) });
      await this.ctx.audit({ action: 'task.update', targetType: 'task', targetId: id, details: { fields: ['status'] } }, trx);
    });
  }

  private plainColumns(t: TaskInput): Row {
    return { person_id: t.personId, assignee_id: t.assigneeId, due_date: t.dueDate, priority: t.priority, status: t.status };
  }

  /** The content columns for `visibility`: in clear for everyone, else sealed (`title` '' as the column is NOT NULL). */
  private async sealed(trx: Knex.Transaction, id: string, t: TaskInput, visibility: Visibility): Promise<Row> {
    const scope_id = scopeIdOf(visibility, this.ctx.user.id);
    const vis = JSON.stringify(visibility);
    if (visibility.kind === 'everyone') return { title: t.title, description: t.description, ciphertext: null, key_wraps: null, visibility: vis, scope_id };
    const fields: TaskContent = { title: t.title, description: t.description };
    const box = await this.ctx.scopes.sealRecord(trx, this.ctx.mutator, visibility, TABLE, id, { ...fields });
    return { title: '', description: null, ...box, visibility: vis, scope_id };
  }

  private completedAt(current: { status: string; completed_at: string | null }, status: TaskStatus): string | null {
    if (status !== 'done') return null;
    return current.status === 'done' ? current.completed_at : this.ctx.clock.now().toISOString();
  }

  /** With `tasks.readOwn` only, a task is assigned to the user or to nobody. */
  private checkAssignee(input: TaskInput): void {
    if (this.ownOnly() && input.assigneeId !== null && input.assigneeId !== this.ctx.user.id) throw forbidden('tasks.read');
  }

  /**
   * A task the user may change: NOT_FOUND when they cannot see it (deleted, person not visible, not decryptable),
   * FORBIDDEN (tasks.read) when it is someone else's and they may only handle their own.
   */
  private async require(trx: Knex.Transaction, id: string): Promise<{ row: TaskRow; task: Task }> {
    this.ctx.access.requireAny('tasks.read', 'tasks.readOwn');
    const row = (await this.rows(trx, false).where('t.id', id).first()) as TaskRow | undefined;
    const task = row ? await this.decrypt(row) : null;
    if (!row || !task) throw NOT_FOUND();
    if (this.ownOnly() && row.assignee_id !== this.ctx.user.id && row.created_by !== this.ctx.user.id) throw forbidden('tasks.read');
    return { row, task };
  }

  private async check(trx: Knex.Transaction, input: TaskInput): Promise<void> {
    if (input.personId) {
      const q = trx('people').where('people.id', input.personId).whereNull('people.deleted_at');
      const visible = this.ctx.access.hasAny('people.read', 'people.readGroups') && this.ctx.access.scopePeople(q, 'people');
      if (!visible || !(await q.first('people.id'))) throw new AppError('NOT_FOUND', 'La personne concernée par la tâche est introuvable.');
    }
    if (input.assigneeId && !(await trx('users').where({ id: input.assigneeId }).whereNull('deleted_at').first())) {
      throw new AppError('NOT_FOUND', "L'utilisateur à qui la tâche est confiée est introuvable.");
    }
  }
}
