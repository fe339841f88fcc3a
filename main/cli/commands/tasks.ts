/** `tasks add | list`. */
import { checkId, CliFailure, optional, optionalDate, required } from '../context';
import { sameUserName } from '../../crypto/keyring';
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
      let assigneeId: string | null = null;
      const assignee = optional(values, 'assignee');
      if (assignee) {
        const user = (await cli.call('users:list', {})).items.find((u) => sameUserName(u.name, assignee));
        if (!user) throw new CliFailure(`Utilisateur inconnu : ${assignee}`);
        assigneeId = user.id;
      }
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
      const users = new Map((await cli.call('users:list', {})).items.map((u) => [u.id, u.name]));
      const rows = items.map((t) => ({ id: t.id, title: t.title, status: t.status, due: t.dueDate, memberId: t.personId, assignee: t.assigneeId ? (users.get(t.assigneeId) ?? null) : null }));
      if (json) cli.json(rows);
      else for (const r of rows) cli.say(`${r.id}  [${r.status}]  ${r.due ?? '—'}  ${r.title}`);
    },
  },
];
