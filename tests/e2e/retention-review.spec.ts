/**
 * The monthly retention review (docs/erasure.md "Retention"), through the real UI and core (browser host): a paper
 * expired long ago makes the rules propose something, so the shell's status row shows administrators « Revue de
 * conservation à faire »; the link opens « Règles de conservation », which records the review, and the notice is gone
 * on the other screens. Screenshots in test-results/screenshots/.
 */
import path from 'node:path';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

const SCANS = path.resolve(process.cwd(), '../shared/fixtures/scans');

test('la revue mensuelle de conservation est signalée, puis disparaît une fois faite', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);
  const notice = page.locator('.shell-status').getByRole('button', { name: 'Revue de conservation à faire' });
  await createPerson(page, 'Ninon', 'Vasseur');
  // Nothing proposed yet: no notice.
  await expect(page.getByRole('button', { name: 'Ajouter une pièce' })).toBeVisible();
  await expect(notice).toHaveCount(0);

  // The person page's header: « Exporter ses données » then « Effacer », after the everyday actions, by keyboard;
  // Échap closes the erasure dialog and gives the focus back to « Effacer ».
  await page.getByRole('button', { name: 'Archiver', exact: true }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Exporter ses données' })).toBeFocused();
  await page.keyboard.press('Tab');
  const erase = page.getByRole('button', { name: 'Effacer', exact: true });
  await expect(erase).toBeFocused();
  const gap = await page.evaluate(() => {
    const exp = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Exporter ses données')!.getBoundingClientRect();
    const del = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Effacer')!.getBoundingClientRect();
    return del.left - exp.right;
  });
  expect(gap).toBeGreaterThanOrEqual(24);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: /Effacer définitivement Ninon Vasseur/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(erase).toBeFocused();
  await screenshot(page, 'retention-review-00-person-actions');

  // A paper expired in March 2025: more than 6 months ago, proposed for removal.
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.getByLabel('Type de pièce').selectOption('carte_identite');
  await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'carte-identite-specimen.png'));
  await page.getByLabel('Expire le').fill('01/03/2025');
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(page.getByRole('button', { name: 'Ajouter une pièce' })).toBeFocused({ timeout: 60_000 });

  // The notice shows at the next screen change, in the shell's status row, reachable by keyboard.
  await page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true }).click();
  await expect(notice).toBeVisible();
  await screenshot(page, 'retention-review-01-notice');
  await expectNoSeriousA11yViolations(page);
  await notice.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Règles de conservation' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /1 pièce expirée depuis plus de 6 mois/ })).toBeVisible();
  await expect(notice).toHaveCount(0);
  await screenshot(page, 'retention-review-02-page');

  // Reviewed: the notice stays away on the other screens.
  await page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Personnes' })).toBeVisible();
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/invoke/retention%3Anotice') && r.ok());
  await page.getByRole('navigation').getByRole('button', { name: 'Tâches', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tâches' })).toBeVisible();
  expect(await (await answered).text()).toContain('"due":false');
  await expect(notice).toHaveCount(0);
});
