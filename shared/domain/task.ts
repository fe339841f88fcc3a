/** Tasks (tâches) and follow-up: something to do, maybe about a person, maybe assigned to a user. */
import { z } from 'zod';
import { id, isoDate, instant, optionalText } from './common';
import { visibility } from './access';

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export const taskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof taskStatus>;

export const TASK_PRIORITIES = ['low', 'normal', 'high'] as const;
export const taskPriority = z.enum(TASK_PRIORITIES);
export type TaskPriority = z.infer<typeof taskPriority>;

export const taskInput = z.object({
  title: z.string().trim().min(1).max(300),
  description: optionalText(10_000),
  personId: id.nullable().optional().transform((v) => v ?? null),
  assigneeId: id.nullable().optional().transform((v) => v ?? null),
  dueDate: isoDate.nullable().optional().transform((v) => v ?? null),
  priority: taskPriority.default('normal'),
  status: taskStatus.default('todo'),
  /** Who may see the task (default: the whole association); its title and description are encrypted when narrower. */
  visibility: visibility.default({ kind: 'everyone' }),
});
export type TaskInput = z.output<typeof taskInput>;

export const task = taskInput.extend({
  id,
  personName: z.string().nullable(),
  assigneeName: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export type Task = z.infer<typeof task>;

/** "mine": assigned to the current user and not done; "overdue": not done and due before today; "all". */
export const TASK_VIEWS = ['mine', 'overdue', 'all'] as const;
export const taskView = z.enum(TASK_VIEWS);
export type TaskView = z.infer<typeof taskView>;
