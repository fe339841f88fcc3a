/**
 * `notes add | list`: case notes (notes de suivi) on a person (issue 3 §4). `--visibility` takes the same form
 * that `notes list` prints back: `everyone`, `me`, `groups:G1,G2` or `users:U1,U2` (group and user NAMES).
 */
import { checkId, optional, required } from '../context';
import { formatVisibility, nameBook, parseVisibility, resolveVisibility } from '../lookup';
import type { Command } from './types';

export const noteCommands: Command[] = [
  {
    words: 'notes add',
    usage: 'notes add DIR --member ID --text TEXTE [--visibility everyone|me|groups:G1,G2|users:U1,U2] [--json]',
    options: { member: { type: 'string' }, text: { type: 'string' }, visibility: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const text = required(values, 'text');
      const visibility = parseVisibility(optional(values, 'visibility') ?? 'everyone');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { id } = await cli.call('notes:add', { personId, text, visibility: await resolveVisibility(cli, visibility) });
      if (json) cli.json({ id });
      else cli.say(id);
    },
  },
  {
    words: 'notes list',
    usage: 'notes list DIR --member ID [--json]',
    options: { member: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('notes:list', { personId });
      const names = await nameBook(cli, {
        groups: items.some((n) => n.visibility.kind === 'groups'),
        userIds: items.flatMap((n) => (n.visibility.kind === 'users' ? n.visibility.userIds : [])),
      });
      const rows = items.map((n) => ({ id: n.id, text: n.text, author: n.authorName, visibility: formatVisibility(n.visibility, names), createdAt: n.createdAt }));
      if (json) cli.json(rows);
      else for (const r of rows) cli.say(`${r.createdAt}  ${r.author}  [${r.visibility}]  ${r.text}`);
    },
  },
];
