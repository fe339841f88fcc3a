/**
 * Renewal reminders (main/services/treasury/reminders.ts): the mail-merge CSV lists the people due soon and late with
 * their contact details, the letters PDF has one page per person (read back with pdftotext), both audited; a user
 * without treasury.read gets neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { addDays } from '../../main/services/treasury/duesRules';
import { newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser, caught, expectForbidden, switchTo } from '../helpers/access';

const localToday = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

describe('dues reminders', () => {
  let t: TestCore;
  let late: string;
  let never: string;
  let upToDate: string;
  beforeAll(async () => {
    t = await newTestCore();
    const today = localToday();
    const person = async (firstName: string, lastName: string, extra: Record<string, string> = {}) => (await t.call('people:create', { person: { firstName, lastName, kinds: ['member'], ...extra } })).id;
    late = await person('Léon', 'Retardataire', { email: 'leon.r@exemple.fr', addressLine: '12 rue des Lilas', postalCode: '75011', city: 'Paris', civility: 'M' });
    never = await person('Zoé', 'Nouvelle', { phone: '06 12 34 56 78' });
    upToDate = await person('Ana', 'Ponctuelle');
    const fee = (await t.call('dues:saveFeeType', { name: 'Adhésion', amounts: { 'Plein tarif': 2500 }, period: 'months:12' })).id;
    await t.call('dues:pay', { personId: late, feeTypeId: fee, paidOn: addDays(today, -500), coversFrom: addDays(today, -500), amountCents: 2500, method: 'cash' });
    await t.call('dues:pay', { personId: upToDate, feeTypeId: fee, paidOn: today, amountCents: 2500, method: 'cash' });
    await addUser(t, 'sociale', 'social_worker');
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('the CSV lists the late and never-paid with contact details, not those up to date', async () => {
    const r = await t.call('dues:remindersCsv', { statuses: ['late', 'never'] });
    expect(r.fileName).toMatch(/^relances-cotisations-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(r.csv.startsWith('\ufeff')).toBe(true);
    const rows = Papa.parse<string[]>(r.csv.slice(1).trim(), { delimiter: ';' }).data;
    expect(rows[0]).toEqual(['Nom', 'Prénom', 'Civilité', 'Courriel', 'Téléphone', 'Adresse', 'Code postal', 'Ville', 'Statut', 'Payé jusqu’au', 'Cotisation', 'Montant']);
    const byName = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect([...byName.keys()].sort()).toEqual(['Nouvelle', 'Retardataire']);
    expect(byName.get('Retardataire')).toEqual(expect.arrayContaining(['Léon', 'M', 'leon.r@exemple.fr', '12 rue des Lilas', '75011', 'Paris', 'En retard', 'Adhésion', '25,00']));
    expect(byName.get('Retardataire')![9]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(byName.get('Nouvelle')).toEqual(expect.arrayContaining(['Zoé', 'Jamais cotisé']));
  });

  it('the letters PDF has one page per person, with their name, address and where they stand', async () => {
    const r = await t.call('dues:reminderLetters', { personIds: [late, never] });
    const file = join(tempDir('solidariciel-letters-'), r.fileName);
    writeFileSync(file, r.pdf);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+2/);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    const [first, second] = text.split('\f');
    expect(first).toContain('Entraide Paris 11');
    expect(first).toContain('M Léon Retardataire');
    expect(first).toContain('12 rue des Lilas');
    expect(first).toContain('75011 Paris');
    expect(first).toMatch(/est arrivée à échéance le \d{2}\/\d{2}\/\d{4}/);
    expect(first).toMatch(/25,00\s€/);
    expect(second).toContain('Zoé Nouvelle');
    expect(second).toContain("nous n’avons pas encore reçu");
    expect((await caught(t.call('dues:reminderLetters', { personIds: [t.core.session()!.ctx.user.id] })))?.message).toMatch(/Aucune personne à relancer/);
  });

  it('both are audited; a social worker gets neither', async () => {
    const { items } = await t.call('audit:list', { action: 'dues.remindersExport' });
    expect(items.map((e) => e.details['format']).sort()).toEqual(['csv', 'pdf']);
    await switchTo(t, 'sociale');
    await expectForbidden(t.call('dues:remindersCsv', {}), 'treasury.read');
    await expectForbidden(t.call('dues:reminderLetters', { personIds: [late] }), 'treasury.read');
  });
});
