/**
 * The default access matrix through the CLI (issue 3 §11): for each default role, one user; for each permission of
 * PERMISSIONS that has a CLI path, one representative command. A granted permission lets the command through
 * (exit 0); a refused one is exit 1 with the French FORBIDDEN message naming the permission — or, for the read
 * permissions that narrow what is listed rather than refuse, an answer without what only that permission shows.
 *
 * Run in-process (`main(argv, { kdfCost: TEST_KDF })`, tests/helpers/cliAccess.ts): ~170 commands, each with its own
 * unlock, would take minutes as child processes at MODERATE Argon2id cost. Same parsing, contract and exit codes.
 *
 * Permissions without a CLI command (checked by the services tests only):
 *   people.archive, consents.write, roles.manage, settings.manage, visits.write (a volunteer taking a slot: screens only),
 *   agenda.write (events are made on the Agenda screen; the CLI exports them).
 * `people.readMembership` has no command printing membership fields; its probe is `members list --search` by a member
 * number (imported), which finds the person only with that permission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUILTIN_ROLE_IDS, DEFAULT_ROLES, PERMISSIONS, type Permission } from '../../../shared/domain/access';
import { parseJsonOut, type CliRun } from '../../helpers/cli';
import { ok, runAs, runInProcess } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const PW = 'mot de passe de test';
const ADMIN = 'direction';
const GROUP = 'Antenne Nord';
const SCAN = resolve(process.cwd(), '../shared/fixtures/scans/carte-identite-specimen.png');

/** Permissions with no CLI command (see the header). */
const NO_CLI_PATH: Permission[] = ['people.archive', 'consents.write', 'roles.manage', 'settings.manage', 'treasury.issueReceipts', 'treasury.export', 'visits.write', 'contacts.alerts', 'agenda.write'];
const MEMBER_NUMBER = 'ADH-20417';

/**
 * A narrower read permission is also satisfied by the wider one: a coordinator has `people.read`, not
 * `people.readGroups`, and of course sees the people of their groups.
 */
const IMPLIED_BY: Partial<Record<Permission, Permission>> = { 'people.readGroups': 'people.read', 'notes.readOwn': 'notes.read', 'tasks.readOwn': 'tasks.read' };

const granted = (roleId: string, p: Permission): boolean => {
  const perms = DEFAULT_ROLES.find((r) => r.id === roleId)!.permissions;
  const wider = IMPLIED_BY[p];
  return perms.includes(p) || (wider !== undefined && perms.includes(wider));
};

interface World {
  dir: string;
  root: string;
  /** A person in GROUP (every test user is in GROUP), with a birth date. */
  inGroup: string;
  /** A person in GROUP with member number MEMBER_NUMBER (imported). */
  member: string;
  /** A person in no group, with a birth date. */
  outside: string;
  adminNote: string;
  adminTask: string;
  adminDocument: string;
  csv: string;
}

/** What a probe saw: allowed, or refused (exit 1 naming the permission, or the permission's extra content absent). */
type Outcome = { allowed: boolean; run: CliRun };

const json = <T>(run: CliRun): T => parseJsonOut<T>(run);

/** An action: exit 0 allowed; exit 1 with a FORBIDDEN message naming `p` refused; anything else fails the test. */
function action(p: Permission, run: CliRun): Outcome {
  if (run.code === 0) return { allowed: true, run };
  expect(run.code, `${p}: ${run.stderr}`).toBe(1);
  expect(run.stderr).toMatch(/^Permission manquante : /);
  expect(run.stderr).toContain(`(${p})`);
  expect(run.stdout).toBe('');
  return { allowed: false, run };
}

/** A narrowing read: allowed when exit 0 and `sees` holds; refused when exit 0 without it, or FORBIDDEN naming `p` or its wider form. */
function read(p: Permission, run: CliRun, sees: (out: unknown) => boolean): Outcome {
  if (run.code === 0) return { allowed: sees(json(run)), run };
  expect(run.code, `${p}: ${run.stderr}`).toBe(1);
  expect(run.stderr).toMatch(/^Permission manquante : /);
  const named = [p, IMPLIED_BY[p]].filter(Boolean).map((x) => `(${x})`);
  expect(named.some((n) => run.stderr.includes(n)), run.stderr).toBe(true);
  return { allowed: false, run };
}

const ids = (out: unknown) => (out as { id: string }[]).map((x) => x.id);
let serial = 0;
const unique = (what: string) => `${what}-${++serial}`;

/** One representative CLI command per permission that has one. */
const PROBES: Partial<Record<Permission, (as: (args: string[]) => Promise<CliRun>, w: World) => Promise<Outcome>>> = {
  'people.read': async (as, w) => read('people.read', await as(['members', 'list', w.dir, '--json']), (o) => ids(o).includes(w.outside)),
  'people.readGroups': async (as, w) => read('people.readGroups', await as(['members', 'list', w.dir, '--json']), (o) => ids(o).includes(w.inGroup)),
  'people.readDetails': async (as, w) =>
    read('people.readDetails', await as(['members', 'list', w.dir, '--json']), (o) => (o as { id: string; birthDate: string | null }[]).find((p) => p.id === w.inGroup)?.birthDate === '1961-05-06'),
  'people.readMembership': async (as, w) => read('people.readMembership', await as(['members', 'list', w.dir, '--search', MEMBER_NUMBER, '--json']), (o) => ids(o).includes(w.member)),
  'people.write': async (as, w) => action('people.write', await as(['members', 'add', w.dir, '--first-name', 'Nouvelle', '--last-name', unique('Personne'), '--json'])),
  'people.import': async (as, w) => action('people.import', await as(['members', 'import', w.dir, w.csv, '--dry-run', '--json'])),
  'people.assignGroups': async (as, w) => action('people.assignGroups', await as(['members', 'add-to-group', w.dir, '--member', w.inGroup, '--group', GROUP, '--json'])),
  'notes.read': async (as, w) => read('notes.read', await as(['notes', 'list', w.dir, '--member', w.inGroup, '--json']), (o) => ids(o).includes(w.adminNote)),
  'notes.readOwn': async (as, w) => read('notes.readOwn', await as(['notes', 'list', w.dir, '--member', w.inGroup, '--json']), () => true),
  'notes.write': async (as, w) => action('notes.write', await as(['notes', 'add', w.dir, '--member', w.inGroup, '--text', unique('Note'), '--visibility', 'me', '--json'])),
  'tasks.read': async (as, w) => read('tasks.read', await as(['tasks', 'list', w.dir, '--json']), (o) => ids(o).includes(w.adminTask)),
  'tasks.readOwn': async (as, w) => read('tasks.readOwn', await as(['tasks', 'list', w.dir, '--json']), () => true),
  'tasks.write': async (as, w) => action('tasks.write', await as(['tasks', 'add', w.dir, '--title', unique('Tâche'), '--json'])),
  'documents.read': async (as, w) => read('documents.read', await as(['vault', 'list', w.dir, '--member', w.inGroup, '--json']), (o) => ids(o).includes(w.adminDocument)),
  'documents.add': async (as, w) => action('documents.add', await as(['vault', 'add', w.dir, '--member', w.inGroup, '--type', 'carte_identite', SCAN, '--json'])),
  'documents.export': async (as, w) => action('documents.export', await as(['vault', 'export', w.dir, w.adminDocument, '--out', join(w.root, `${unique('export')}.pdf`)])),
  'users.manage': async (as, w) => action('users.manage', await as(['users', 'list', w.dir, '--json'])),
  'groups.manage': async (as, w) => action('groups.manage', await as(['groups', 'add', w.dir, '--name', unique('Groupe'), '--json'])),
  'audit.read': async (as, w) => action('audit.read', await as(['audit', 'verify', w.dir, '--json'])),
  'treasury.read': async (as, w) => action('treasury.read', await as(['treasury', 'fees', 'list', w.dir, '--json'])),
  'treasury.write': async (as, w) => action('treasury.write', await as(['treasury', 'fees', 'add', w.dir, '--name', unique('Cotisation'), '--amount', '10,00', '--period', 'year', '--json'])),
  'volunteers.read': async (as, w) => action('volunteers.read', await as(['volunteers', 'find', w.dir, '--json'])),
  'volunteers.manage': async (as, w) => action('volunteers.manage', await as(['circles', 'add', w.dir, '--name', unique('Cercle'), '--member', w.inGroup, '--json'])),
  'messages.write': async (as, w) => action('messages.write', await as(['messages', 'send', w.dir, '--to-group', GROUP, '--text', unique('Message'), '--json'])),
  'agenda.read': async (as, w) => action('agenda.read', await as(['agenda', 'export', w.dir, '--out', join(w.root, `${unique('agenda')}.ics`), '--json'])),
  'db.rawCopy': async (as, w) => action('db.rawCopy', await as(['db', 'raw-copy', w.dir, '--out', join(w.root, `${unique('copie')}.sqlite`)])),
};

describe('CLI × default access matrix (in-process)', () => {
  const w = {} as World;
  const userOf = (roleId: string) => `u_${roleId}`;
  const admin = (args: string[], env = {}) => runAs(ADMIN, PW, args, env);
  const must = async <T = unknown>(p: Promise<CliRun>): Promise<T> => ok<T>(await p);

  beforeAll(async () => {
    w.root = tempDir('solidariciel-matrix-');
    w.dir = join(w.root, 'Matrice.solidariciel');
    await must(runInProcess(['init', w.dir, '--name', 'Matrice', '--admin', ADMIN, '--json'], { SOLIDARICIEL_PASSWORD: PW }));
    await must(admin(['groups', 'add', w.dir, '--name', GROUP, '--json']));
    w.inGroup = (await must<{ id: string }>(admin(['members', 'add', w.dir, '--first-name', 'Inès', '--last-name', 'Dugroupe', '--birth-date', '1961-05-06', '--json']))).id;
    w.outside = (await must<{ id: string }>(admin(['members', 'add', w.dir, '--first-name', 'Omar', '--last-name', 'Horsgroupe', '--birth-date', '1970-01-02', '--json']))).id;
    await must(admin(['members', 'add-to-group', w.dir, '--member', w.inGroup, '--group', GROUP, '--json']));
    const adherents = join(w.root, 'numeros.csv');
    writeFileSync(adherents, `Nom;Prénom;Numéro d'adhérent\nAdhérente;Maëlle;${MEMBER_NUMBER}\n`);
    await must(admin(['members', 'import', w.dir, adherents, '--json']));
    const found = await must<{ id: string }[]>(admin(['members', 'list', w.dir, '--search', MEMBER_NUMBER, '--json']));
    expect(found).toHaveLength(1);
    w.member = found[0]!.id;
    await must(admin(['members', 'add-to-group', w.dir, '--member', w.member, '--group', GROUP, '--json']));
    for (const roleId of BUILTIN_ROLE_IDS) {
      await must(admin(['users', 'add', w.dir, '--name', userOf(roleId), '--role', roleId, '--groups', GROUP, '--json'], { SOLIDARICIEL_NEW_PASSWORD: PW }));
    }
    w.adminNote = (await must<{ id: string }>(admin(['notes', 'add', w.dir, '--member', w.inGroup, '--text', 'Note de la direction', '--visibility', 'everyone', '--json']))).id;
    w.adminTask = (await must<{ id: string }>(admin(['tasks', 'add', w.dir, '--title', 'Tâche de la direction', '--member', w.inGroup, '--json']))).id;
    w.adminDocument = (await must<{ id: string }>(admin(['vault', 'add', w.dir, '--member', w.inGroup, '--type', 'carte_identite', SCAN, '--json']))).id;
    w.csv = join(w.root, 'adherents.csv');
    writeFileSync(w.csv, 'Nom;Prénom;Email\nDupont;Jeanne;jeanne.dupont@exemple.fr\n');
  });
  afterAll(() => rmSync(w.root, { recursive: true, force: true }));

  it('every permission is either probed or listed as having no CLI path', () => {
    const probed = Object.keys(PROBES) as Permission[];
    expect([...probed, ...NO_CLI_PATH].sort()).toEqual([...PERMISSIONS].sort());
    expect(probed.filter((p) => NO_CLI_PATH.includes(p))).toEqual([]);
  });

  const cases = BUILTIN_ROLE_IDS.flatMap((roleId) =>
    (Object.keys(PROBES) as Permission[]).map((p) => ({ roleId, p, expected: granted(roleId, p) ? 'allowed' : 'refused' })),
  );

  it.each(cases)('$roleId × $p → $expected', async ({ roleId, p, expected }) => {
    const as = (args: string[]) => runAs(userOf(roleId), PW, args);
    const outcome = await PROBES[p]!(as, w);
    expect({ roleId, p, outcome: outcome.allowed ? 'allowed' : 'refused', stderr: outcome.allowed ? '' : outcome.run.stderr.trim() }).toMatchObject({
      roleId,
      p,
      outcome: expected,
    });
    if (outcome.allowed) expect(outcome.run.stderr).toBe('');
  });
});
