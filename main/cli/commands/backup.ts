/**
 * `backup now|list|verify|restore` (docs/backup.md "CLI"). `now` unlocks like every command; `list` reads only the
 * manifests; `verify` and `restore` open the backup with a password (SOLIDARICIEL_PASSWORD, user from --user,
 * SOLIDARICIEL_USER or the backup's only user) or, when SOLIDARICIEL_RECOVERY_CODE is set, with the recovery code,
 * as `init` and unlock do. With --json, stdout carries exactly the documented object.
 */
import { resolve } from 'node:path';
import { readKeyring } from '../../crypto/keyring';
import { listBackups } from '../../services/backup/layout';
import { readSecret } from '../password';
import { optional, required, UsageError } from '../context';
import type { Cli } from '../context';
import type { Command } from './types';

/** `{recoveryCode}` when SOLIDARICIEL_RECOVERY_CODE is set, else `{userName, password}` for the backup's keyring. */
async function credentials(backupPath: string, user: string | undefined): Promise<{ recoveryCode: string } | { userName: string; password: string }> {
  if (process.env['SOLIDARICIEL_RECOVERY_CODE']) return { recoveryCode: process.env['SOLIDARICIEL_RECOVERY_CODE'] };
  let userName = user ?? process.env['SOLIDARICIEL_USER'];
  if (!userName) {
    const keyring = await readKeyring(backupPath);
    if (keyring.slots.length !== 1) throw new UsageError('Plusieurs utilisateurs dans la sauvegarde : précisez --user NOM ou SOLIDARICIEL_USER.');
    userName = keyring.slots[0]!.userName;
  }
  return { userName, password: await readSecret('SOLIDARICIEL_PASSWORD', `Mot de passe de ${userName} : `) };
}

const report = (cli: Cli, json: boolean, r: { ok: boolean; papers: number; problems: string[] }, extra: Record<string, unknown> = {}) => {
  if (json) cli.json({ ...extra, ok: r.ok, papers: r.papers, problems: r.problems });
  else {
    cli.say(r.ok ? `Sauvegarde vérifiée : la base s’ouvre, le journal est intact, ${r.papers} pièce(s) conformes.` : `Sauvegarde à problèmes (${r.problems.length}) :`);
    for (const p of r.problems) cli.say(`  - ${p}`);
  }
  return r.ok ? 0 : 1;
};

export const backupCommands: Command[] = [
  {
    words: 'backup now',
    usage: 'backup now DIR --to DOSSIER [--json]',
    options: { to: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const to = resolve(required(values, 'to'));
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const r = await cli.call('backup:now', { to });
      if (json) cli.json({ path: r.path, bytes: r.bytes, blobsCopied: r.blobsCopied });
      else cli.say(`Sauvegarde écrite dans ${r.path} (${r.bytes} octets, ${r.blobsCopied} pièce(s) chiffrée(s) copiée(s)).`);
    },
  },
  {
    words: 'backup list',
    usage: 'backup list DIR --to DOSSIER [--json]',
    options: { to: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const { associationId } = await readKeyring(resolve(positionals[0]!));
      const items = (await listBackups(resolve(required(values, 'to')), associationId)).map(({ path, createdAt, bytes }) => ({ path, createdAt, bytes }));
      if (json) cli.json(items);
      else if (!items.length) cli.say('Aucune sauvegarde de cette association dans ce dossier.');
      else for (const i of items) cli.say(`${i.createdAt}  ${i.bytes} octets  ${i.path}`);
    },
  },
  {
    words: 'backup verify',
    usage: 'backup verify SAUVEGARDE [--json]   (mot de passe ou SOLIDARICIEL_RECOVERY_CODE)',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const path = resolve(positionals[0]!);
      const r = await cli.call('backup:verify', { path, ...(await credentials(path, optional(values, 'user'))) });
      return report(cli, json, r);
    },
  },
  {
    words: 'backup restore',
    usage: 'backup restore SAUVEGARDE --into NOUVEAU_DOSSIER [--json]   (mot de passe ou SOLIDARICIEL_RECOVERY_CODE)',
    options: { into: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const path = resolve(positionals[0]!);
      const into = resolve(required(values, 'into'));
      const r = await cli.call('backup:restore', { path, into, ...(await credentials(path, optional(values, 'user'))) });
      if (!json) cli.say(`Sauvegarde restaurée dans ${r.dir}.${r.mustReenroll ? ' Ce dossier était synchronisé : il rejoindra le hub comme nouveau poste à la première connexion d’un administrateur.' : ''}`);
      return report(cli, json, r, { dir: r.dir, mustReenroll: r.mustReenroll });
    },
  },
];
