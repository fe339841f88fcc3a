/**
 * `users request | approve | add | confirm-keys | list`: accounts of the association (issue 3 §2). A newcomer requests an account on
 * the office PC without unlocking; an administrator (`users.manage`) approves it with a role and groups, or adds a
 * user directly. Groups are given by NAME (`--groups Antenne Nord,Galaxie B`).
 */
import { resolve } from 'node:path';
import { roleId as roleIdSchema } from '../../../shared/domain/access';
import { sameUserName } from '../../crypto/keyring';
import { CliFailure, optional, required, UsageError, type Cli } from '../context';
import { groupIds, nameBook, nameList } from '../lookup';
import { readNewPassword } from '../password';
import type { Command } from './types';

/** `--role` checked for its form before unlocking (whether the role exists is the core's answer). */
function roleOption(values: Record<string, unknown>): string {
  const role = required(values, 'role');
  if (!roleIdSchema.safeParse(role).success) throw new UsageError(`Option --role : identifiant de rôle attendu (admin, coordinator, social_worker, reception, treasurer, volunteer, readonly…), reçu « ${role} ».`);
  return role;
}

const groupsOption = (values: Record<string, unknown>): string[] => nameList(optional(values, 'groups') ?? '');

/** One line of `users list --json`. Requests not approved yet have status "pending" and no role. */
interface UserLine {
  name: string;
  role: string | null;
  groups: string[];
  status: 'active' | 'disabled' | 'pending';
}

async function userLines(cli: Cli): Promise<UserLine[]> {
  const { items: users } = await cli.call('users:list', {});
  const { items: requests } = await cli.call('users:requests', {});
  const names = await nameBook(cli, { groups: true, userIds: [] });
  return [
    ...users.map((u): UserLine => ({
      name: u.name,
      role: u.roleId,
      groups: u.groupIds.map((id) => names.group(id)).sort((a, b) => a.localeCompare(b, 'fr')),
      status: u.disabled ? 'disabled' : 'active',
    })),
    ...requests.map((r): UserLine => ({ name: r.name, role: null, groups: [], status: 'pending' })),
  ];
}

export const userCommands: Command[] = [
  {
    words: 'users request',
    usage: 'users request DIR --name UTILISATEUR [--display-name NOM] [--json]   (mot de passe : SOLIDARICIEL_NEW_PASSWORD, sinon demandé)',
    options: { name: { type: 'string' }, 'display-name': { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const dir = resolve(positionals[0]!);
      const name = required(values, 'name');
      const displayName = optional(values, 'display-name');
      const password = await readNewPassword('SOLIDARICIEL_NEW_PASSWORD', `Mot de passe de ${name} : `);
      await cli.call('session:requestAccount', { dir, name, password, ...(displayName ? { displayName } : {}) });
      if (json) cli.json({ name, status: 'pending' });
      else cli.say(`Demande de compte « ${name} » enregistrée : un administrateur doit l'approuver avant le premier déverrouillage.`);
    },
  },
  {
    words: 'users approve',
    usage: 'users approve DIR --name UTILISATEUR --role RÔLE [--groups G1,G2] [--json]',
    options: { name: { type: 'string' }, role: { type: 'string' }, groups: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const name = required(values, 'name');
      const roleId = roleOption(values);
      const groups = groupsOption(values);
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('users:requests', {});
      const request = items.find((r) => sameUserName(r.name, name));
      if (!request) throw new CliFailure(`Aucune demande de compte au nom de « ${name} »${items.length ? ` (demandes en attente : ${items.map((r) => r.name).join(', ')})` : ''}.`);
      const { id } = await cli.call('users:approve', { requestId: request.id, roleId, groupIds: await groupIds(cli, groups) });
      if (json) cli.json({ id, name: request.name, role: roleId });
      else cli.say(`Compte « ${request.name} » approuvé (rôle ${roleId}).`);
    },
  },
  {
    words: 'users add',
    usage: 'users add DIR --name UTILISATEUR --role RÔLE [--groups G1,G2] [--display-name NOM] [--json]   (mot de passe : SOLIDARICIEL_NEW_PASSWORD)',
    options: { name: { type: 'string' }, role: { type: 'string' }, groups: { type: 'string' }, 'display-name': { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const name = required(values, 'name');
      const roleId = roleOption(values);
      const groups = groupsOption(values);
      const displayName = optional(values, 'display-name');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const ids = await groupIds(cli, groups);
      const password = await readNewPassword('SOLIDARICIEL_NEW_PASSWORD', `Mot de passe de ${name} : `);
      const { id } = await cli.call('users:add', { name, password, roleId, groupIds: ids, ...(displayName ? { displayName } : {}) });
      if (json) cli.json({ id });
      else cli.say(id);
    },
  },
  {
    words: 'users confirm-keys',
    usage: 'users confirm-keys DIR --name UTILISATEUR [--json]   (après avoir comparé l’empreinte avec la personne)',
    options: { name: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const name = required(values, 'name');
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const { items } = await cli.call('users:list', {});
      const user = items.find((u) => sameUserName(u.name, name));
      if (!user) throw new CliFailure(`Aucun utilisateur au nom de « ${name} ».`);
      const { id, fingerprint } = await cli.call('users:confirmKeys', { userId: user.id });
      if (json) cli.json({ id, name: user.name, fingerprint });
      else cli.say(`Clés de « ${user.name} » confirmées (empreinte ${fingerprint}).`);
    },
  },
  {
    words: 'users list',
    usage: 'users list DIR [--json]',
    options: {},
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      await cli.unlock(positionals[0]!, optional(values, 'user'));
      const lines = await userLines(cli);
      if (json) cli.json(lines);
      else for (const l of lines) cli.say(`${l.name}  ${l.role ?? '—'}  [${l.status}]  ${l.groups.join(', ')}`);
    },
  },
];
