/** `tasks add | list`. */
import { checkId, optional, optionalDate, required } from '../context';
import { userIds } from '../lookup';
import type { Command } from './types';

export const taskCommands: Command[] = [
  {
    words: 'tasks add',
    usage: 'tasks add DIR --title TITRE [--member ID] [--assignee UTILISATEUR] [--due AAAA-MM-JJ] [--json]',
    options: { title: { type: 'string' }, member: { type: 'string' }, assignee: { type: 'string' }, due: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const title = required(values, 'title');
      const member = optional(values, 'member');
      const personId = member ? checkId(member, 'Option --member') : null;
      const dueDate = optionalDate(values, 'due');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const assignee = optional(values, 'assignee');
      // By name: anyone may assign to themselves; another user's name needs the user list (see lookup.ts).
      const assigneeId = assignee ? (await userIds(cli, [assignee]))[0]! : null;
      const { id } = await cli.call('tasks:create', { task: { title, personId, assigneeId, dueDate } });
      if (json) cli.json({ id });
      else cli.say(id);
    },
  },
  {
    words: 'tasks list',
    usage: 'tasks list DIR [--member ID] [--overdue] [--json]',
    options: { member: { type: 'string' }, overdue: { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const member = optional(values, 'member');
      if (member) checkId(member, 'Option --member');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('tasks:list', { view: values['overdue'] === true ? 'overdue' : 'all', ...(member ? { personId: member } : {}) });
      // The task carries its assignee's name: no user list needed (a volunteer may not list users).
      const rows = items.map((t) => ({ id: t.id, title: t.title, status: t.status, due: t.dueDate, memberId: t.personId, assignee: t.assigneeId ? t.assigneeName : null }));
      if (json) cli.json(rows);
      else for (const r of rows) cli.say(`${r.id}  [${r.status}]  ${r.due ?? '—'}  ${r.title}`);
    },
  },
];
