/**
 * The access-rights commands of the CLI (issue 3 §10) as child processes (no TTY, secrets in the environment): the
 * exact JSON of every command's happy path, the recovery-code flow, and `db raw-copy` (plain SQLite, without the
 * text of an "only me" note). Failures, refusals and name lookups run in-process in accessErrors.test.ts, the
 * default matrix in accessMatrix.test.ts. Each unlock costs about two seconds (MODERATE Argon2id and process start):
 * the tests share one association and run in order, and usage errors (exit 2) are checked before any unlock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliOptions, type CliRun } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';
import { leaks } from '../../helpers/files';
import { plainQuery } from '../../helpers/plainSqlite';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** 25 Crockford base32 characters once dashes and spaces are removed (shared/domain/user.ts `recoveryCode`). */
const RECOVERY = /^[0-9A-HJKMNP-TV-Z]{25}$/;
const GROUP = 'Antenne Nord';
const BOB_PW = 'mot de passe de bob';

const as = (user: string, password: string, args: string[], env: Record<string, string> = {}) => runCli([...args, '--user', user], { password, env });
/** The CLI as marie, the administrator (SOLIDARICIEL_USER; --user would win over it). */
const cli = (args: string[], options: CliOptions = {}) => runCli(args, { ...options, env: { SOLIDARICIEL_USER: 'marie', ...options.env } });
/** A failure's one-line message (see `failed`). */
const line = (run: CliRun, code: 1 | 2): string => failed(run, code).trim();

describe('solidariciel CLI: access rights (child processes)', () => {
  let root: string;
  let dir: string;
  let recoveryCode: string;
  let person: string;
  const notes = { everyone: '', groups: '', me: '' };
  const tag = randomBytes(6).toString('hex');
  const EVERYONE_TEXT = `Accompagnement CAF pour tous ${tag}`;
  const ME_TEXT = `Confidence ${tag} à ne pas diffuser`;

  beforeAll(() => {
    root = tempDir('solidariciel-cli-access-');
    dir = join(root, 'Entraide.solidariciel');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('init --json adds the recovery code to associationId, dir, admin', async () => {
    const out = ok<Record<string, string>>(await runCli(['init', dir, '--name', 'Entraide', '--admin', 'marie', '--json']));
    expect(Object.keys(out)).toEqual(['associationId', 'dir', 'admin', 'recoveryCode']);
    expect(out).toMatchObject({ dir, admin: 'marie', associationId: expect.stringMatching(UUID) });
    recoveryCode = out['recoveryCode']!;
    expect(recoveryCode.replace(/[\s-]/g, '')).toMatch(RECOVERY);
  });

  it('groups add --json → {id}', async () => {
    expect(ok(await cli(['groups', 'add', dir, '--name', GROUP, '--json']))).toEqual({ id: expect.stringMatching(UUID) });
  });

  it('users add --name --role --groups NAMES --display-name (SOLIDARICIEL_NEW_PASSWORD) --json → {id}', async () => {
    const run = await cli(['users', 'add', dir, '--name', 'bob', '--role', 'social_worker', '--groups', GROUP, '--display-name', 'Bob Martin', '--json'], { env: { SOLIDARICIEL_NEW_PASSWORD: BOB_PW } });
    expect(ok(run)).toEqual({ id: expect.stringMatching(UUID) });
  });

  it('users request (no unlock) → users list --json shows it pending → users approve --json', async () => {
    const request = await runCli(['users', 'request', dir, '--name', 'zoe'], { password: null, env: { SOLIDARICIEL_NEW_PASSWORD: 'mot de passe de zoé' } });
    expect({ code: request.code, stderr: request.stderr }).toEqual({ code: 0, stderr: '' });
    expect(request.stdout).toBe("Demande de compte « zoe » enregistrée : un administrateur doit l'approuver avant le premier déverrouillage.\n");

    const rows = ok<Record<string, unknown>[]>(await cli(['users', 'list', dir, '--json']));
    for (const r of rows) expect(Object.keys(r)).toEqual(['name', 'role', 'groups', 'status']);
    expect(rows).toEqual([
      { name: 'bob', role: 'social_worker', groups: [GROUP], status: 'active' },
      { name: 'marie', role: 'admin', groups: [], status: 'active' },
      { name: 'zoe', role: null, groups: [], status: 'pending' },
    ]);

    const approved = ok(await cli(['users', 'approve', dir, '--name', 'ZOE', '--role', 'volunteer', '--groups', GROUP, '--json']));
    expect(approved).toEqual({ id: expect.stringMatching(UUID), name: 'zoe', role: 'volunteer' });
  });

  it('members add-to-group --member ID --group NAME --json → {memberId, groups}', async () => {
    person = ok<{ id: string }>(await cli(['members', 'add', dir, '--first-name', 'Awa', '--last-name', 'Koné', '--json'])).id;
    expect(ok(await cli(['members', 'add-to-group', dir, '--member', person, '--group', GROUP.toLowerCase(), '--json']))).toEqual({ memberId: person, groups: [GROUP] });
  });

  it('notes add --visibility everyone | groups:NAME | me --json → {id}', async () => {
    const add = async (visibility: string, text: string) => ok<{ id: string }>(await cli(['notes', 'add', dir, '--member', person, '--text', text, '--visibility', visibility, '--json']));
    const first = await add('everyone', EVERYONE_TEXT);
    expect(first).toEqual({ id: expect.stringMatching(UUID) });
    notes.everyone = first.id;
    notes.groups = (await add(`groups:${GROUP}`, 'Pour l’antenne')).id;
    notes.me = (await add('me', ME_TEXT)).id;
  });

  it('notes list --json → [{id, text, author, visibility, createdAt}], the visibility in the --visibility form', async () => {
    const rows = ok<Record<string, string>[]>(await cli(['notes', 'list', dir, '--member', person, '--json']));
    for (const r of rows) expect(Object.keys(r)).toEqual(['id', 'text', 'author', 'visibility', 'createdAt']);
    const byId = new Map(rows.map((r) => [r['id'], r]));
    expect(rows).toHaveLength(3);
    expect(byId.get(notes.everyone)).toEqual({ id: notes.everyone, text: EVERYONE_TEXT, author: 'marie', visibility: 'everyone', createdAt: expect.stringMatching(INSTANT) });
    expect(byId.get(notes.groups)?.['visibility']).toBe(`groups:${GROUP}`);
    expect(byId.get(notes.me)).toMatchObject({ text: ME_TEXT, visibility: 'me' });
  });

  it('db raw-copy --out: plain SQLite with the "everyone" note in clear and no trace of the "only me" note', async () => {
    const out = join(root, 'copie.sqlite');
    const run = await cli(['db', 'raw-copy', dir, '--out', out]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(out);
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    // Decrypted data: readable by its owner only, whatever the umask (docs/threat-model.md).
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const tables = (plainQuery(out, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r['name']);
    expect(tables).toEqual(expect.arrayContaining(['people', 'users', 'case_notes', 'audit_log']));
    // The grep works (the "everyone" note is there in clear) and finds nothing of the "only me" note.
    expect(bytes.includes(Buffer.from(EVERYONE_TEXT, 'utf8'))).toBe(true);
    for (const needle of [ME_TEXT, `${tag} à ne pas`]) {
      for (const enc of ['utf8', 'utf16le'] as const) expect(bytes.includes(Buffer.from(needle, enc)), `${needle} (${enc})`).toBe(false);
    }
    // Nor in any file of the association folder (the "everyone" note is encrypted there too).
    expect(leaks(dir, [ME_TEXT, `${tag} à ne pas`, EVERYONE_TEXT])).toEqual([]);
    // --json: the path.
    const again = ok(await cli(['db', 'raw-copy', dir, '--out', join(root, 'copie2.sqlite'), '--json']));
    expect(again).toEqual({ path: join(root, 'copie2.sqlite') });
  });

  it('recovery reset-password --user (SOLIDARICIEL_RECOVERY_CODE, SOLIDARICIEL_NEW_PASSWORD, no unlock): old password refused, new one works', async () => {
    const env = { SOLIDARICIEL_RECOVERY_CODE: recoveryCode, SOLIDARICIEL_NEW_PASSWORD: 'nouveau mot de passe de bob' };
    expect(ok(await runCli(['recovery', 'reset-password', dir, '--user', 'bob', '--json'], { password: null, env }))).toEqual({ user: 'bob', reset: true });
    expect(line(await as('bob', BOB_PW, ['notes', 'list', dir, '--member', person, '--json']), 1)).toBe("Nom d'utilisateur ou mot de passe incorrect.");
    const bob = ok<{ id: string }[]>(await as('bob', 'nouveau mot de passe de bob', ['notes', 'list', dir, '--member', person, '--json']));
    // Bob keeps his keys (escrowed to the recovery key): he still reads his group's note, never marie's "only me".
    expect(bob.map((n) => n.id).sort()).toEqual([notes.everyone, notes.groups].sort());
  });

  it('audit verify --json → {entries, ok, firstBadEntry}: still intact after all of the above', async () => {
    const out = ok<Record<string, unknown>>(await cli(['audit', 'verify', dir, '--json']));
    expect(Object.keys(out)).toEqual(['entries', 'ok', 'firstBadEntry']);
    expect(out).toEqual({ entries: expect.any(Number), ok: true, firstBadEntry: null });
    expect(out['entries']).toBeGreaterThan(15);
  });

  it('usage errors exit 2 before unlocking (a folder with no association would be exit 1)', async () => {
    const nowhere = join(root, 'pas-une-association');
    const cases: [string[], string | RegExp][] = [
      [['users', 'add', nowhere, '--name', 'x', '--role', 'Chef!'], /^Option --role : identifiant de rôle attendu .*reçu « Chef! »\.$/],
      [['users', 'approve', nowhere, '--name', 'x'], 'Option --role obligatoire.'],
      [['groups', 'add', nowhere], 'Option --name obligatoire.'],
      [['members', 'add-to-group', nowhere, '--member', '42', '--group', GROUP], /^Option --member : identifiant attendu/],
      [['notes', 'add', nowhere, '--member', person, '--text', 't', '--visibility', 'tous'], /^Option --visibility : attendu everyone, me, groups:GROUPE1,GROUPE2 ou users:UTILISATEUR1,UTILISATEUR2 \(reçu « tous »\)\.$/],
      [['notes', 'add', nowhere, '--member', person, '--text', 't', '--visibility', 'groups: , '], /^Option --visibility/],
      [['notes', 'list', nowhere], 'Option --member obligatoire.'],
      [['recovery', 'reset-password', nowhere], 'Option --user obligatoire.'],
      [['db', 'raw-copy', nowhere], 'Option --out obligatoire.'],
      [['audit', 'frobnicate', nowhere], 'Commande inconnue : audit frobnicate. Sous-commandes de « audit » : verify.'],
    ];
    for (const [args, expected] of cases) {
      const message = line(await runCli(args), 2);
      if (typeof expected === 'string') expect(message).toBe(expected);
      else expect(message).toMatch(expected);
    }
  });
});
