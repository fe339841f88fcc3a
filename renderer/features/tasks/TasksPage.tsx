/**
 * Tasks: Mes tâches / En retard / Toutes, create and edit, status change in place, overdue highlighted. The list reads
 * again when the data version moves; an open form keeps its input (it is never remounted by a reload).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TASK_VIEWS, type Task, type TaskStatus, type TaskView } from '../../../shared/domain/task';
import { errorMessage, invoke } from '../../api/client';
import { loadDirectory } from '../../api/directory';
import type { Assignee } from './TaskForm';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { useRouter } from '../../app/router';
import { useOpenSession } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import { TaskForm } from './TaskForm';
import { TaskList } from './TaskList';
import './tasks.css';

export function TasksPage() {
  const { t } = useTranslation();
  const session = useOpenSession();
  const { navigate } = useRouter();
  const { announce } = useAnnouncer();
  const [view, setView] = useState<TaskView>('mine');
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [users, setUsers] = useState<Assignee[]>([session.user]);
  /** Where focus goes once the form has closed (after the re-render that enables « Nouvelle tâche » again). */
  const focusAfterClose = useRef<Task | 'new' | null>(null);
  const [editing, setEditing] = useState<Task | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();

  const newButton = useRef<HTMLButtonElement>(null);
  const seq = useRef(0);

  const load = useCallback(() => {
    // Only the latest request may fill the list: switching views quickly must not show an older view's answer.
    const mine = ++seq.current;
    invoke('tasks:list', { view })
      .then((r) => {
        if (mine !== seq.current) return;
        setTasks(r.items);
        setError(null);
      })
      .catch((e: unknown) => mine === seq.current && setError(errorMessage(e)));
  }, [view]);

  /** Closes the form and gives focus back (to the edited task's title, else to « Nouvelle tâche »), never to <body>. */
  function closeForm(edited: Task | 'new' | null) {
    focusAfterClose.current = edited ?? 'new';
    setEditing(null);
  }
  useEffect(() => {
    const edited = focusAfterClose.current;
    if (editing !== null || edited === null) return;
    focusAfterClose.current = null;
    const title = edited !== 'new' ? document.getElementById(`task-title-${edited.id}`) : null;
    (title ?? newButton.current)?.focus();
  }, [editing]);
  useEffect(load, [load, version]);

  useEffect(() => {
    // Assigning to a colleague needs tasks.read (the core refuses it otherwise); the names come from users:directory.
    if (session.permissions.includes('tasks.read')) void loadDirectory().then((d) => d.users && setUsers(d.users));
  }, [session.permissions]);

  async function setStatus(task: Task, status: TaskStatus) {
    try {
      await invoke('tasks:setStatus', { id: task.id, status });
      announce(t('tasks.statusChanged', { title: task.title, status: t(`tasks.status.${status}`) }));
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <div className="tasks-page">
      <PageHeader
        title={t('tasks.title')}
        actions={
          <button ref={newButton} type="button" className="button primary" onClick={() => setEditing('new')} disabled={editing !== null}>
            {t('tasks.new')}
          </button>
        }
      />
      <div className="view-switch" role="group" aria-label={t('tasks.viewsLabel')}>
        {TASK_VIEWS.map((v) => (
          <button key={v} type="button" className="button toggle" aria-pressed={view === v} onClick={() => setView(v)}>
            {t(`tasks.views.${v}`)}
          </button>
        ))}
      </div>
      {editing ? (
        <TaskForm
          key={editing === 'new' ? 'new' : editing.id}
          task={editing === 'new' ? null : editing}
          users={users}
          onCancel={() => closeForm(editing)}
          onSaved={(title) => {
            announce(t(editing === 'new' ? 'tasks.created' : 'tasks.updated', { title }));
            closeForm(editing);
            load();
          }}
        />
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
      {tasks && tasks.length === 0 ? <p className="empty">{t(`tasks.empty.${view}`)}</p> : null}
      {tasks && tasks.length > 0 ? (
        <TaskList
          tasks={tasks}
          caption={t(`tasks.views.${view}`)}
          showPerson
          onStatus={(task, s) => void setStatus(task, s)}
          onEdit={(task) => setEditing(task)}
          onOpenPerson={(id) => navigate({ name: 'person', id })}
        />
      ) : null}
    </div>
  );
}
