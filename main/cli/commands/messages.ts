/**
 * `messages send | list` (docs/messages.md): end-to-end encrypted internal messages. `--to-user` and `--to-group` take
 * a NAME (or an id), `--to-circle` a circle id. The message is sealed at once and leaves at the next `sync now`.
 */
import { checkId, optional, required, UsageError } from '../context';
import { groupIds, userIds } from '../lookup';
import type { Command } from './types';
import type { Recipient } from '../../../shared/domain/message';

export const messageCommands: Command[] = [
  {
    words: 'messages send',
    usage: 'messages send DIR (--to-user U | --to-group G | --to-circle ID) --text TEXTE [--json]',
    options: { 'to-user': { type: 'string' }, 'to-group': { type: 'string' }, 'to-circle': { type: 'string' }, text: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const given = (['to-user', 'to-group', 'to-circle'] as const).filter((k) => optional(values, k) !== undefined);
      if (given.length !== 1) throw new UsageError('Un seul destinataire : --to-user, --to-group ou --to-circle.');
      const text = required(values, 'text');
      const circle = optional(values, 'to-circle');
      const circleId = circle === undefined ? undefined : checkId(circle, 'Option --to-circle');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      let to: Recipient;
      if (given[0] === 'to-user') to = { kind: 'user', userId: (await userIds(cli, [required(values, 'to-user')]))[0]! };
      else if (given[0] === 'to-group') to = { kind: 'group', groupId: (await groupIds(cli, [required(values, 'to-group')]))[0]! };
      else to = { kind: 'circle', circleId: circleId! };
      const r = await cli.call('messages:send', { to, text });
      if (json) cli.json(r);
      else cli.say(`Message ${r.id} écrit dans la conversation ${r.conversationId} (envoyé à la prochaine synchronisation).`);
    },
  },
  {
    words: 'messages list',
    usage: 'messages list DIR [--unread] [--json]',
    options: { unread: { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('messages:list', { unread: values['unread'] === true });
      if (json) cli.json(items);
      else for (const m of items) cli.say(`${m.sentAt}  ${m.from}  [${m.conversationId}]  ${m.text}`);
    },
  },
];
