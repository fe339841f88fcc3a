/**
 * The visit rota through the real UI and core (browser host; docs/volunteers.md): a coordinator records three
 * volunteers (skills, area, hours offered, one availability slot), plans four weeks of weekly visits for one person
 * with them, sees the gaps where « jamais plus de 48 heures sans visite » breaks (icon and words, not colour alone),
 * opens the proposals for the first gap — least loaded first — and fills it; the skills map and the circle screen
 * show who holds what. Screenshots in test-results/screenshots/visits/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, ROOT, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

const SHOTS = join(ROOT, 'test-results', 'screenshots', 'visits');
async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
/** A day `days` from today (local) as typed: jj/mm/aaaa. */
const typed = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
};
const weekdayFr = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return new Intl.DateTimeFormat('fr-FR', { weekday: 'long', timeZone: 'Europe/Paris' }).format(d);
};

async function pick(page: Page, label: string, name: string): Promise<void> {
  const box = page.getByRole('combobox', { name: label });
  await box.fill(name.split(' ')[0]!);
  await page.getByRole('listbox', { name: label }).getByRole('option').filter({ hasText: name }).first().click();
  await expect(box).toHaveValue(name);
}

test('une coordinatrice planifie quatre semaines de visites avec trois bénévoles, voit un trou et le comble', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await createAssociation(page, associationDir);
  for (const [first, last] of [['Odette', 'Martin'], ['Véra', 'Lopez'], ['Walid', 'Haddad'], ['Chloé', 'Bernard']] as const) {
    await nav(page, 'Personnes').click();
    await createPerson(page, first, last);
  }

  // Three volunteers, each free on the weekday six days from now, 09:00–18:00; Chloé offers the most hours.
  await nav(page, 'Bénévolat').click();
  await nav(page, 'Bénévoles').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bénévoles' })).toBeVisible();
  for (const [name, skills, hours] of [['Véra Lopez', 'Courses, Espagnol', '10'], ['Walid Haddad', 'Courses, Arabe', '4'], ['Chloé Bernard', 'Informatique', '']] as const) {
    await page.getByRole('button', { name: 'Nouveau bénévole' }).click();
    await pick(page, 'Personne bénévole', name);
    await page.getByLabel('Compétences').fill(skills);
    await page.getByLabel('Secteur').fill('Paris 11');
    await page.getByLabel('Heures offertes par mois').fill(hours);
    await page.getByRole('button', { name: 'Ajouter un créneau' }).click();
    await page.getByLabel('Jour du créneau 1').selectOption({ label: weekdayFr(6) });
    await page.getByLabel('Début du créneau 1').fill('09:00');
    await page.getByLabel('Fin du créneau 1').fill('18:00');
    if (name === 'Chloé Bernard') {
      await shot(page, '01-volunteer-form');
      await expectNoSeriousA11yViolations(page);
    }
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  }
  const map = page.getByRole('region', { name: 'Cartographie des savoirs' });
  await expect(map.getByText('Paris 11 : Véra Lopez, Walid Haddad')).toBeVisible();
  await shot(page, '02-volunteers-and-skills-map');
  await expectNoSeriousA11yViolations(page);

  // Four weeks of weekly visits for Odette: Véra at D+1, Walid at D+3, Chloé at D+5 (10:00 each).
  await nav(page, 'Bénévolat').click();
  await nav(page, 'Visites').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Planning des visites' })).toBeVisible();
  await pick(page, 'Personne accompagnée', 'Odette Martin');
  await expect(page.getByText('Aucune visite prévue.')).toBeVisible();
  for (const [name, day] of [['Véra Lopez', 1], ['Walid Haddad', 3], ['Chloé Bernard', 5]] as const) {
    await page.getByLabel('Bénévole', { exact: true }).selectOption({ label: name });
    await page.getByLabel('Jour', { exact: true }).fill(typed(day));
    await page.getByLabel('Heure', { exact: true }).fill('10:00');
    await page.getByLabel('Répétition').selectOption({ label: 'Chaque semaine' });
    await page.getByLabel('Jusqu’au').fill(typed(27));
    await page.getByRole('button', { name: 'Planifier', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: '4 visites planifiées.' })).toHaveCount(1);
  }
  const rota = page.getByRole('region', { name: /Planning de Odette Martin/ });
  await expect(rota.locator('.rota-visit')).toHaveCount(12);
  // Between Chloé's Thursday-like visit (D+5) and Véra's next (D+8): 72 hours, more than 48. Said in words.
  const gaps = rota.locator('.rota-gap');
  const before = await gaps.count();
  expect(before).toBeGreaterThanOrEqual(3);
  const first = gaps.first();
  await expect(first).toContainText(/Trou de 7[123] h sans visite/);
  await shot(page, '03-rota-with-gaps');
  await expectNoSeriousA11yViolations(page);

  // Proposals: all three are free then; Chloé (no stated offer: 20 h) is the least loaded, Walid (4 h) the most.
  await first.getByRole('button', { name: 'Voir les propositions' }).click();
  const proposals = first.getByRole('list', { name: /Propositions pour le trou/ });
  await expect(proposals.getByRole('listitem')).toHaveCount(3);
  await expect(proposals.getByRole('listitem').first()).toContainText('Chloé Bernard');
  await expect(proposals.getByRole('listitem').last()).toContainText('Walid Haddad');
  await shot(page, '04-proposals');
  await expectNoSeriousA11yViolations(page);
  await proposals.getByRole('button', { name: 'Planifier avec Chloé Bernard' }).click();
  await expect(rota.locator('.rota-visit')).toHaveCount(13);
  await expect(gaps).toHaveCount(before - 1);
  await shot(page, '05-gap-filled');

  // A circle around Odette, coordinated by the user of this office.
  await nav(page, 'Bénévolat').click();
  await nav(page, 'Cercles').click();
  await page.getByLabel('Nom du cercle').fill('Galaxie Odette');
  await pick(page, 'Personne accompagnée', 'Odette Martin');
  await page.getByLabel('Coordinateur').selectOption({ label: 'accueil' });
  await page.getByRole('button', { name: 'Créer le cercle' }).click();
  await expect(page.getByText('Accompagne Odette Martin · coordination : accueil')).toBeVisible();
  await pick(page, 'Membre à ajouter à « Galaxie Odette »', 'Véra Lopez');
  await page.getByRole('button', { name: 'Ajouter au cercle' }).click();
  await expect(page.getByText('Véra Lopez (bénévole)')).toBeVisible();
  await shot(page, '06-circle');
  await expectNoSeriousA11yViolations(page);

  // Walid's visit (D+3) done with its time and a note; Véra's (D+1) missed: Odette now waits more than 48 hours
  // within the next 72, so the coordinator sees the status line (and a task).
  await nav(page, 'Bénévolat').click();
  await nav(page, 'Visites').click();
  await pick(page, 'Personne accompagnée', 'Odette Martin');
  const second = rota.locator('.rota-visit').nth(1);
  await expect(second).toContainText('Walid Haddad');
  await second.getByRole('button', { name: 'Faite', exact: true }).click();
  await second.getByLabel('Temps passé (minutes)').fill('75');
  await second.getByLabel('Note courte').fill('Promenade au square');
  await second.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(rota.locator('.rota-visit').nth(1)).toContainText('Faite');
  await expect(rota.locator('.rota-visit').nth(1)).toContainText('Promenade au square');
  await rota.locator('.rota-visit').first().getByRole('button', { name: 'Manquée', exact: true }).click();
  await expect(rota.locator('.rota-visit').first()).toContainText('Manquée');
  await expect(page.getByRole('status').filter({ hasText: /Odette Martin : aucune visite du/ })).toBeVisible();
  await nav(page, 'Personnes').click();
  const line = page.getByTestId('visit-gap-line');
  await expect(line).toHaveText('⚠ 1 personne sans visite prévue dans les 72 h');
  await shot(page, '07-gap-line');
  await line.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Planning des visites' })).toBeVisible();
  await nav(page, 'Tâches').click();
  await expect(page.getByRole('button', { name: /^Visite à prévoir : aucune visite du / })).toBeVisible();
  await shot(page, '08-coordinator-task');
});
