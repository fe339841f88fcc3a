/**
 * A person's data handed over and erased, and the retention rules, through the real UI and core (browser host):
 * « Exporter ses données » downloads the ZIP; « Effacer » asks for the person's name typed in full (a wrong name
 * erases nothing), then the person is gone from the search; « Règles de conservation » (from Paramètres) shows the
 * periods and the review, refuses a period of 0 and saves a new one. Screenshots in test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

test('exporter les données d’une personne, l’effacer après confirmation, puis régler la conservation', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);
  const people = () => page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true }).click();
  await createPerson(page, 'Jean', 'Petit');
  await people();
  await createPerson(page, 'Ninon', 'Vasseur');

  // Export: a ZIP named after the person.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter ses données' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^donnees-Ninon-Vasseur-\d{4}-\d{2}-\d{2}\.zip$/);
  const zip = await readFile(await download.path());
  expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
  await screenshot(page, 'erase-01-person-actions');

  // Erase: the dialog, a wrong name refused, nothing erased.
  await page.getByRole('button', { name: 'Effacer', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /Effacer définitivement Ninon Vasseur/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Annuler' })).toBeFocused();
  const typed = dialog.getByLabel('Pour confirmer, tapez « Ninon Vasseur »');
  await typed.fill('Jean Petit');
  await dialog.getByRole('button', { name: 'Effacer définitivement' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Le nom tapé ne correspond pas');
  await screenshot(page, 'erase-02-dialog-wrong-name');
  await expectNoSeriousA11yViolations(page);
  await typed.fill('ninon vasseur');
  await dialog.getByRole('button', { name: 'Effacer définitivement' }).click();
  await expect(dialog).toBeHidden();
  // Back on the people list: Jean only (two people before).
  await expect(page.getByRole('heading', { level: 1, name: 'Personnes' })).toBeVisible();
  await expect(page.locator('#main').getByText('1 personne', { exact: true })).toBeVisible();
  await expect(page.locator('#main').getByText('Jean Petit', { exact: true })).toBeVisible();
  await expect(page.locator('#main').getByText('Ninon Vasseur', { exact: true })).toHaveCount(0);
  await screenshot(page, 'erase-03-after-erasure');

  // Retention rules, from Paramètres.
  await page.getByRole('navigation').getByRole('button', { name: 'Paramètres', exact: true }).click();
  await page.getByRole('button', { name: 'Ouvrir les règles de conservation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Règles de conservation' })).toBeVisible();
  const years = page.getByLabel('Personnes sans activité depuis');
  await expect(years).toHaveValue('3');
  await expect(page.getByRole('heading', { name: /0 personne sans activité depuis 3 an/ })).toBeVisible();
  await years.fill('0');
  await page.getByRole('button', { name: 'Enregistrer les règles' }).click();
  await expect(page.getByText('Nombre entier d’au moins 1 attendu.')).toBeVisible();
  await years.fill('5');
  await page.getByRole('button', { name: 'Enregistrer les règles' }).click();
  await expect(page.getByRole('heading', { name: /0 personne sans activité depuis 5 an/ })).toBeVisible();
  await screenshot(page, 'erase-04-retention');
  await expectNoSeriousA11yViolations(page);
});
