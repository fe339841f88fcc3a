/**
 * The association as a whole: `init` (with its recovery code), `recovery reset-password`, `audit verify`,
 * `db raw-copy` (issue 3 §6, §8, §10).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readNewPassword, readSecret } from '../password';
import { CliFailure, optional, required } from '../context';
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
      if (json) cli.json({ associationId: info.associationId, dir: info.dir, admin: info.user.name, recoveryCode: info.recoveryCode });
      else {
        cli.say(`Association « ${info.associationName} » créée dans ${info.dir}.`);
        cli.say(`Code de secours : ${info.recoveryCode}`);
        cli.say("Notez-le et rangez-le dans le coffre du bureau : il permet de remplacer le mot de passe de n'importe quel utilisateur et ne sera plus jamais affiché.");
      }
    },
  },
];

/** Administration of the whole association, after the everyday commands in `help`. */
export const adminCommands: Command[] = [
  {
    words: 'recovery reset-password',
    usage: 'recovery reset-password DIR --user UTILISATEUR [--json]   (code : SOLIDARICIEL_RECOVERY_CODE ; nouveau mot de passe : SOLIDARICIEL_NEW_PASSWORD)',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const dir = resolve(positionals[0]!);
      const userName = required(values, 'user');
      const recoveryCode = await readSecret('SOLIDARICIEL_RECOVERY_CODE', 'Code de secours : ', 'Code de secours');
      const newPassword = await readNewPassword('SOLIDARICIEL_NEW_PASSWORD', `Nouveau mot de passe de ${userName} : `);
      await cli.call('session:resetPassword', { dir, userName, recoveryCode, newPassword });
      if (json) cli.json({ user: userName, reset: true });
      else cli.say(`Mot de passe de ${userName} remplacé. L'utilisation du code de secours est inscrite au journal des opérations.`);
    },
  },
  {
    words: 'audit verify',
    usage: 'audit verify DIR [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('audit:verify', {});
      if (json) cli.json({ entries: r.entries, ok: r.ok, firstBadEntry: r.firstBadEntry, ...(r.anchor ? { anchor: r.anchor } : {}) });
      else if (r.ok) cli.say(`Journal des opérations intact : ${r.entries} entrée(s) vérifiée(s)${r.anchor ? `, ancré au hub jusqu'à l'entrée n° ${r.anchor.seq}` : ''}.`);
      else if (r.anchor && !r.anchor.ok) {
        const where = r.anchor.source === 'hub' ? 'le hub garde' : 'la dernière synchronisation a gardé';
        process.stderr.write(`Journal des opérations tronqué ou réécrit : ${where} l'entrée n° ${r.anchor.seq} signée par ce poste, absente ou différente ici (${r.entries} entrée(s), rupture à l'entrée n° ${r.firstBadEntry ?? '?'}).\n`);
      } else process.stderr.write(`Journal des opérations altéré : la chaîne est rompue à l'entrée n° ${r.firstBadEntry ?? '?'} (${r.entries} entrée(s)).\n`);
      return r.ok ? 0 : 1;
    },
  },
  {
    words: 'db raw-copy',
    usage: 'db raw-copy DIR --out FICHIER.sqlite [--json]',
    options: { out: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const out = resolve(required(values, 'out'));
      if (existsSync(out)) throw new CliFailure(`Le fichier « ${out} » existe déjà : la copie n'écrase jamais un fichier, choisissez un autre nom.`);
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('db:rawCopy', { out });
      if (json) cli.json({ path: r.path });
      else cli.say(`Copie déchiffrée de la base écrite dans ${r.path}. Elle contient des données personnelles en clair : gardez-la en lieu sûr et supprimez-la après usage.`);
    },
  },
];
