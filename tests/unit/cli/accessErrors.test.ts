/**
 * The access-rights commands of the CLI when something is refused or unknown, run in-process (tests/helpers/
 * cliAccess.ts: same parsing, contract and exit codes as the child process, at the tests' Argon2id cost): a refused
 * permission is exit 1 with the French message naming it; unknown group, user or request names are exit 1 naming
 * them; a volunteer (no users.manage) still names their groups and themselves; a tampered audit trail is exit 1
 * with the JSON report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSlot, readKeyring } from '../../../main/crypto/keyring';
import { openSqlCipher } from '../../../main/db/sqlcipherClient';
import type { CliRun } from '../../helpers/cli';
import { failed, ok, runAs, runInProcess } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const PW = 'mot de passe de test';
const GROUP = 'Antenne Nord';
const line = (run: CliRun, code: 1 | 2): string => failed(run, code).trim();
const refusal = (permission: string) => new RegExp(`^Permission manquante : .+ \\(${permission.replace('.', '\\.')}\\)\\. Demandez-la à un administrateur\\.$`);

describe('solidariciel CLI: access rights, refusals and unknown names (in-process)', () => {
  let root: string;
  let dir: string;
  let person: string;
  const marie = (args: string[], env = {}) => runAs('marie', PW, args, env);
  const bob = (args: string[]) => runAs('bob', PW, args);
  const zoe = (args: string[]) => runAs('zoe', PW, args);

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-refusals-');
    dir = join(root, 'Entraide.solidariciel');
    ok(await runInProcess(['init', dir, '--name', 'Entraide', '--admin', 'marie', '--json'], { SOLIDARICIEL_PASSWORD: PW }));
    ok(await marie(['groups', 'add', dir, '--name', GROUP, '--json']));
    ok(await marie(['users', 'add', dir, '--name', 'bob', '--role', 'social_worker', '--groups', GROUP, '--json'], { SOLIDARICIEL_NEW_PASSWORD: PW }));
    expect((await runInProcess(['users', 'request', dir, '--name', 'zoe'], { SOLIDARICIEL_NEW_PASSWORD: PW })).code).toBe(0);
    person = ok<{ id: string }>(await marie(['members', 'add', dir, '--first-name', 'Awa', '--last-name', 'Koné', '--json'])).id;
    ok(await marie(['members', 'add-to-group', dir, '--member', person, '--group', GROUP, '--json']));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('init without --json prints the recovery code once, with the advice to keep it in the office safe', async () => {
    const other = join(root, 'Autre.solidariciel');
    const run = await runInProcess(['init', other, '--name', 'Autre', '--admin', 'marie'], { SOLIDARICIEL_PASSWORD: PW });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      `Association « Autre » créée dans ${other}.`,
      expect.stringMatching(/^Code de secours : [0-9A-HJKMNP-TV-Z-]{25,}$/),
      "Notez-le et rangez-le dans le coffre du bureau : il permet de remplacer le mot de passe de n'importe quel utilisateur et ne sera plus jamais affiché.",
    ]);
  });

  it('a request not approved yet cannot unlock; approving an unknown name names the pending ones', async () => {
    expect(line(await zoe(['notes', 'list', dir, '--member', person, '--json']), 1)).toBe("Votre demande de compte attend l'accord d'un administrateur : vous pourrez ouvrir l'association ensuite.");
    expect(line(await marie(['users', 'approve', dir, '--name', 'personne', '--role', 'volunteer']), 1)).toBe('Aucune demande de compte au nom de « personne » (demandes en attente : zoe).');
    expect(line(await marie(['users', 'approve', dir, '--name', 'zoe', '--role', 'volunteer', '--groups', 'Sud']), 1)).toBe(`Groupe inconnu : « Sud ». Groupes : ${GROUP}.`);
    ok(await marie(['users', 'approve', dir, '--name', 'zoe', '--role', 'volunteer', '--groups', GROUP, '--json']));
    expect(ok(await marie(['users', 'list', dir, '--json']))).toEqual([
      { name: 'bob', role: 'social_worker', groups: [GROUP], status: 'active' },
      { name: 'marie', role: 'admin', groups: [], status: 'active' },
      { name: 'zoe', role: 'volunteer', groups: [GROUP], status: 'active' },
    ]);
  });

  it('users add: unknown group, no new password, an unknown role, a name taken', async () => {
    expect(line(await marie(['users', 'add', dir, '--name', 'claire', '--role', 'reception', '--groups', `${GROUP},Nulle Part`], { SOLIDARICIEL_NEW_PASSWORD: PW }), 1)).toBe(
      `Groupe inconnu : « Nulle Part ». Groupes : ${GROUP}.`,
    );
    expect(line(await marie(['users', 'add', dir, '--name', 'claire', '--role', 'reception']), 1)).toBe(
      'Nouveau mot de passe absent : définissez SOLIDARICIEL_NEW_PASSWORD ou lancez la commande dans un terminal.',
    );
    expect(line(await marie(['users', 'add', dir, '--name', 'claire', '--role', 'chef'], { SOLIDARICIEL_NEW_PASSWORD: PW }), 1)).toMatch(/chef/);
    expect(line(await marie(['users', 'add', dir, '--name', 'BOB', '--role', 'reception'], { SOLIDARICIEL_NEW_PASSWORD: PW }), 1)).toMatch(/BOB|bob/);
    expect(line(await marie(['groups', 'add', dir, '--name', GROUP.toUpperCase()]), 1)).toContain(GROUP.toUpperCase());
  });

  it('unknown names in --group and --visibility are exit 1 naming them', async () => {
    expect(line(await marie(['members', 'add-to-group', dir, '--member', person, '--group', 'Sud']), 1)).toBe(`Groupe inconnu : « Sud ». Groupes : ${GROUP}.`);
    const note = (visibility: string) => marie(['notes', 'add', dir, '--member', person, '--text', 'x', '--visibility', visibility]);
    expect(line(await note('groups:Nulle Part'), 1)).toBe(`Groupe inconnu : « Nulle Part ». Groupes : ${GROUP}.`);
    expect(line(await note('users:bob,fantome'), 1)).toBe('Utilisateur inconnu : « fantome ».');
  });

  it('users:NAMES round-trips through notes list; the named user sees it, another does not', async () => {
    const { id } = ok<{ id: string }>(await marie(['notes', 'add', dir, '--member', person, '--text', 'Pour Bob et moi', '--visibility', 'users:BOB,marie', '--json']));
    const mine = ok<{ id: string; visibility: string }[]>(await marie(['notes', 'list', dir, '--member', person, '--json']));
    expect(mine.find((n) => n.id === id)?.visibility).toBe('users:bob,marie');
    // Bob may not list users (no users.manage): names come from the directory of active users.
    const bobs = ok<{ id: string; visibility: string }[]>(await bob(['notes', 'list', dir, '--member', person, '--json']));
    expect(bobs.find((n) => n.id === id)?.visibility).toBe('users:bob,marie');
    const zoes = ok<{ id: string }[]>(await zoe(['notes', 'list', dir, '--member', person, '--json']));
    expect(zoes.map((n) => n.id)).not.toContain(id);
  });

  it('a volunteer (no users.manage, no groups.manage) names groups and users; tasks by name too', async () => {
    const { id } = ok<{ id: string }>(await zoe(['notes', 'add', dir, '--member', person, '--text', 'Visite faite', '--visibility', `groups:${GROUP}`, '--json']));
    const self = ok<{ id: string }>(await zoe(['notes', 'add', dir, '--member', person, '--text', 'Pour moi', '--visibility', 'users:zoe', '--json']));
    const own = ok<{ id: string; author: string; visibility: string }[]>(await zoe(['notes', 'list', dir, '--member', person, '--json']));
    expect(own.map((n) => [n.id, n.author, n.visibility]).sort()).toEqual([
      [id, 'zoe', `groups:${GROUP}`],
      [self.id, 'zoe', 'users:zoe'],
    ]);
    const toBob = ok<{ id: string }>(await zoe(['notes', 'add', dir, '--member', person, '--text', 'Pour Bob', '--visibility', 'users:bob,zoe', '--json']));
    const bobs = ok<{ id: string; visibility: string }[]>(await bob(['notes', 'list', dir, '--member', person, '--json']));
    expect(bobs.find((n) => n.id === toBob.id)?.visibility).toBe('users:bob,zoe');
    expect(line(await zoe(['notes', 'add', dir, '--member', person, '--text', 'x', '--visibility', 'users:fantome']), 1)).toBe('Utilisateur inconnu : « fantome ».');
    // Tasks: assigning by name and listing need no user list. A volunteer's tasks are their own (tasks.readOwn):
    // assigning one to someone else needs tasks.read.
    ok(await zoe(['tasks', 'add', dir, '--title', 'Appeler Awa', '--assignee', 'zoe', '--member', person, '--json']));
    expect(line(await zoe(['tasks', 'add', dir, '--title', 'Passer chez Awa', '--assignee', 'bob', '--member', person]), 1)).toMatch(refusal('tasks.read'));
    const tasks = ok<{ title: string; assignee: string | null }[]>(await zoe(['tasks', 'list', dir, '--json']));
    expect(tasks.map((t) => [t.title, t.assignee])).toEqual([['Appeler Awa', 'zoe']]);
  });

  it.each([
    ['groups add', ['groups', 'add', '@', '--name', 'Sud'], 'groups.manage'],
    ['users list', ['users', 'list', '@', '--json'], 'users.manage'],
    ['users add', ['users', 'add', '@', '--name', 'yann', '--role', 'readonly'], 'users.manage'],
    ['audit verify', ['audit', 'verify', '@', '--json'], 'audit.read'],
    ['db raw-copy', ['db', 'raw-copy', '@', '--out', '@copie.sqlite'], 'db.rawCopy'],
    ['members add-to-group', ['members', 'add-to-group', '@', '--member', '#', '--group', GROUP], 'people.assignGroups'],
    ['vault list', ['vault', 'list', '@', '--json'], 'documents.read'],
  ])('a volunteer: %s is exit 1 naming %s', async (_name, args, permission) => {
    const argv = args.map((a) => (a === '@' ? dir : a === '#' ? person : a.startsWith('@') ? join(root, a.slice(1)) : a));
    expect(line(await runAs('zoe', PW, argv, { SOLIDARICIEL_NEW_PASSWORD: PW }), 1)).toMatch(refusal(permission));
  });

  it('db raw-copy never overwrites a file; recovery reset-password with a wrong code is refused', async () => {
    const out = join(root, 'copie.sqlite');
    expect(ok(await marie(['db', 'raw-copy', dir, '--out', out, '--json']))).toEqual({ path: out });
    expect(line(await marie(['db', 'raw-copy', dir, '--out', out]), 1)).toBe(`Le fichier « ${out} » existe déjà : la copie n'écrase jamais un fichier, choisissez un autre nom.`);
    const wrong = { SOLIDARICIEL_RECOVERY_CODE: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012', SOLIDARICIEL_NEW_PASSWORD: 'autre mot de passe' };
    line(await runInProcess(['recovery', 'reset-password', dir, '--user', 'bob'], wrong), 1);
    expect(line(await runInProcess(['recovery', 'reset-password', dir, '--user', 'bob'], { SOLIDARICIEL_NEW_PASSWORD: 'x' }), 1)).toBe(
      'Code de secours absent : définissez SOLIDARICIEL_RECOVERY_CODE ou lancez la commande dans un terminal.',
    );
    ok(await bob(['notes', 'list', dir, '--member', person, '--json'])); // bob's password is unchanged
  });

  it('users confirm-keys: an administrator certifies a user’s keys by name (fingerprint printed); refused without users.manage; an unknown name is exit 1', async () => {
    expect(line(await bob(['users', 'confirm-keys', dir, '--name', 'zoe']), 1)).toMatch(refusal('users.manage'));
    expect(line(await marie(['users', 'confirm-keys', dir, '--name', 'personne']), 1)).toBe('Aucun utilisateur au nom de « personne ».');
    const done = ok<{ id: string; name: string; fingerprint: string }>(await marie(['users', 'confirm-keys', dir, '--name', 'bob', '--json']));
    expect(done).toEqual({ id: expect.any(String), name: 'bob', fingerprint: expect.stringMatching(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/) });
    const human = await marie(['users', 'confirm-keys', dir, '--name', 'bob']);
    expect({ code: human.code, stdout: human.stdout }).toEqual({ code: 0, stdout: `Clés de « bob » confirmées (empreinte ${done.fingerprint}).\n` });
  });

  it('audit verify: a tampered entry is exit 1 with the JSON report naming it (and one French line without --json)', async () => {
    expect(ok(await marie(['audit', 'verify', dir, '--json']))).toMatchObject({ ok: true, firstBadEntry: null });
    const { dbKey } = await openSlot(await readKeyring(dir), 'marie', PW);
    const db = openSqlCipher(join(dir, 'association.db'), Buffer.from(dbKey).toString('hex'));
    try {
      await db.raw('DROP TRIGGER audit_log_no_update');
      await db('audit_log').where({ seq: 3 }).update({ actor_name: 'quelqu’un d’autre' });
    } finally {
      await db.destroy();
    }
    const run = await marie(['audit', 'verify', dir, '--json']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(run.stdout) as { entries: number; ok: boolean; firstBadEntry: number | null };
    expect(report).toEqual({ entries: expect.any(Number), ok: false, firstBadEntry: 3 });
    const human = await marie(['audit', 'verify', dir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    // (The unlock just before added entries of its own.)
    expect(human.stderr).toMatch(/^Journal des opérations altéré : la chaîne est rompue à l'entrée n° 3 \(\d+ entrée\(s\)\)\.\n$/);
  });
});
