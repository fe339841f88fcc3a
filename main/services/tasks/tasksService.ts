/**
 * Tasks (tâches): views "mine", "overdue" (not done, due before today) and "all"; a person's tasks on their page.
 */
import { AppError } from '../../../shared/domain/errors';
import type { Task, TaskInput, TaskStatus, TaskView } from '../../../shared/domain/task';
import type { Row } from '../../db/mutations';
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
  created_at: string;
  updated_at: string;
  person_first: string | null;
  person_last: string | null;
  assignee_name: string | null;
}

function toRow(t: TaskInput): Row {
  return { title: t.title, description: t.description, person_id: t.personId, assignee_id: t.assigneeId, due_date: t.dueDate, priority: t.priority, status: t.status };
}

function fromRow(r: TaskRow): Task {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    personId: r.person_id,
    assigneeId: r.assignee_id,
    dueDate: r.due_date,
    priority: r.priority,
    status: r.status,
    personName: r.person_id ? `${r.person_first ?? ''} ${r.person_last ?? ''}`.trim() : null,
    assigneeName: r.assignee_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class TasksService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Tasks of a view (and of one person if given), overdue first then by due date. */
  async list(view: TaskView, personId?: string): Promise<Task[]> {
    const q = this.ctx.db('tasks as t')
      .leftJoin('people as p', 'p.id', 't.person_id')
      .leftJoin('users as u', 'u.id', 't.assignee_id')
      .whereNull('t.deleted_at')
      .select('t.*', 'p.first_name as person_first', 'p.last_name as person_last', 'u.display_name as assignee_name');
    if (personId) q.where('t.person_id', personId);
    if (view === 'mine') q.where('t.assignee_id', this.ctx.user.id).whereNot('t.status', 'done');
    if (view === 'overdue') q.whereNot('t.status', 'done').whereNotNull('t.due_date').where('t.due_date', '<', today(this.ctx.clock));
    q.orderByRaw("CASE t.status WHEN 'done' THEN 1 ELSE 0 END").orderByRaw('t.due_date IS NULL').orderBy('t.due_date').orderBy('t.created_at');
    return ((await q) as TaskRow[]).map(fromRow);
  }

  /** Creates a task. Throws NOT_FOUND for an unknown person or assignee. */
  async create(input: TaskInput): Promise<string> {
    await this.check(input);
    const [id] = await this.ctx.mutator.insert('tasks', [{ ...toRow(input), completed_at: input.status === 'done' ? this.ctx.clock.now().toISOString() : null }]);
    return id as string;
  }

  async update(id: string, input: TaskInput): Promise<void> {
    const current = await this.require(id);
    await this.check(input);
    await this.ctx.mutator.update('tasks', id, { ...toRow(input), completed_at: this.completedAt(current, input.status) });
  }

  async setStatus(id: string, status: TaskStatus): Promise<void> {
    const current = await this.require(id);
    await this.ctx.mutator.update('tasks', id, { status, completed_at: this.completedAt(current, status) });
  }

  private completedAt(current: { status: string; completed_at: string | null }, status: TaskStatus): string | null {
    if (status !== 'done') return null;
    return current.status === 'done' ? current.completed_at : this.ctx.clock.now().toISOString();
  }

  private async require(id: string): Promise<{ status: string; completed_at: string | null }> {
    const row = (await this.ctx.db('tasks').where({ id }).whereNull('deleted_at').first()) as { status: string; completed_at: string | null } | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'Tâche introuvable.');
    return row;
  }

  private async check(input: TaskInput): Promise<void> {
    if (input.personId && !(await this.ctx.db('people').where({ id: input.personId }).whereNull('deleted_at').first())) {
      throw new AppError('NOT_FOUND', 'La personne concernée par la tâche est introuvable.');
    }
    if (input.assigneeId && !(await this.ctx.db('users').where({ id: input.assigneeId }).whereNull('deleted_at').first())) {
      throw new AppError('NOT_FOUND', "L'utilisateur à qui la tâche est confiée est introuvable.");
    }
  }
}
