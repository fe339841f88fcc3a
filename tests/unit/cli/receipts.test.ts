/**
 * The CLI of gifts and tax receipts (docs/treasury.md « Dons et reçus fiscaux ») as child processes, as issue 10 §9
 * writes them: `treasury gifts add` → {id}; `treasury receipts issue` (--gift, or --member --year) → {id, number};
 * `pdf --out` (read back with pdftotext; never over a file); `cancel`; `list` → [{number, personId, amountCents,
 * status, issuedOn}]; `summary` → {count, totalCents} without the cancelled. Bad input exits 2 (before the unlock)
 * or 1 with one French sentence.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const YEAR = new Date().getFullYear();
const NUMBER = new RegExp(`^${YEAR}-[0-9A-Z]{8}-\\d{4}$`);

describe('solidariciel CLI: gifts and tax receipts (child processes)', () => {
  let root: string;
  let dir: string;
  let person: string;

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-recus-');
    dir = join(root, 'A.solidariciel');
    ok(await runCli(['init', dir, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    const csv = join(root, 'donateurs.csv');
    writeFileSync(csv, 'Prénom;Nom;Adresse;Code postal;Ville\nOdette;Lacombe;7 rue des Tanneurs;31000;Toulouse\n');
    ok(await runCli(['members', 'import', dir, csv, '--json']));
    person = ok<{ id: string }[]>(await runCli(['members', 'list', dir, '--json']))[0]!.id;
    ok(
      await runCli([
        'treasury', 'receipts', 'settings', dir, '--name', 'Entraide A', '--siren', '123456789', '--address', '1 place du Capitole', '--postal-code', '31000',
        '--city', 'Toulouse', '--object', 'Entraide de quartier', '--org-kind', 'general_interest', '--signatory', 'Marie Roux', '--place', 'Toulouse', '--json',
      ]),
    );
  }, 300_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('records gifts, issues one receipt per gift and a yearly cumul, prints, cancels, lists and sums', async () => {
    const g1 = ok<{ id: string }>(await runCli(['treasury', 'gifts', 'add', dir, '--member', person, '--amount', '280,50', '--method', 'cheque', '--date', `${YEAR}-03-12`, '--json']));
    const r1 = ok<{ id: string; number: string }>(await runCli(['treasury', 'receipts', 'issue', dir, '--gift', g1.id, '--json']));
    expect(r1.number).toMatch(NUMBER);
    ok(await runCli(['treasury', 'gifts', 'add', dir, '--member', person, '--amount', '80.00', '--method', 'cash', '--date', `${YEAR}-04-01`, '--form', 'manual', '--nature', 'cash', '--json']));
    const r2 = ok<{ number: string }>(await runCli(['treasury', 'receipts', 'issue', dir, '--member', person, '--year', String(YEAR), '--json']));
    expect(r2.number.slice(0, -4)).toBe(r1.number.slice(0, -4));
    expect(r2.number.slice(-4)).toBe('0002');

    const out = join(root, 'recu.pdf');
    expect(ok(await runCli(['treasury', 'receipts', 'pdf', dir, '--number', r1.number, '--out', out, '--json']))).toEqual({ path: out, bytes: expect.any(Number) });
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain(r1.number);
    expect(text).toContain('deux cent quatre-vingts euros et cinquante centimes');
    expect(text).toContain('Lacombe');
    expect(failed(await runCli(['treasury', 'receipts', 'pdf', dir, '--number', r1.number, '--out', out]), 1)).toContain('existe déjà');

    expect(ok(await runCli(['treasury', 'receipts', 'summary', dir, '--year', String(YEAR), '--json']))).toEqual({ count: 2, totalCents: 36050 });
    ok(await runCli(['treasury', 'receipts', 'cancel', dir, '--number', r2.number, '--reason', 'Erreur de donateur', '--json']));
    expect(ok(await runCli(['treasury', 'receipts', 'list', dir, '--year', String(YEAR), '--json']))).toEqual([
      { number: r1.number, personId: person, amountCents: 28050, status: 'issued', issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      { number: r2.number, personId: person, amountCents: 8000, status: 'cancelled', issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    ]);
    expect(ok(await runCli(['treasury', 'receipts', 'summary', dir, '--year', String(YEAR), '--json']))).toEqual({ count: 1, totalCents: 28050 });
    // A gift already on a receipt: exit 1, one French sentence.
    const again = failed(await runCli(['treasury', 'receipts', 'issue', dir, '--gift', g1.id, '--json']), 1);
    expect(again.trim().split('\n')).toHaveLength(1);
    expect(again).toContain('déjà sur un reçu');
  }, 300_000);

  it('refuses bad arguments before unlocking (exit 2, French)', async () => {
    const nowhere = join(root, 'nothing-here');
    const cases: [string[], RegExp][] = [
      [['treasury', 'gifts', 'add', nowhere, '--member', person, '--amount', '12,345', '--method', 'cash', '--date', '2026-01-01'], /plus de deux décimales/],
      [['treasury', 'gifts', 'add', nowhere, '--member', person, '--amount', '12', '--method', 'bitcoin', '--date', '2026-01-01'], /--method : « bitcoin » inconnu/],
      [['treasury', 'gifts', 'add', nowhere, '--member', person, '--amount', '12', '--method', 'cash', '--date', '2026-02-30'], /--date : date attendue/],
      [['treasury', 'receipts', 'issue', nowhere], /--gift ou --member/],
      [['treasury', 'receipts', 'list', nowhere, '--year', '26'], /--year : année/],
      [['treasury', 'receipts', 'frobnicate', nowhere], /Sous-commandes de « treasury receipts » : issue, pdf, cancel, list, summary, settings/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain('    at ');
    }
  }, 300_000);
});
