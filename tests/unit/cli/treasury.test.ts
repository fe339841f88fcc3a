/**
 * `treasury fees add`, `treasury dues pay`, `treasury dues list` as issue 10 §9 writes them (docs/treasury.md), in
 * process: exact JSON, amounts with a comma or a point, exit 2 for malformed options before unlocking, exit 1 with
 * one French line for a refused permission, and `members import` of a HelloAsso export reporting its payments.
 */
import { join, resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failed, ok, runAs, runInProcess } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const PW = 'mot de passe de test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HELLOASSO = resolve(process.cwd(), '../shared/fixtures/imports/helloasso-paiements.csv');

describe('CLI: treasury dues', () => {
  let root: string;
  let dir: string;
  let member: string;
  let fee: string;
  const admin = (args: string[]) => runAs('direction', PW, args);

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-dues-');
    dir = join(root, 'Tresor.solidariciel');
    ok(await runInProcess(['init', dir, '--name', 'Trésor', '--admin', 'direction', '--json'], { SOLIDARICIEL_PASSWORD: PW }));
    ok(await runAs('direction', PW, ['users', 'add', dir, '--name', 'sociale', '--role', 'social_worker', '--json'], { SOLIDARICIEL_NEW_PASSWORD: PW }));
    member = ok<{ id: string }>(await admin(['members', 'add', dir, '--first-name', 'Aminata', '--last-name', 'Cisse', '--json'])).id;
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('fees add → {id}; several categories; a malformed amount or period is a usage error', async () => {
    const out = ok<Record<string, unknown>>(await admin(['treasury', 'fees', 'add', dir, '--name', 'Adhésion', '--amount', '20,00', '--period', 'year', '--json']));
    expect(Object.keys(out)).toEqual(['id']);
    expect(out['id']).toMatch(UUID);
    fee = out['id'] as string;
    ok(await admin(['treasury', 'fees', 'add', dir, '--name', 'Famille', '--amount', 'Plein tarif=30.00', '--amount', 'Réduit=1 234,50', '--period', 'months:12', '--json']));
    expect(failed(await admin(['treasury', 'fees', 'add', dir, '--name', 'X', '--amount', '1.234,50', '--period', 'year']), 2)).toMatch(/« 1\.234,50 » n'est pas un montant/);
    expect(failed(await admin(['treasury', 'fees', 'add', dir, '--name', 'X', '--amount', '20', '--period', 'weekly']), 2)).toMatch(/--period/);
    expect(failed(await admin(['treasury', 'fees', 'add', dir, '--name', 'X', '--period', 'year']), 2)).toMatch(/--amount obligatoire/);
  });

  it('dues pay → {paymentId, status}; dues list → [{personId, status, paidUntil}], filtered by status', async () => {
    const year = new Date().getFullYear();
    const never = ok<unknown[]>(await admin(['treasury', 'dues', 'list', dir, '--status', 'never', '--json']));
    expect(never).toEqual([{ personId: member, status: 'never', paidUntil: null }]);
    const paid = ok<Record<string, unknown>>(await admin(['treasury', 'dues', 'pay', dir, '--member', member, '--fee', fee, '--amount', '20.00', '--method', 'cheque', '--cheque-number', '0004471', '--date', `${year}-01-15`, '--json']));
    expect(Object.keys(paid)).toEqual(['paymentId', 'status']);
    expect(paid['paymentId']).toMatch(UUID);
    expect(['up_to_date', 'due_soon']).toContain(paid['status']);
    const all = ok<{ personId: string; status: string; paidUntil: string | null }[]>(await admin(['treasury', 'dues', 'list', dir, '--json']));
    expect(all).toEqual([{ personId: member, status: paid['status'], paidUntil: `${year}-12-31` }]);
    expect(Object.keys(all[0]!)).toEqual(['personId', 'status', 'paidUntil']);
    expect(ok<unknown[]>(await admin(['treasury', 'dues', 'list', dir, '--status', 'never', '--json']))).toEqual([]);
  });

  it('bad options exit 2 before unlocking; a refused permission exits 1 naming it', async () => {
    const nowhere = join(root, 'nowhere');
    expect(failed(await admin(['treasury', 'dues', 'pay', nowhere, '--member', 'x', '--fee', fee, '--amount', '1', '--method', 'cash', '--date', '2026-01-01']), 2)).toMatch(/--member : identifiant attendu/);
    expect(failed(await admin(['treasury', 'dues', 'pay', nowhere, '--member', member, '--fee', fee, '--amount', '12,345', '--method', 'cash', '--date', '2026-01-01']), 2)).toMatch(/plus de deux décimales/);
    expect(failed(await admin(['treasury', 'dues', 'pay', nowhere, '--member', member, '--fee', fee, '--amount', '1', '--method', 'bitcoin', '--date', '2026-01-01']), 2)).toMatch(/--method : cash, cheque/);
    expect(failed(await admin(['treasury', 'dues', 'pay', nowhere, '--member', member, '--fee', fee, '--amount', '1', '--method', 'cash', '--date', '01/02/2026']), 2)).toMatch(/AAAA-MM-JJ/);
    expect(failed(await admin(['treasury', 'dues', 'list', nowhere, '--status', 'paid']), 2)).toMatch(/--status : up_to_date/);
    const refused = failed(await runAs('sociale', PW, ['treasury', 'dues', 'pay', dir, '--member', member, '--fee', fee, '--amount', '5', '--method', 'cash', '--date', '2026-01-01', '--json']), 1);
    expect(refused.trim().split('\n')).toHaveLength(1);
    expect(refused).toMatch(/Permission manquante : .*\(treasury\.write\)/);
    // The social worker sees statuses (people.readMembership), never amounts.
    expect(ok<unknown[]>(await runAs('sociale', PW, ['treasury', 'dues', 'list', dir, '--json']))).toHaveLength(1);
  });

  it('members import of a HelloAsso export reports its payments, once', async () => {
    ok(await admin(['treasury', 'fees', 'add', dir, '--name', 'Adhésion 2026', '--amount', 'Réduit=5,50', '--amount', 'Plein=10', '--amount', 'Soutien=15', '--amount', 'Famille=20', '--amount', 'Bienfaiteur=45', '--period', 'year', '--json']));
    // Three fee types: the tariff is asked first (one warning), mapped once, then remembered.
    const first = ok<{ payments: number; warnings: { message: string }[] }>(await admin(['members', 'import', dir, HELLOASSO, '--json']));
    expect(first.payments).toBe(0);
    expect(first.warnings.filter((w) => w.message.includes('« Adhésion 2026 »'))).toHaveLength(1);
    const fees = ok<{ id: string; name: string }[]>(await admin(['treasury', 'fees', 'list', dir, '--json']));
    const adhesion = fees.find((f) => f.name === 'Adhésion 2026')!.id;
    ok(await admin(['treasury', 'fees', 'map-tariff', dir, '--tariff', 'Adhésion 2026', '--fee', adhesion, '--json']));
    expect(ok<{ payments: number }>(await admin(['members', 'import', dir, HELLOASSO, '--json'])).payments).toBe(19);
    expect(ok<{ payments: number }>(await admin(['members', 'import', dir, HELLOASSO, '--json'])).payments).toBe(0);
  });
});
