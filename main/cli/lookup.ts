/**
 * Names ⇄ ids for the CLI: people type group and user NAMES, the contract wants ids. Every lookup goes through the
 * contract, so it obeys the same permissions as the window: group names come from `groups:list`, user names from
 * `users:directory` (active users, open to anyone unlocked; `users:list` needs `users.manage`). Should a list be
 * refused, an id typed as such (UUID) is taken as is, the session's own user is known from `session:current`, and
 * anything else fails with a French sentence naming the name and the refusal.
 */
import { AppError } from '../../shared/domain/errors';
import type { Visibility } from '../../shared/domain/access';
import { sameUserName } from '../crypto/keyring';
import { CliFailure, UsageError } from './errors';
import type { Cli } from './context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Named {
  id: string;
  name: string;
}

const isForbidden = (e: unknown): e is AppError => e instanceof AppError && e.code === 'FORBIDDEN';

/** The result of a list channel, or the refusal when the user lacks the permission to list. */
async function listOrRefusal(load: () => Promise<Named[]>): Promise<Named[] | AppError> {
  try {
    return await load();
  } catch (e) {
    if (isForbidden(e)) return e;
    throw e;
  }
}

const listGroups = (cli: Cli) => listOrRefusal(async () => (await cli.call('groups:list', {})).items);
/** Active users' names (anyone unlocked may read them). */
const directory = (cli: Cli) => listOrRefusal(async () => (await cli.call('users:directory', {})).items);
/** Every user, disabled ones included (`users.manage`): to name the disabled users a note was addressed to. */
const listUsers = (cli: Cli) => listOrRefusal(async () => (await cli.call('users:list', {})).items);

/** The unlocked user (id, name, groups), or null. */
export async function currentUser(cli: Cli): Promise<{ id: string; name: string; groupIds: string[] } | null> {
  const info = await cli.call('session:current', {});
  return info ? { id: info.user.id, name: info.user.name, groupIds: info.user.groupIds } : null;
}

/**
 * Ids of the groups named `names` (case-insensitive; a UUID is taken as an id). Throws CliFailure naming an unknown
 * group, or naming the group and the refusal when the user may not list groups.
 */
export async function groupIds(cli: Cli, names: readonly string[]): Promise<string[]> {
  if (names.every((n) => UUID.test(n))) return [...names];
  const groups = await listGroups(cli);
  return names.map((name) => {
    if (UUID.test(name)) return name;
    if (groups instanceof AppError) throw new CliFailure(`Impossible de retrouver le groupe « ${name} » par son nom. ${groups.message}`);
    const found = groups.find((g) => sameUserName(g.name, name));
    if (!found) throw new CliFailure(`Groupe inconnu : « ${name} ». ${groups.length ? `Groupes : ${groups.map((g) => g.name).join(', ')}.` : 'Aucun groupe : créez-le avec « groups add ».'}`);
    return found.id;
  });
}

/**
 * Ids of the users named `names` (case-insensitive; a UUID is taken as an id; the session's own name is always
 * known). Throws CliFailure naming an unknown user, or naming the user and the refusal.
 */
export async function userIds(cli: Cli, names: readonly string[]): Promise<string[]> {
  if (names.every((n) => UUID.test(n))) return [...names];
  const me = await currentUser(cli);
  const pending = names.filter((n) => !UUID.test(n) && !(me && sameUserName(me.name, n)));
  const users = pending.length ? await directory(cli) : [];
  return names.map((name) => {
    if (UUID.test(name)) return name;
    if (me && sameUserName(me.name, name)) return me.id;
    if (users instanceof AppError) throw new CliFailure(`Impossible de retrouver l'utilisateur « ${name} » par son nom. ${users.message}`);
    const found = users.find((u) => sameUserName(u.name, name));
    if (!found) throw new CliFailure(`Utilisateur inconnu : « ${name} ».`);
    return found.id;
  });
}

/** id → name of groups and users, as far as the user may list them (an id without a name prints as itself). */
export interface NameBook {
  group(id: string): string;
  user(id: string): string;
}

/**
 * Loads the names the user may see for the ids in `need` (groups; users from the directory, then the full list for
 * disabled users when the user may read it). An id without a name stays as it is.
 */
export async function nameBook(cli: Cli, need: { groups: boolean; userIds: readonly string[] }): Promise<NameBook> {
  const named = (list: Named[] | AppError) => (list instanceof AppError ? [] : list.map((x): [string, string] => [x.id, x.name]));
  const g = new Map(need.groups ? named(await listGroups(cli)) : []);
  const u = new Map(need.userIds.length ? named(await directory(cli)) : []);
  if (need.userIds.some((id) => !u.has(id))) for (const [id, name] of named(await listUsers(cli))) u.set(id, name);
  return { group: (id) => g.get(id) ?? id, user: (id) => u.get(id) ?? id };
}

/** `--visibility` as typed, names not resolved yet. */
export type VisibilityOption = { kind: 'everyone' } | { kind: 'me' } | { kind: 'groups'; names: string[] } | { kind: 'users'; names: string[] };

/** A comma-separated list of names (`G1,G2`): trimmed, empties and repeats dropped. */
export function nameList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

/**
 * Parses `everyone | me | groups:G1,G2 | users:U1,U2` (checked before unlocking). Throws UsageError naming the
 * expected forms.
 */
export function parseVisibility(text: string): VisibilityOption {
  const t = text.trim();
  if (t === 'everyone' || t === 'me') return { kind: t };
  const m = /^(groups|users):(.*)$/s.exec(t);
  const names = m ? nameList(m[2]!) : [];
  if (!m || names.length === 0) {
    throw new UsageError(`Option --visibility : attendu everyone, me, groups:GROUPE1,GROUPE2 ou users:UTILISATEUR1,UTILISATEUR2 (reçu « ${text} »).`);
  }
  return { kind: m[1] as 'groups' | 'users', names };
}

/** The contract's visibility for a parsed option (names resolved to ids; see groupIds, userIds for the failures). */
export async function resolveVisibility(cli: Cli, v: VisibilityOption): Promise<Visibility> {
  if (v.kind === 'groups') return { kind: 'groups', groupIds: await groupIds(cli, v.names) };
  if (v.kind === 'users') return { kind: 'users', userIds: await userIds(cli, v.names) };
  return v;
}

/** A visibility in the `--visibility` form, names sorted (`groups:Antenne Nord,Galaxie B`). */
export function formatVisibility(v: Visibility, names: NameBook): string {
  const sorted = (xs: string[]) => xs.sort((a, b) => a.localeCompare(b, 'fr')).join(',');
  if (v.kind === 'groups') return `groups:${sorted(v.groupIds.map((id) => names.group(id)))}`;
  if (v.kind === 'users') return `users:${sorted(v.userIds.map((id) => names.user(id)))}`;
  return v.kind;
}
