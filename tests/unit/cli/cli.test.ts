/**
 * The CLI for real: every command form of the issue run as a child process (no TTY, password in
 * SOLIDARICIEL_PASSWORD), its exact JSON output, its exit codes (0 success, 1 failure, 2 usage) and its French
 * messages. Each unlock costs about a second of Argon2id (MODERATE class), so the tests share one association and
 * run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readKeyring } from '../../../main/crypto/keyring';
import { parseJsonOut, runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';
import { COMMANDS } from '../../../main/cli/index';

/** First words of the commands, in the order the CLI lists them. */
const commandWords = () => [...new Set(COMMANDS.map((c) => c.words.split(' ')[0]!))];

const FIXTURES = resolve(process.cwd(), '../shared/fixtures');
const imports = (name: string) => join(FIXTURES, 'imports', name);
const scans = (name: string) => join(FIXTURES, 'scans', name);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function blobFiles(dir: string): string[] {
  const vault = join(dir, 'vault');
  if (!existsSync(vault)) return [];
  return readdirSync(vault).flatMap((d) => (statSync(join(vault, d)).isDirectory() ? readdirSync(join(vault, d)).map((f) => join(vault, d, f)) : []));
}

describe('solidariciel CLI', () => {
  let root: string;
  let dir: string;
  let helene: { id: string };
  let added: { id: string };
  let overdueTask: string;
  let jpegDoc: { id: string; pages: number; sha256: string };
  let tiffDoc: { id: string; pages: number; sha256: string };

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-');
    dir = join(root, 'Entraide-Paris-11.solidariciel');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('init DIR --name NAME --admin USER creates the association with a MODERATE-class key slot', async () => {
    const out = ok<Record<string, unknown>>(await runCli(['init', dir, '--name', 'Entraide Paris 11', '--admin', 'marie', '--json']));
    expect(Object.keys(out).sort()).toEqual(['admin', 'associationId', 'dir', 'recoveryCode']);
    expect(out).toMatchObject({ dir, admin: 'marie' });
    expect(out['associationId']).toMatch(UUID);
    const keyring = await readKeyring(dir);
    expect(keyring.associationId).toBe(out['associationId']);
    expect(keyring.slots.map((s) => s.userName)).toEqual(['marie']);
    expect(keyring.slots[0]!.kdf.opslimit).toBeGreaterThanOrEqual(3);
    expect(keyring.slots[0]!.kdf.memlimit).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(readFileSync(join(dir, 'association.db')).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    // Without --json: one French sentence.
    const again = await runCli(['init', dir, '--name', 'Autre', '--admin', 'marie']);
    expect(failed(again, 1)).toMatch(/n'est pas vide/);
    // A folder that cannot be created: one French line naming it (was INTERNAL with a stack trace on stderr).
    writeFileSync(join(root, 'un-fichier'), 'x');
    const blocked = join(root, 'un-fichier', 'asso');
    const run = await runCli(['init', blocked, '--name', 'Autre', '--admin', 'marie']);
    expect(failed(run, 1).trim().split('\n')).toEqual([`Impossible de créer le dossier « ${blocked} » (ENOTDIR) : choisissez un dossier accessible en écriture.`]);
  });

  it('members import DIR FILE --dry-run --json reports without writing', async () => {
    const out = ok<Record<string, unknown>>(await runCli(['members', 'import', dir, imports('helloasso-paiements.csv'), '--dry-run', '--json']));
    expect(Object.keys(out)).toEqual(['imported', 'updated', 'unchanged', 'payments', 'errors', 'warnings']);
    expect(out).toMatchObject({ imported: 19, updated: 0, unchanged: 0 });
    // Nothing was written: the real import below still creates the 19 people (none is "unchanged").
  });

  it('members import DIR FILE --json: the three fixtures, with the line of every error and warning', async () => {
    type Report = { imported: number; updated: number; unchanged: number; errors: { line: number; message: string }[]; warnings: { line: number; field: string; message: string }[] };
    const lines = (r: Report) => ({
      imported: r.imported,
      updated: r.updated,
      unchanged: r.unchanged,
      errors: r.errors.map((e) => e.line),
      warnings: r.warnings.map((w) => [w.line, w.field]),
    });
    const hello = ok<Report>(await runCli(['members', 'import', dir, imports('helloasso-paiements.csv'), '--json']));
    expect(lines(hello)).toEqual({ imported: 19, updated: 0, unchanged: 0, errors: [6], warnings: [[8, 'birthDate'], [10, 'email']] });
    for (const e of hello.errors) expect(Object.keys(e)).toEqual(['line', 'message']);
    for (const w of hello.warnings) expect(Object.keys(w)).toEqual(['line', 'field', 'message']);
    expect(hello.errors[0]!.message).toMatch(/^Ligne 6 : .*nom et prénom absents/);
    expect(hello.warnings[0]!.message).toContain('31/02/1980');

    const tableur = ok<Report>(await runCli(['members', 'import', dir, imports('tableur-tresorier.csv'), '--json']));
    expect(lines(tableur)).toEqual({ imported: 1, updated: 11, unchanged: 0, errors: [3], warnings: [] });
    const paheko = ok<Report>(await runCli(['members', 'import', dir, imports('paheko-membres.csv'), '--json']));
    expect(lines(paheko)).toEqual({ imported: 19, updated: 0, unchanged: 0, errors: [6], warnings: [] });
  });

  it('members add DIR --first-name F --last-name L [--birth-date] [--email] [--phone] --json → {id}', async () => {
    const out = ok<Record<string, unknown>>(
      await runCli(['members', 'add', dir, '--first-name', 'Côme', '--last-name', "N'Diaye", '--birth-date', '1990-03-04', '--email', 'come.ndiaye@exemple.fr', '--phone', '06 01 02 03 04', '--json']),
    );
    expect(Object.keys(out)).toEqual(['id']);
    expect(out['id']).toMatch(UUID);
    added = { id: out['id'] as string };
  });

  it('members list DIR [--search TEXT] --json', async () => {
    const all = ok<Record<string, unknown>[]>(await runCli(['members', 'list', dir, '--json']));
    expect(all).toHaveLength(40); // 39 imported + the one added above
    for (const p of all) expect(Object.keys(p)).toEqual(['id', 'firstName', 'lastName', 'email', 'phone', 'birthDate']);
    expect(all.find((p) => p['id'] === added.id)).toEqual({ id: added.id, firstName: 'Côme', lastName: "N'Diaye", email: 'come.ndiaye@exemple.fr', phone: '06 01 02 03 04', birthDate: '1990-03-04' });
    const found = ok<Record<string, unknown>[]>(await runCli(['members', 'list', dir, '--search', 'HELENE', '--json']));
    expect(found).toEqual([{ id: expect.stringMatching(UUID), firstName: 'Hélène', lastName: 'Diallo', email: 'helene.diallo19@exemple.fr', phone: null, birthDate: '1944-12-09' }]);
    helene = { id: found[0]!['id'] as string };
  });

  it('tasks add DIR --title T [--member ID] [--assignee USER] [--due YYYY-MM-DD] --json → {id}', async () => {
    const a = ok<Record<string, unknown>>(await runCli(['tasks', 'add', dir, '--title', 'Rappeler la CAF', '--member', helene.id, '--assignee', 'MARIE', '--due', '2020-01-15', '--json']));
    expect(Object.keys(a)).toEqual(['id']);
    expect(a['id']).toMatch(UUID);
    overdueTask = a['id'] as string;
    const b = ok<Record<string, unknown>>(await runCli(['tasks', 'add', dir, '--title', 'Préparer l’assemblée générale', '--json']));
    expect(b['id']).toMatch(UUID);
  });

  it('tasks list DIR [--member ID] [--overdue] --json', async () => {
    const overdue = ok<Record<string, unknown>[]>(await runCli(['tasks', 'list', dir, '--overdue', '--json']));
    expect(overdue).toEqual([{ id: overdueTask, title: 'Rappeler la CAF', status: 'todo', due: '2020-01-15', memberId: helene.id, assignee: 'marie' }]);
    expect(Object.keys(overdue[0]!)).toEqual(['id', 'title', 'status', 'due', 'memberId', 'assignee']);
    // --member: only that person's tasks (the task without a member is left out), whatever their due date.
    const forHelene = ok<{ id: string }[]>(await runCli(['tasks', 'list', dir, '--member', helene.id, '--json']));
    expect(forHelene.map((t) => t.id)).toEqual([overdueTask]);
  });

  it('vault add DIR --member ID --type TYPE [--expires] FILE... --json → {id,pages,sha256}: two JPEG pages, a two-page TIFF', async () => {
    const jpeg = ok<{ id: string; pages: number; sha256: string }>(
      await runCli(['vault', 'add', dir, '--member', helene.id, '--type', 'attestation_domiciliation', '--expires', '2027-06-30', scans('attestation-domicile-p1.jpg'), scans('attestation-domicile-p2.jpg'), '--json']),
    );
    expect(Object.keys(jpeg)).toEqual(['id', 'pages', 'sha256']);
    expect(jpeg).toEqual({ id: expect.stringMatching(UUID), pages: 2, sha256: expect.stringMatching(SHA256) });
    jpegDoc = jpeg;
    const tiff = ok<{ id: string; pages: number; sha256: string }>(await runCli(['vault', 'add', dir, '--member', added.id, '--type', 'attestation_domiciliation', scans('attestation-domicile-2pages.tif'), '--json']));
    expect(tiff.pages).toBe(2);
    tiffDoc = tiff;
    expect(blobFiles(dir)).toHaveLength(2);
  });

  it('vault add to an unknown member: exit 1, French message, no blob left behind', async () => {
    const before = blobFiles(dir);
    const run = await runCli(['vault', 'add', dir, '--member', '0190a5a0-0000-7000-8000-000000000000', '--type', 'autre', scans('carte-identite-specimen.png'), '--json']);
    expect(failed(run, 1)).toMatch(/Personne introuvable/);
    expect(blobFiles(dir)).toEqual(before);
  });

  it('vault list DIR [--member ID] --json', async () => {
    const list = ok<Record<string, unknown>[]>(await runCli(['vault', 'list', dir, '--member', helene.id, '--json']));
    expect(list).toEqual([{ id: jpegDoc.id, memberId: helene.id, type: 'attestation_domiciliation', pages: 2, sha256: jpegDoc.sha256, expires: '2027-06-30' }]);
    expect(Object.keys(list[0]!)).toEqual(['id', 'memberId', 'type', 'pages', 'sha256', 'expires']);
  });

  it('vault export DIR DOCUMENT_ID --out FILE writes the decrypted PDF with the recorded SHA-256', async () => {
    const out = join(root, 'attestation.pdf');
    const run = await runCli(['vault', 'export', dir, jpegDoc.id, '--out', out]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain(resolve(out));
    const bytes = new Uint8Array(readFileSync(out));
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    expect(sha256(bytes)).toBe(jpegDoc.sha256);
    // A destination folder that does not exist: one French line naming it, no stack trace.
    const nowhere = join(root, 'pas-de-dossier', 'copie.pdf');
    const bad = await runCli(['vault', 'export', dir, jpegDoc.id, '--out', nowhere]);
    expect(failed(bad, 1).trim().split('\n')).toEqual([`Impossible d'écrire la copie dans « ${nowhere} » (ENOENT) : vérifiez que le dossier existe et est accessible en écriture.`]);
  });

  it('vault verify DIR --json → {checked, failed}; after tampering a blob: exit 1 naming the document', async () => {
    expect(ok(await runCli(['vault', 'verify', dir, '--json']))).toEqual({ checked: 2, failed: [] });
    const blobs = blobFiles(dir);
    expect(blobs).toHaveLength(2);
    const target = blobs[0]!;
    const bytes = readFileSync(target);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    writeFileSync(target, bytes);
    const run = await runCli(['vault', 'verify', dir, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = parseJsonOut<{ checked: number; failed: { id: string; error: string }[] }>(run);
    expect(Object.keys(report)).toEqual(['checked', 'failed']);
    expect(report.checked).toBe(2);
    expect(report.failed).toHaveLength(1);
    expect(Object.keys(report.failed[0]!)).toEqual(['id', 'error']);
    const bad = report.failed[0]!;
    expect([jpegDoc.id, tiffDoc.id]).toContain(bad.id);
    expect(bad.error).toContain(bad.id);
    expect(bad.error).toMatch(/illisible/);
  });

  it('a wrong password: exit 1, one French line on stderr, no stack trace', async () => {
    const run = await runCli(['members', 'list', dir, '--json'], { password: 'pas le bon mot de passe' });
    const err = failed(run, 1);
    expect(err.trim().split('\n')).toEqual(["Nom d'utilisateur ou mot de passe incorrect."]);
    // An unknown user: the same line.
    const unknown = await runCli(['members', 'list', dir, '--user', 'personne', '--json']);
    expect(failed(unknown, 1)).toBe(err);
  });

  it('no password and no terminal: exit 1 with a French message instead of waiting', async () => {
    const run = await runCli(['members', 'list', dir, '--json'], { password: null });
    expect(failed(run, 1).trim()).toBe('Mot de passe absent : définissez SOLIDARICIEL_PASSWORD ou lancez la commande dans un terminal.');
  });

  it('usage errors exit 2 with French messages, checked before unlocking', async () => {
    expect(commandWords()).toEqual(expect.arrayContaining(['init', 'users', 'members', 'groups', 'notes', 'messages', 'tasks', 'vault', 'sync', 'devices', 'conflicts', 'recovery', 'audit', 'db', 'treasury', 'agenda', 'engagement']));
    // A folder with no association: had the command tried to unlock, it would exit 1 (NOT_AN_ASSOCIATION).
    const nowhere = join(root, 'no-association-here');
    const cases: [string[], RegExp][] = [
      [['frobnicate', nowhere], new RegExp(`^Commande inconnue : frobnicate\\. Commandes : ${commandWords().join(', ')} \\(aide : help\\)\\.`)],
      [['members', 'delete', nowhere], /^Commande inconnue : members delete\. Sous-commandes de « members » : import, list, add, update, add-to-group, export, import-export, erase\./],
      [['members', 'list', nowhere, '--bogus'], /^Option inconnue : --bogus\.\nUsage : members list DIR/],
      [['members', 'list', nowhere, '--search'], /^L'option --search attend une valeur\./],
      [['members', 'list', nowhere, '--json=oui'], /^L'option --json ne prend pas de valeur\./],
      [['members', 'add', nowhere, '--first-name', 'Zoé'], /^Option --last-name obligatoire\./],
      [['tasks', 'add', nowhere, '--due', '2026-02-30', '--title', 'x'], /^Option --due : date attendue au format AAAA-MM-JJ/],
      [['tasks', 'list', nowhere, '--member', '42'], /^Option --member : identifiant attendu/],
      [['vault', 'add', nowhere, '--member', helene.id, '--type', 'facture', scans('carte-identite-specimen.png')], /^Type inconnu : « facture »\. Types possibles : carte_identite, /],
      [['vault', 'list'], /^Argument manquant\.\nUsage : vault list DIR/],
      [['vault', 'export', nowhere, jpegDoc.id], /^Option --out obligatoire\./],
      [[], /^Commande manquante\./],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain('    at ');
      expect(run.stderr).not.toMatch(/Unknown option|argument missing|does not take|To specify a positional/);
    }
    // --help on a command prints its usage on stdout and exits 0 without running it.
    const help = await runCli(['vault', 'add', nowhere, '--help']);
    expect(help).toEqual({ code: 0, stdout: `Usage : ${'vault add DIR --member ID --type TYPE [--expires AAAA-MM-JJ] [--issued AAAA-MM-JJ] [--note TEXTE] FICHIER... [--json]'}\n`, stderr: '' });
  });

  it('npm run -s cli -- … prints nothing else on stdout', async () => {
    const run = await runCli(['members', 'list', dir, '--search', 'helene', '--json'], { viaNpm: true });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('    at ');
    expect(parseJsonOut<{ id: string }[]>(run).map((p) => p.id)).toEqual([helene.id]);
  });
});
