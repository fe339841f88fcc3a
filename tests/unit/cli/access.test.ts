/**
 * The access-rights commands of the CLI (issue 3 §10) as child processes (no TTY, secrets in the environment): their
 * exact JSON, exit codes 0/1/2, French messages (a refused permission names it), names of groups and users resolved,
 * the recovery-code flow, and `db raw-copy` (plain SQLite, without the text of an "only me" note). The default matrix
 * runs in-process in accessMatrix.test.ts. Each unlock costs about a second (MODERATE Argon2id): tests run in order
 * on one association.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_PASSWORD, runCli, type CliRun } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** 25 Crockford base32 characters, dashes and spaces allowed in between (shared/domain/user.ts `recoveryCode`). */
const RECOVERY = /^[0-9A-HJKMNP-TV-Z]{25}$/;
const GROUP = 'Antenne Nord';
const BOB_PW = 'mot de passe de bob';
const ZOE_PW = 'mot de passe de zoé';

/** A failure's one-line message (see `failed`). */
const line = (run: CliRun, code: 1 | 2): string => failed(run, code).trim();

/** The refusal of a permission: exit 1, one French line naming it. */
function refused(run: CliRun, permission: string): void {
  expect(line(run, 1)).toMatch(new RegExp(`^Permission manquante : .*\\(${permission.replace('.', '\\.')}\\)\\. Demandez-la à un administrateur\\.$`));
}

const as = (user: string, password: string, args: string[], env: Record<string, string> = {}) => runCli([...args, '--user', user], { password, env });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

describe('solidariciel CLI: access rights', () => {
  let root: string;
  let dir: string;
  let person: string;
  const notes: Record<'everyone' | 'groups' | 'users' | 'me' | 'zoe', string> = { everyone: '', groups: '', users: '', me: '', zoe: '' };
  const tag = randomBytes(6).toString('hex');
  const EVERYONE_TEXT = `Accompagnement CAF pour tous ${tag}`;
  const ME_TEXT = `Confidence personnelle ${tag} ne pas diffuser`;

  beforeAll(() => {
    root = tempDir('solidariciel-cli-access-');
    dir = join(root, 'Entraide.solidariciel');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('init --json adds the recovery code to associationId, dir, admin', async () => {
    const out = ok<Record<string, string>>(await runCli(['init', dir, '--name', 'Entraide', '--admin', 'marie', '--json']));
    expect(Object.keys(out).sort()).toEqual(['admin', 'associationId', 'dir', 'recoveryCode']);
    expect(out).toMatchObject({ dir, admin: 'marie', associationId: expect.stringMatching(UUID) });
    expect(out['recoveryCode']!.replace(/[\s-]/g, '')).toMatch(RECOVERY);
  });

  it('groups add --json → {id}; a volunteer-free admin path; the same name twice is refused', async () => {
    const out = ok<Record<string, string>>(await runCli(['groups', 'add', dir, '--name', GROUP, '--json']));
    expect(out).toEqual({ id: expect.stringMatching(UUID) });
    expect(line(await runCli(['groups', 'add', dir, '--name', GROUP.toUpperCase()]), 1)).toContain(GROUP.toUpperCase());
  });

  it('users add --role --groups (names) with SOLIDARICIEL_NEW_PASSWORD → {id}; bad role, unknown group, no password', async () => {
    const out = ok<Record<string, string>>(await runCli(['users', 'add', dir, '--name', 'bob', '--role', 'social_worker', '--groups', GROUP, '--display-name', 'Bob Martin', '--json'], { env: { SOLIDARICIEL_NEW_PASSWORD: BOB_PW } }));
    expect(out).toEqual({ id: expect.stringMatching(UUID) });
    // Checked before unlocking: exit 2.
    expect(line(await runCli(['users', 'add', dir, '--name', 'x', '--role', 'Chef!'], { env: { SOLIDARICIEL_NEW_PASSWORD: 'x' } }), 2)).toMatch(/^Option --role : identifiant de rôle attendu/);
    expect(line(await runCli(['users', 'add', dir, '--name', 'x']), 2)).toBe('Option --role obligatoire.');
    expect(line(await runCli(['users', 'add', dir, '--name', 'claire', '--role', 'reception', '--groups', `${GROUP},Nulle Part`], { env: { SOLIDARICIEL_NEW_PASSWORD: 'x' } }), 1)).toBe(
      `Groupe inconnu : « Nulle Part ». Groupes : ${GROUP}.`,
    );
    expect(line(await runCli(['users', 'add', dir, '--name', 'claire', '--role', 'reception']), 1)).toBe(
      'Nouveau mot de passe absent : définissez SOLIDARICIEL_NEW_PASSWORD ou lancez la commande dans un terminal.',
    );
  });

  it('users request (no unlock): the newcomer cannot unlock before approval', async () => {
    const run = await runCli(['users', 'request', dir, '--name', 'zoe'], { password: null, env: { SOLIDARICIEL_NEW_PASSWORD: ZOE_PW } });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/administrateur/);
    expect(line(await as('zoe', ZOE_PW, ['members', 'list', dir, '--json']), 1)).not.toBe('');
  });

  it('users list --json → [{name, role, groups, status}]: active users by name, then pending requests (role null)', async () => {
    const rows = ok<Record<string, unknown>[]>(await runCli(['users', 'list', dir, '--json']));
    for (const r of rows) expect(Object.keys(r)).toEqual(['name', 'role', 'groups', 'status']);
    expect(rows).toEqual([
      { name: 'bob', role: 'social_worker', groups: [GROUP], status: 'active' },
      { name: 'marie', role: 'admin', groups: [], status: 'active' },
      { name: 'zoe', role: null, groups: [], status: 'pending' },
    ]);
  });

  it('users approve --name --role --groups: found by name; an unknown request is exit 1 naming it', async () => {
    expect(line(await runCli(['users', 'approve', dir, '--name', 'personne', '--role', 'volunteer']), 1)).toBe('Aucune demande de compte au nom de « personne » (demandes en attente : zoe).');
    const out = ok<Record<string, string>>(await runCli(['users', 'approve', dir, '--name', 'ZOE', '--role', 'volunteer', '--groups', GROUP, '--json']));
    expect(out).toEqual({ id: expect.stringMatching(UUID), name: 'zoe', role: 'volunteer' });
    const rows = ok<{ name: string }[]>(await runCli(['users', 'list', dir, '--json']));
    expect(rows.find((r) => r.name === 'zoe')).toEqual({ name: 'zoe', role: 'volunteer', groups: [GROUP], status: 'active' });
  });

  it('members add-to-group --member --group (name) --json → {memberId, groups}; unknown group exit 1', async () => {
    person = ok<{ id: string }>(await runCli(['members', 'add', dir, '--first-name', 'Awa', '--last-name', 'Koné', '--json'])).id;
    expect(ok(await runCli(['members', 'add-to-group', dir, '--member', person, '--group', GROUP.toLowerCase(), '--json']))).toEqual({ memberId: person, groups: [GROUP] });
    expect(line(await runCli(['members', 'add-to-group', dir, '--member', person, '--group', 'Sud']), 1)).toBe(`Groupe inconnu : « Sud ». Groupes : ${GROUP}.`);
    expect(line(await runCli(['members', 'add-to-group', dir, '--member', 'abc', '--group', 'Sud']), 2)).toMatch(/^Option --member : identifiant attendu/);
  });

  it('notes add --visibility everyone|groups:G|users:U|me --json → {id}; bad form exit 2; unknown names exit 1', async () => {
    const add = async (visibility: string, text: string) => ok<{ id: string }>(await runCli(['notes', 'add', dir, '--member', person, '--text', text, '--visibility', visibility, '--json']));
    const a = await add('everyone', EVERYONE_TEXT);
    expect(a).toEqual({ id: expect.stringMatching(UUID) });
    notes.everyone = a.id;
    notes.groups = (await add(`groups:${GROUP}`, 'Pour l’antenne')).id;
    notes.users = (await add('users:BOB', 'Pour Bob seulement')).id;
    notes.me = (await add('me', ME_TEXT)).id;
    expect(line(await runCli(['notes', 'add', dir, '--member', person, '--text', 't', '--visibility', 'tous']), 2)).toMatch(/^Option --visibility : attendu everyone, me, groups:/);
    expect(line(await runCli(['notes', 'add', dir, '--member', person, '--text', 't', '--visibility', 'groups:']), 2)).toMatch(/^Option --visibility/);
    expect(line(await runCli(['notes', 'add', dir, '--member', person, '--text', 't', '--visibility', 'groups:Nulle Part']), 1)).toBe(`Groupe inconnu : « Nulle Part ». Groupes : ${GROUP}.`);
    expect(line(await runCli(['notes', 'add', dir, '--member', person, '--text', 't', '--visibility', 'users:bob,fantome']), 1)).toBe('Utilisateur inconnu : « fantome ».');
  });

  it('notes list --json → [{id, text, author, visibility, createdAt}], visibility in the --visibility form', async () => {
    const rows = ok<Record<string, string>[]>(await runCli(['notes', 'list', dir, '--member', person, '--json']));
    for (const r of rows) expect(Object.keys(r)).toEqual(['id', 'text', 'author', 'visibility', 'createdAt']);
    const byId = new Map(rows.map((r) => [r['id'], r]));
    expect(byId.get(notes.everyone)).toEqual({ id: notes.everyone, text: EVERYONE_TEXT, author: 'marie', visibility: 'everyone', createdAt: expect.stringMatching(INSTANT) });
    expect([notes.everyone, notes.groups, notes.users, notes.me].map((id) => byId.get(id)?.['visibility'])).toEqual(['everyone', `groups:${GROUP}`, 'users:bob', 'me']);
    expect(rows).toHaveLength(4);
    // Bob (social worker, in the group, named in one note) sees three of them, never marie's "only me" note.
    const bob = ok<Record<string, string>[]>(await as('bob', BOB_PW, ['notes', 'list', dir, '--member', person, '--json']));
    expect(bob.map((r) => r['id']).sort()).toEqual([notes.everyone, notes.groups, notes.users].sort());
    expect(JSON.stringify(bob)).not.toContain(tag + ' ne pas');
  });

  it('a volunteer: notes with a group named (no users.manage, no groups.manage), only their own notes listed, refusals named', async () => {
    notes.zoe = ok<{ id: string }>(await as('zoe', ZOE_PW, ['notes', 'add', dir, '--member', person, '--text', 'Visite faite', '--visibility', `groups:${GROUP}`, '--json'])).id;
    const own = ok<Record<string, string>[]>(await as('zoe', ZOE_PW, ['notes', 'list', dir, '--member', person, '--json']));
    expect(own.map((r) => [r['id'], r['author'], r['visibility']])).toEqual([[notes.zoe, 'zoe', `groups:${GROUP}`]]);
    refused(await as('zoe', ZOE_PW, ['groups', 'add', dir, '--name', 'Sud']), 'groups.manage');
    refused(await as('zoe', ZOE_PW, ['users', 'list', dir, '--json']), 'users.manage');
    refused(await as('zoe', ZOE_PW, ['audit', 'verify', dir, '--json']), 'audit.read');
  });

  it('audit verify --json → {entries, ok, firstBadEntry}', async () => {
    const out = ok<Record<string, unknown>>(await runCli(['audit', 'verify', dir, '--json']));
    expect(Object.keys(out)).toEqual(['entries', 'ok', 'firstBadEntry']);
    expect(out).toEqual({ entries: expect.any(Number), ok: true, firstBadEntry: null });
    expect(out['entries']).toBeGreaterThan(10);
  });

  it('db raw-copy --out: plain SQLite, an "everyone" note in clear, never the text of an "only me" note; no overwrite; admin only', async () => {
    const out = join(root, 'copie.sqlite');
    const run = await runCli(['db', 'raw-copy', dir, '--out', out]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(out);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    // The copy opens without a key (SQLCipher with no key is plain SQLite) and holds the association's tables.
    const sqlite = createRequire(import.meta.url)('@journeyapps/sqlcipher') as { Database: new (file: string, mode: number, cb: (e: Error | null) => void) => { all(sql: string, cb: (e: Error | null, rows: { name: string }[]) => void): void; close(cb: () => void): void }; OPEN_READONLY: number };
    const db = await new Promise<InstanceType<typeof sqlite.Database>>((res, rej) => {
      const d = new sqlite.Database(out, sqlite.OPEN_READONLY, (e) => (e ? rej(e) : res(d)));
    });
    const tables = await new Promise<string[]>((res, rej) => db.all("select name from sqlite_master where type = 'table'", (e, rows) => (e ? rej(e) : res(rows.map((r) => r.name)))));
    await new Promise<void>((res) => db.close(res));
    expect(tables).toEqual(expect.arrayContaining(['people', 'users']));
    // The grep works (the "everyone" note is there in clear) and finds no trace of the "only me" note.
    expect(bytes.includes(Buffer.from(EVERYONE_TEXT, 'utf8'))).toBe(true);
    expect(bytes.includes(Buffer.from(tag + ' ne pas', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(ME_TEXT, 'utf8'))).toBe(false);
    // Nor in any file of the association folder.
    for (const f of filesUnder(dir)) expect({ f, found: readFileSync(f).includes(Buffer.from(tag + ' ne pas', 'utf8')) }).toEqual({ f, found: false });

    expect(line(await runCli(['db', 'raw-copy', dir, '--out', out]), 1)).toBe(`Le fichier « ${out} » existe déjà : la copie n'écrase jamais un fichier, choisissez un autre nom.`);
    const other = join(root, 'copie-bob.sqlite');
    refused(await as('bob', BOB_PW, ['db', 'raw-copy', dir, '--out', other]), 'db.rawCopy');
    expect(existsSync(other)).toBe(false);
  });

  it('recovery reset-password: the code printed by init resets a password; old refused, new works; a wrong code fails; audit still ok', async () => {
    const dir2 = join(root, 'Secours.solidariciel');
    const init = await runCli(['init', dir2, '--name', 'Secours', '--admin', 'marie']);
    expect({ code: init.code, stderr: init.stderr }).toEqual({ code: 0, stderr: '' });
    expect(init.stdout).toMatch(/coffre du bureau/);
    const code = /Code de secours : (.+)/.exec(init.stdout)![1]!.trim();
    expect(code.replace(/[\s-]/g, '')).toMatch(RECOVERY);
    ok(await runCli(['users', 'add', dir2, '--name', 'alice', '--role', 'reception', '--json'], { env: { SOLIDARICIEL_NEW_PASSWORD: 'ancien mot de passe' } }));

    const wrong = await runCli(['recovery', 'reset-password', dir2, '--user', 'alice'], { password: null, env: { SOLIDARICIEL_RECOVERY_CODE: 'ABCDE-FGHJK-MNPQR-STVWX-YZ012', SOLIDARICIEL_NEW_PASSWORD: 'nouveau mot de passe' } });
    failed(wrong, 1);
    const reset = await runCli(['recovery', 'reset-password', dir2, '--user', 'alice', '--json'], { password: null, env: { SOLIDARICIEL_RECOVERY_CODE: code, SOLIDARICIEL_NEW_PASSWORD: 'nouveau mot de passe' } });
    expect(ok(reset)).toEqual({ user: 'alice', reset: true });

    expect(line(await as('alice', 'ancien mot de passe', ['members', 'list', dir2, '--json']), 1)).toBe("Nom d'utilisateur ou mot de passe incorrect.");
    expect(ok(await as('alice', 'nouveau mot de passe', ['members', 'list', dir2, '--json']))).toEqual([]);
    expect(ok(await as('marie', CLI_PASSWORD, ['audit', 'verify', dir2, '--json']))).toMatchObject({ ok: true, firstBadEntry: null });
    expect(line(await runCli(['recovery', 'reset-password', dir2]), 2)).toBe('Option --user obligatoire.');
  });
});
