/**
 * Create or edit a task: title, description, person, assignee (users:directory), due date, priority, status, visibility.
 * Checked with the contract's `taskInput` before sending: every refused field at once, next to itself, the first one
 * focused; a refusal by the core lands on its field too (renderer/app/useSubmit.ts).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TASK_STATUSES, taskInput, type Task, type TaskPriority, type TaskStatus } from '../../../shared/domain/task';
import { maxLengths } from '../../../shared/domain/schemaLimits';
import { invoke } from '../../api/client';
import { useSubmit } from '../../app/useSubmit';
import { useHoldRefresh } from '../../app/dataVersion';
import { useOpenSession } from '../../app/session';
import { EVERYONE, type Visibility } from '../../../shared/domain/access';
import { ErrorAlert } from '../../components/Alert';
import { DateField, readTypedDate } from '../../components/DateField';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { typedDateOf } from '../../../shared/domain/dates';
import { VisibilityPicker } from '../../components/VisibilityPicker';
import { useDirectory, visibilityComplete } from '../access/useDirectory';
import { PrioritySelect } from './PrioritySelect';
import { PersonPicker } from './PersonPicker';

interface Props {
  task: Task | null;
  users: Assignee[];
  onSaved(title: string): void;
  onCancel(): void;
}

/** Someone a task may be assigned to. */
export interface Assignee {
  id: string;
  name: string;
  displayName: string;
}

const LIMITS = maxLengths(taskInput.shape);

export function TaskForm({ task, users, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const session = useOpenSession();
  const [title, setTitle] = useState(task?.title ?? '');
  const [description, setDescription] = useState(task?.description ?? '');
  const [personId, setPersonId] = useState<string | null>(task?.personId ?? null);
  const [personName, setPersonName] = useState<string | null>(task?.personName ?? null);
  // A new task is the writer's own by default, so that it shows in « Mes tâches » (the page's first view).
  const [assigneeId, setAssigneeId] = useState(task ? (task.assigneeId ?? '') : session.user.id);
  const [dueDate, setDueDate] = useState(typedDateOf(task?.dueDate));
  const [dueError, setDueError] = useState<string | null>(null);
  const [priority, setPriority] = useState<TaskPriority>(task?.priority ?? 'normal');
  const [status, setStatus] = useState<TaskStatus>(task?.status ?? 'todo');
  const [visibility, setVisibility] = useState<Visibility>(task?.visibility ?? EVERYONE);
  const directory = useDirectory();
  const { busy, error, setError, run, check, fieldErrors, formRef } = useSubmit(['title', 'description', 'personId', 'assigneeId', 'dueDate', 'priority', 'status']);
  // Changed since the form opened: received changes wait for it (the refresh notice offers them).
  const values = JSON.stringify([title, description, personId, assigneeId, dueDate, priority, status, visibility]);
  const [opened] = useState(values);
  useHoldRefresh(values !== opened);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    const due = readTypedDate(dueDate, t('tasks.fields.dueDate'), t);
    setDueError(due.error);
    const input = { title, description: description || null, personId, assigneeId: assigneeId || null, dueDate: due.iso, priority, status, visibility };
    if (!check(taskInput, input) || due.error) return;
    if (!visibilityComplete(visibility)) return setError(t('visibility.chooseSomeone'));
    await run(async () => {
      if (task) await invoke('tasks:update', { id: task.id, task: input });
      else await invoke('tasks:create', { task: input });
      onSaved(title);
    });
  }

  const heading = task ? t('tasks.editTitle') : t('tasks.newTitle');
  return (
    <form ref={formRef} className="card task-form stack" onSubmit={(e) => void submit(e)} aria-labelledby="task-form-title" noValidate>
      <h2 id="task-form-title" tabIndex={-1}>
        {heading}
      </h2>
      <TextField
        label={t('tasks.fields.title')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        maxLength={LIMITS.title}
        error={fieldErrors.title}
        required
        autoFocus
        autoComplete="off"
      />
      <TextAreaField
        label={t('tasks.fields.description')}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        maxLength={LIMITS.description}
        error={fieldErrors.description}
        rows={3}
      />
      <PersonPicker
        value={personId}
        valueName={personName}
        onChange={(id, name) => {
          setPersonId(id);
          setPersonName(name);
        }}
      />
      <div className="grid-4">
        <SelectField label={t('tasks.fields.assignee')} value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
          <option value="">{t('tasks.unassigned')}</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName || u.name}
            </option>
          ))}
        </SelectField>
        <DateField label={t('tasks.fields.dueDate')} value={dueDate} onChange={setDueDate} error={dueError ?? fieldErrors.dueDate} />
        <PrioritySelect value={priority} onChange={setPriority} />
        <SelectField label={t('tasks.fields.status')} value={status} onChange={(e) => setStatus(e.target.value as TaskStatus)}>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`tasks.status.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <VisibilityPicker value={visibility} onChange={setVisibility} groups={directory.groups} users={directory.users} myGroupIds={directory.myGroupIds} />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {task ? t('tasks.save') : t('tasks.create')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
