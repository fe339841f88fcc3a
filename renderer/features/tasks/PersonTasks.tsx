/**
 * The tasks about one person, and « Nouvelle tâche » opening an inline row to add one. `onTasks` receives each
 * list read (the person page's summary counts the overdue ones).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type Task, type TaskPriority, type TaskStatus } from '../../../shared/domain/task';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion, useHoldRefresh } from '../../app/dataVersion';
import { useOpenSession } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { OnDemandButton, OnDemandPanel, useOnDemand } from '../../components/OnDemand';
import { DateField, readTypedDate } from '../../components/DateField';
import { TextField } from '../../components/Field';
import { PrioritySelect } from './PrioritySelect';
import { TaskList } from './TaskList';
import './tasks.css';

export function PersonTasks({ personId, onTasks }: { personId: string; onTasks?(tasks: Task[]): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const session = useOpenSession();
  const [busy, setBusy] = useState(false);
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [title, setTitle] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [dueError, setDueError] = useState<string | null>(null);
  const [priority, setPriority] = useState<TaskPriority>('normal');
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();
  const form = useOnDemand();
  const report = useRef(onTasks);
  report.current = onTasks;
  useHoldRefresh(title !== '' || dueDate !== '' || priority !== 'normal');

  const load = useCallback(() => {
    invoke('tasks:list', { view: 'all', personId })
      .then((r) => {
        setTasks(r.items);
        report.current?.(r.items);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [personId]);
  useEffect(load, [load, version]);

  async function add(e: FormEvent) {
    e.preventDefault();
    // A second Enter while the first is saving must not create the task twice.
    if (busy) return;
    const due = readTypedDate(dueDate, t('tasks.fields.dueDate'), t);
    setDueError(due.error);
    if (due.error) return;
    setBusy(true);
    setError(null);
    try {
      // Assigned to the writer: an unassigned task would be in nobody's « Mes tâches ».
      await invoke('tasks:create', { task: { title, personId, assigneeId: session.user.id, dueDate: due.iso, priority } });
      announce(t('tasks.created', { title }));
      setTitle('');
      setDueDate('');
      setPriority('normal');
      form.hide();
      load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function setStatus(task: Task, status: TaskStatus) {
    try {
      await invoke('tasks:setStatus', { id: task.id, status });
      announce(t('tasks.statusChanged', { title: task.title, status: t(`tasks.status.${status}`) }));
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section className="card person-tasks" aria-labelledby="person-tasks-title">
      <div className="card-head">
        <h2 id="person-tasks-title">{t('tasks.personTitle')}</h2>
        <OnDemandButton state={form} label={t('tasks.new')} />
      </div>
      {tasks && tasks.length === 0 ? <p className="muted">{t('tasks.noneForPerson')}</p> : null}
      {tasks && tasks.length > 0 ? <TaskList tasks={tasks} caption={t('tasks.personTitle')} showPerson={false} onStatus={(task, s) => void setStatus(task, s)} /> : null}
      <OnDemandPanel state={form}>
      <form className="inline-add" onSubmit={(e) => void add(e)} aria-label={t('tasks.addInline')} noValidate>
        <TextField className="grow" label={t('tasks.fields.newTitle')} value={title} onChange={(e) => setTitle(e.target.value)} required autoComplete="off" />
        <DateField label={t('tasks.fields.dueDate')} value={dueDate} onChange={setDueDate} error={dueError} />
        <PrioritySelect value={priority} onChange={setPriority} />
        <button type="submit" className="button primary">
          {t('tasks.addInline')}
        </button>
        <button type="button" className="button secondary" onClick={form.hide}>
          {t('common.cancel')}
        </button>
      </form>
      </OnDemandPanel>
      <ErrorAlert>{error}</ErrorAlert>
    </section>
  );
}
