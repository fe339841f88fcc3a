/** `init`: create an association with its first administrator. */
import { resolve } from 'node:path';
import { readSecret } from '../password';
import { required } from '../context';
import type { Command } from './types';

export const associationCommands: Command[] = [
  {
    words: 'init',
    usage: 'init DIR --name NOM --admin UTILISATEUR [--json]',
    options: { name: { type: 'string' }, admin: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const dir = resolve(positionals[0]!);
      const name = required(values, 'name');
      const adminName = required(values, 'admin');
      const password = await readSecret('SOLIDARICIEL_PASSWORD', "Mot de passe de l'administrateur : ");
      const info = await cli.call('association:create', { dir, name, adminName, password });
      if (json) cli.json({ associationId: info.associationId, dir: info.dir, admin: info.user.name });
      else cli.say(`Association « ${info.associationName} » créée dans ${info.dir}.`);
    },
  },
];
