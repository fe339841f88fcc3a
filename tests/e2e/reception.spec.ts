/**
 * A day at the reception desk, through the real UI and the real core (browser host):
 * create an association → import the three fixture files → search "helene" → her page → two papers in the vault →
 * the viewer → a task → lock → a wrong password is refused → unlock → everything is still there.
 * axe runs on every screen and every screen is saved under test-results/screenshots/.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';

const IMPORTS = path.resolve(process.cwd(), '../shared/fixtures/imports');
const SCANS = path.resolve(process.cwd(), '../shared/fixtures/scans');
const ADMIN = 'accueil';
const PASSWORD = 'Solidarite-2026!';

/** Axe, then a full-page screenshot. */
async function check(page: Page, name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('button', { name, exact: true });
}

/** Runs the wizard on one file: preview → Vérifier → Importer; returns the final report's locator. */
async function importFile(page: Page, file: string, shots: boolean) {
  await page.getByLabel('Fichier à importer').setInputFiles(path.join(IMPORTS, file));
  await expect(page.getByRole('heading', { name: /Associer les colonnes/ })).toBeVisible();
  await expect(page.locator('.mapping-table select').first()).toBeVisible();
  if (shots) await check(page, 'import-mapping');
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  const dry = page.getByTestId('dry-run-report');
  await expect(dry).toBeVisible();
  if (shots) await check(page, 'import-dry-run');
  await page.getByRole('main').getByRole('button', { name: 'Importer', exact: true }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 60_000 });
  return report;
}

async function searchPeople(page: Page, query: string) {
  const search = page.getByRole('combobox', { name: 'Rechercher une personne' });
  await expect(search).toBeFocused();
  await search.fill(query);
  return search;
}

test('accueil : association, imports, pièces, tâche, verrouillage', async ({ page, associationDir }) => {
  test.setTimeout(300_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  // — Unlock screen, then create an association.
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Ouvrir une association' })).toBeVisible();
  await check(page, 'unlock');

  await page.getByRole('button', { name: 'Créer une association' }).click();
  await page.getByLabel(/Dossier où créer/).fill(associationDir);
  await page.getByLabel(/Nom de l.association/).fill('Entraide Paris 11');
  await page.getByLabel(/Votre nom d.utilisateur/).fill(ADMIN);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmer le mot de passe').fill(PASSWORD);
  await check(page, 'create');
  await page.getByRole('button', { name: /Créer l.association/ }).click();
  await page.getByRole('checkbox', { name: /J’ai noté ou imprimé ce code/ }).check({ timeout: 30_000 });
  await page.getByRole('button', { name: /J.ai rangé le code/ }).click();

  await expect(page.getByTestId('association-name')).toHaveText('Entraide Paris 11', { timeout: 30_000 });
  await expect(page.getByRole('banner')).toContainText(ADMIN);
  await expect(page.getByRole('combobox', { name: 'Rechercher une personne' })).toBeFocused();

  // — Imports, in the order of fixtures/imports/expected.json "combined".
  await nav(page, 'Importer').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importer des personnes' })).toBeVisible();
  let report = await importFile(page, 'helloasso-paiements.csv', true);
  await expect(report.getByTestId('count-imported').locator('dd')).toHaveText('19');
  await expect(report.getByTestId('count-errors').locator('dd')).toHaveText('1');
  await expect(report.getByTestId('count-warnings').locator('dd')).toHaveText('2');
  await expect(report.locator('.issues-error li')).toHaveCount(1);
  await expect(report.locator('.issues-warning li')).toHaveCount(2);
  await expect(report.locator('.issues .line').first()).toContainText(/Ligne \d+/);
  await check(page, 'import-report');

  for (const file of ['tableur-tresorier.csv', 'paheko-membres.csv']) {
    await page.getByRole('button', { name: 'Importer un autre fichier' }).click();
    report = await importFile(page, file, false);
    await expect(report.getByTestId('count-errors').locator('dd')).toHaveText('1');
  }

  // — Search first: "helene" finds exactly Hélène.
  await nav(page, 'Personnes').click();
  let search = await searchPeople(page, 'helene');
  const options = page.getByRole('listbox', { name: 'Résultats de la recherche' }).getByRole('option');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText('Hélène');
  await check(page, 'people-list');

  // — The duplicate warning: creating her again is caught before anything is written.
  await page.getByRole('button', { name: 'Nouvelle personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle personne' })).toBeVisible();
  await page.getByLabel('Prénom', { exact: true }).fill('Hélène');
  await page.getByLabel('Nom', { exact: true }).fill('Diallo');
  await page.getByLabel('Date de naissance').fill('09/12/1944');
  await page.getByLabel('Bénévole').check();
  await check(page, 'person-form');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  const warning = page.getByTestId('duplicate-warning');
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('heading', { name: 'Cette personne existe peut-être déjà' })).toBeVisible();
  await expect(warning.getByRole('button', { name: 'Créer quand même' })).toBeVisible();
  await check(page, 'duplicate-warning');

  // — Back to the search; Enter opens her page.
  await page.keyboard.press('Control+k');
  search = await searchPeople(page, 'helene');
  await expect(options).toHaveCount(1);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /Hélène Diallo/ })).toBeVisible();

  // — Two papers into her vault.
  const papers = page.getByTestId('papers-table');
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.getByLabel('Type de pièce').selectOption('attestation_domiciliation');
  await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'attestation-domicile-2pages.tif'));
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(papers.getByRole('row', { name: /Attestation de domiciliation/ })).toContainText('2 pages', { timeout: 60_000 });

  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.getByLabel('Type de pièce').selectOption('carte_identite');
  await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'carte-identite-specimen.png'));
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(papers.getByRole('row', { name: /Carte d.identité/ })).toContainText('1 page', { timeout: 60_000 });

  // — A task about her (due in the past: flagged overdue).
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  await page.getByLabel('Nouvelle tâche').fill('Rappeler pour le dossier CAF');
  await page.getByLabel('Échéance').fill('05/01/2026');
  await page.getByRole('button', { name: 'Ajouter la tâche' }).click();
  await expect(page.getByTestId('tasks-table')).toContainText('Rappeler pour le dossier CAF');
  await check(page, 'person-page');

  // — The viewer renders both pages.
  await page.getByRole('button', { name: /Ouvrir Attestation de domiciliation/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Attestation de domiciliation/ })).toBeVisible();
  const canvases = page.getByTestId('viewer-pages').locator('canvas');
  await expect(canvases).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('viewer-pages')).toHaveAttribute('aria-busy', 'false');
  const painted = await canvases.first().evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0) return false;
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    for (let i = 0; i < data.length; i += 4 * 97) if ((data[i] ?? 255) < 200) return true;
    return false;
  });
  expect(painted, 'la page 1 est dessinée').toBe(true);
  await check(page, 'viewer');
  await page.getByRole('button', { name: 'Retour' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Hélène Diallo/ })).toBeVisible();

  // — Tasks, users, settings.
  await nav(page, 'Tâches').click();
  await page.getByRole('button', { name: 'Toutes', exact: true }).click();
  await expect(page.getByTestId('tasks-table')).toContainText('Rappeler pour le dossier CAF');
  await expect(page.getByTestId('tasks-table').getByRole('row', { name: /Rappeler/ })).toContainText('En retard');
  await check(page, 'tasks');
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  await expect(page.getByRole('heading', { name: 'Nouvelle tâche', level: 2 })).toBeVisible();
  await page.getByLabel('Tâche', { exact: true }).fill('Préparer la distribution du samedi');
  await check(page, 'task-form');
  await page.getByRole('button', { name: 'Annuler' }).click();

  await nav(page, 'Utilisateurs').click();
  await expect(page.getByTestId('users-table')).toContainText(ADMIN);
  await check(page, 'users');
  await page.getByLabel(/^Nom d.utilisateur$/).fill('marie.b');
  await page.getByLabel('Nom affiché').fill('Marie B.');
  await page.getByLabel('Mot de passe', { exact: true }).fill('Benevole-2026!');
  await page.getByLabel('Confirmer le mot de passe').fill('Benevole-2026!');
  await page.getByRole('button', { name: /Ajouter l.utilisateur/ }).click();
  await expect(page.getByTestId('users-table')).toContainText('Marie B.', { timeout: 30_000 });

  await nav(page, 'Paramètres').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Paramètres' })).toBeVisible();
  await check(page, 'settings');
  // The language switch: English labels everywhere, then back to French.
  await page.getByLabel('Langue', { exact: true }).selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(nav(page, 'People')).toBeVisible();
  await check(page, 'settings-en');
  await page.getByLabel('Language', { exact: true }).selectOption('fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Paramètres' })).toBeVisible();

  // — Lock: nothing of the session stays on screen.
  await page.getByRole('button', { name: 'Verrouiller' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ouvrir une association' })).toBeVisible();
  await expect(page.getByText('Hélène')).toHaveCount(0);
  await expect(page.getByText('Rappeler pour le dossier CAF')).toHaveCount(0);

  // — A wrong password is refused, and nothing else changes.
  await page.getByLabel(/Dossier de l.association/).fill(associationDir);
  await page.getByLabel(/Nom d.utilisateur/).fill(ADMIN);
  await page.getByLabel('Mot de passe', { exact: true }).fill('pas-le-bon-mot-de-passe');
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByRole('alert')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('alert')).not.toBeEmpty();
  await expect(page.getByRole('heading', { level: 1, name: 'Ouvrir une association' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByLabel(/Dossier de l.association/)).toHaveValue(associationDir);
  await check(page, 'unlock-wrong-password');

  // — The right password: everything is still there.
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toHaveText('Entraide Paris 11', { timeout: 30_000 });
  search = await searchPeople(page, 'helene');
  await expect(options).toHaveCount(1);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /Hélène Diallo/ })).toBeVisible();
  await expect(papers.getByRole('row')).toHaveCount(3); // header + 2 papers
  await expect(papers).toContainText('Attestation de domiciliation');
  await expect(papers).toContainText(/Carte d.identité/);
  await expect(page.getByTestId('tasks-table')).toContainText('Rappeler pour le dossier CAF');

  expect(pageErrors, 'erreurs JavaScript').toEqual([]);
});
