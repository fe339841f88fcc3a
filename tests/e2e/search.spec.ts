/**
 * People search at the desk (docs/architecture.md "Search"): a birth date as typed in France and a name with
 * a typo find the person; « Nouvelle personne » after a search that found no one starts with what was typed (names
 * into first and last name, a date into the birth date); after a search that found someone it starts empty.
 */
import { test, expect, screenshot } from './fixtures';
import { createAssociation } from './flows';

test('une date de naissance ou un nom mal tapé retrouvent la personne ; sinon « Nouvelle personne » reprend la saisie', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await createAssociation(page, associationDir);
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  await page.getByLabel('Prénom', { exact: true }).fill('Awa');
  await page.getByLabel('Nom', { exact: true }).fill('DIALLO');
  await page.getByLabel('Date de naissance').fill('09/12/1944');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Awa DIALLO/ })).toBeVisible({ timeout: 30_000 });

  const nav = page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true });
  await nav.click();
  const search = page.getByRole('combobox', { name: /Rechercher/ });
  const results = page.getByRole('listbox');
  for (const typed of ['9/12/1944', '1944-12-09', 'dialo', 'awa dailo']) {
    await search.fill(typed);
    await expect(results.getByRole('option'), typed).toHaveCount(1);
    await expect(results.getByRole('option').first()).toContainText('Awa DIALLO');
  }
  await search.fill('dialo');
  await expect(results.getByRole('option')).toHaveCount(1);
  await screenshot(page, 'search-typo');

  // Found someone: a new person starts empty.
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('');
  await nav.click();

  // Nobody: the new person starts with the names and the birth date typed.
  await search.fill('Fatou Ndiaye 3/04/1950');
  await expect(page.getByText(/Aucune personne ne correspond/)).toBeVisible();
  await screenshot(page, 'search-no-match');
  await page.locator('.empty').getByRole('button', { name: 'Nouvelle personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle personne' })).toBeVisible();
  await expect(page.getByLabel('Prénom', { exact: true })).toHaveValue('Fatou');
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('Ndiaye');
  await expect(page.getByLabel('Date de naissance')).toHaveValue('03/04/1950');
  await screenshot(page, 'search-prefill');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Fatou Ndiaye/ })).toBeVisible({ timeout: 30_000 });

  // The last name first, in capitals, as French forms write it; the header's button prefills too.
  await nav.click();
  await search.fill('KONATÉ Moussa');
  await expect(page.getByText(/Aucune personne ne correspond/)).toBeVisible();
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('KONATÉ');
  await expect(page.getByLabel('Prénom', { exact: true })).toHaveValue('Moussa');
  await expect(page.getByLabel('Date de naissance')).toHaveValue('');

  // Created with a name only: the « Informations » card says so and leads to the form, instead of staying empty.
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Moussa KONATÉ/ })).toBeVisible({ timeout: 30_000 });
  const details = page.getByRole('region', { name: 'Informations' });
  await expect(details).toContainText('Aucune information saisie en dehors du nom.');
  await screenshot(page, 'person-name-only');
  await details.getByRole('button', { name: 'Compléter la fiche' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Modifier — Moussa KONATÉ/ })).toBeVisible();
});
