/**
 * The ledger's CLI as child processes (issue 10 §9): `treasury bank import` → {lines, matched} (a re-import adds
 * nothing; a bad line named on stderr), `treasury export fec` → FOLDER/<SIREN>FEC<AAAA1231>.txt, `treasury export
 * csv`, usage errors (exit 2) and refusals (exit 1: bad SIREN, a social worker without treasury.export).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { PASSWORD, newTestCore, tempDir, type TestCore } from '../../helpers/core';
import { addUser } from '../../helpers/access';
import { FEC_COLUMNS } from '../../../main/services/ledger/fec';

describe('solidariciel CLI: treasury export and bank import (child processes)', () => {
  let t: TestCore;
  let out: string;
  const as = (user: string) => ({ password: PASSWORD, env: { SOLIDARICIEL_USER: user } });

  beforeAll(async () => {
    t = await newTestCore();
    await addUser(t, 'sociale', 'social_worker');
    await t.call('ledger:addEntry', { journal: 'bank', date: '2026-03-02', direction: 'receipt', amountCents: 50000, account: '74', label: 'Subvention département' });
    await t.call('ledger:addEntry', { journal: 'cash', date: '2026-03-05', direction: 'expense', amountCents: 1250, account: '6064', label: 'Enveloppes et timbres' });
    await t.call('session:lock', { reason: 'user' });
    out = tempDir('solidariciel-cli-ledger-');
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('bank import: {lines, matched}; the same file again adds nothing; a bad line is named on stderr', async () => {
    const file = join(out, 'releve.csv');
    writeFileSync(file, iconv.encode('Date;Libellé;Montant\r\n02/03/2026;VIR DEPARTEMENT;500,00\r\n04/03/2026;FRAIS;-3,50\r\n05/03/2026;CASSEE;douze\r\n', 'windows-1252'));
    const first = await runCli(['treasury', 'bank', 'import', t.dir, file, '--json'], as('admin'));
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ lines: 2, matched: 1 });
    expect(first.stderr).toBe('Ligne 4 : montant illisible « douze » (ex. 1 234,56 attendu). Ligne ignorée.\n');
    const again = await runCli(['treasury', 'bank', 'import', t.dir, file, '--json'], as('admin'));
    expect(JSON.parse(again.stdout)).toEqual({ lines: 0, matched: 0 });
    expect(failed(await runCli(['treasury', 'bank', 'import', t.dir, join(out, 'absent.csv'), '--json'], as('admin')), 1)).toMatch(/^Fichier introuvable/);
  }, 60_000);

  it('export fec writes <SIREN>FEC<AAAAMMJJ>.txt in the folder, 18 tab-separated columns', async () => {
    const folder = join(out, 'fec');
    const r = ok<{ path: string; entries: number }>(await runCli(['treasury', 'export', 'fec', t.dir, '--year', '2026', '--siren', '123456789', '--out', folder, '--json'], as('admin')));
    expect(r).toEqual({ path: join(folder, '123456789FEC20261231.txt'), entries: 2 });
    const lines = iconv.decode(readFileSync(r.path), 'iso-8859-15').split('\r\n');
    expect(lines[0]).toBe(FEC_COLUMNS.join('\t'));
    expect(lines.slice(1, 5).map((l) => l.split('\t').length)).toEqual([18, 18, 18, 18]);
    expect(lines[1]).toContain('Subvention département');
    // Never over an existing file.
    expect(failed(await runCli(['treasury', 'export', 'fec', t.dir, '--year', '2026', '--siren', '123456789', '--out', folder], as('admin')), 1)).toMatch(/existe déjà/);
  }, 60_000);

  it('export csv writes the journal', async () => {
    const file = join(out, 'journal.csv');
    ok(await runCli(['treasury', 'export', 'csv', t.dir, '--year', '2026', '--out', file, '--json'], as('admin')));
    expect(readFileSync(file, 'utf8')).toContain('05/03/2026;Caisse;;6064;Fournitures administratives;Enveloppes et timbres;;12,50');
  }, 60_000);

  it('refuses bad arguments and missing permissions, writing nothing', async () => {
    expect(failed(await runCli(['treasury', 'export', 'fec', t.dir, '--year', '2026', '--siren', '12345', '--out', out], as('admin')), 1)).toMatch(/--siren : 9 chiffres/);
    expect(failed(await runCli(['treasury', 'export', 'csv', t.dir, '--year', '26', '--out', join(out, 'x.csv')], as('admin')), 1)).toMatch(/--year/);
    expect(failed(await runCli(['treasury', 'export', 'fec', t.dir, '--year', '2026', '--siren', '123456789'], as('admin')), 2)).toMatch(/--out/);
    expect(failed(await runCli(['treasury', 'export', 'frobnicate', t.dir], as('admin')), 2)).toMatch(/treasury/);
    expect(failed(await runCli(['treasury', 'export', 'csv', t.dir, '--year', '2026', '--out', join(out, 'social.csv')], as('sociale')), 1)).toMatch(/treasury\.export/);
    expect(existsSync(join(out, 'social.csv'))).toBe(false);
  }, 60_000);
});
