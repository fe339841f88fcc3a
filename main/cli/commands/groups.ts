/**
 * `groups add` and `members add-to-group`: groups of users and of people (issue 3 §3). The people of a group are
 * what its volunteers see. A group is named by its NAME on the command line.
 */
import { checkId, optional, required } from '../context';
import { groupIds, nameBook } from '../lookup';
import type { Command } from './types';

export const groupCommands: Command[] = [
  {
    words: 'groups add',
    usage: 'groups add DIR --name GROUPE [--json]',
    options: { name: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const name = required(values, 'name');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { id } = await cli.call('groups:create', { name });
      if (json) cli.json({ id });
      else cli.say(id);
    },
  },
  {
    words: 'members add-to-group',
    usage: 'members add-to-group DIR --member ID --group GROUPE [--json]',
    options: { member: { type: 'string' }, group: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const group = required(values, 'group');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const [groupId] = await groupIds(cli, [group]);
      const current = await cli.call('people:groups', { personId });
      // Always written (even when already there), so the permission is checked the same way every time.
      const next = await cli.call('people:setGroups', { personId, groupIds: [...new Set([...current.groupIds, groupId!])] });
      const names = await nameBook(cli, { groups: true, userIds: [] });
      const groups = next.groupIds.map((id) => names.group(id)).sort((a, b) => a.localeCompare(b, 'fr'));
      if (json) cli.json({ memberId: personId, groups });
      else cli.say(`Groupes de la personne : ${groups.join(', ')}.`);
    },
  },
];
