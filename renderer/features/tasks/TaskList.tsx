/** A table of tasks: overdue ones highlighted (and labelled), status changed in place with a select. */
import { useTranslation } from 'react-i18next';
import { TASK_STATUSES, type Task, type TaskStatus } from '../../../shared/domain/task';
import { formatDate, isPast } from '../../app/format';
import { Badge } from '../../components/Badge';

interface Props {
  tasks: Task[];
  caption: string;
  showPerson: boolean;
  onStatus(task: Task, status: TaskStatus): void;
  onEdit?(task: Task): void;
  onOpenPerson?(id: string): void;
}

export function isOverdue(task: Task): boolean {
  return task.status !== 'done' && isPast(task.dueDate);
}

export function TaskList({ tasks, caption, showPerson, onStatus, onEdit, onOpenPerson }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="data-table tasks-table" data-testid="tasks-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tasks.fields.title')}</th>
            {showPerson ? <th scope="col">{t('tasks.fields.person')}</th> : null}
            <th scope="col">{t('tasks.fields.assignee')}</th>
            <th scope="col">{t('tasks.fields.dueDate')}</th>
            <th scope="col">{t('tasks.fields.priority')}</th>
            <th scope="col">{t('tasks.fields.status')}</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const overdue = isOverdue(task);
            const classes = [overdue ? 'overdue' : '', task.status === 'done' ? 'done' : ''].filter(Boolean).join(' ');
            return (
              <tr key={task.id} className={classes || undefined}>
                <th scope="row">
                  {onEdit ? (
                    <button type="button" id={`task-title-${task.id}`} className="link-button task-title" onClick={() => onEdit(task)}>
                      {task.title}
                    </button>
                  ) : (
                    <span className="task-title">{task.title}</span>
                  )}
                  {task.description ? <span className="task-description">{task.description}</span> : null}
                </th>
                {showPerson ? (
                  <td>
                    {task.personId && task.personName ? (
                      onOpenPerson ? (
                        <button type="button" className="link-button" onClick={() => task.personId && onOpenPerson(task.personId)}>
                          {task.personName}
                        </button>
                      ) : (
                        task.personName
                      )
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                ) : null}
                <td>{task.assigneeName ?? <span className="muted">{t('tasks.unassigned')}</span>}</td>
                <td>
                  {formatDate(task.dueDate, i18n.language)} {overdue ? <Badge tone="danger">{t('tasks.overdueBadge')}</Badge> : null}
                </td>
                <td>
                  <Badge tone={task.priority === 'high' ? 'warning' : 'neutral'}>{t(`tasks.priority.${task.priority}`)}</Badge>
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={`status-${task.id}`}>
                    {t('tasks.statusOf', { title: task.title })}
                  </label>
                  <select id={`status-${task.id}`} className="status-select" value={task.status} onChange={(e) => onStatus(task, e.target.value as TaskStatus)}>
                    {TASK_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {t(`tasks.status.${s}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
