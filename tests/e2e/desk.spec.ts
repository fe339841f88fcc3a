/**
 * The desk as a newcomer feels it, the reception side (docs/ui.md « Import wizard », « Person page », « Choosing a
 * person »): the import preview lists each person the file completes, field by field, and a person unticked there is
 * left as stored; the person page leads with a summary whose items link to their sections, opens its forms on
 * demand (Escape closes them and gives the focus back) and stays within two screens for a typical person; the task
 * form's person picker is one combobox that finds, by keyboard, someone far down the list. Screens are checked with
 * axe and saved under test-results/screenshots/desk-*.png.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { createAssociation } from './flows';

const IMPORTS = path.resolve(process.cwd(), '../shared/fixtures/imports');
const SCANS = path.resolve(process.cwd(), '../shared/fixtures/scans');
const SCREEN = { width: 1280, height: 800 };

async function check(page: Page, name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

/** What the user sees without scrolling (the full-page shots are taken by `check`). */
async function viewportShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join('test-results', 'screenshots', `${name}.png`) });
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('button', { name, exact: true });
}

/** Chooses a file in the wizard and runs the dry run; returns the dry-run report. */
async function checkFile(page: Page, file: string) {
  await page.getByLabel('Fichier à importer').setInputFiles(path.join(IMPORTS, file));
  await expect(page.getByRole('heading', { name: /Associer les colonnes/ })).toBeVisible();
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  const dry = page.getByTestId('dry-run-report');
  await expect(dry).toBeVisible();
  return dry;
}

async function runImport(page: Page) {
  await page.getByRole('main').getByRole('button', { name: 'Importer', exact: true }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 60_000 });
  return report;
}

async function importAll(page: Page, file: string) {
  await checkFile(page, file);
  const report = await runImport(page);
  await page.getByRole('button', { name: 'Importer un autre fichier' }).click();
  return report;
}

test('aperçu d’import : qui et quoi change, une personne décochée reste telle quelle', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await page.setViewportSize(SCREEN);
  await createAssociation(page, associationDir);
  await nav(page, 'Importer').click();
  await importAll(page, 'helloasso-paiements.csv');

  const dry = await checkFile(page, 'tableur-tresorier.csv');
  // The dry run speaks of what will happen.
  await expect(dry.getByTestId('count-imported').locator('dt')).toHaveText('À importer');
  await expect(dry.getByTestId('count-updated').locator('dt')).toHaveText('À mettre à jour');
  await expect(dry).not.toContainText('Importées');
  const updates = dry.getByTestId('import-updates');
  await expect(updates.getByRole('heading', { name: '11 personnes déjà enregistrées à compléter' })).toBeVisible();
  const rows = updates.locator('tbody tr');
  await expect(rows).toHaveCount(11);
  const bernard = updates.getByRole('row', { name: /Raphaël Bernard/ });
  await expect(bernard).toContainText(/Téléphone : \(vide\) → 06/);
  await viewportShot(page, 'desk-import-preview');
  await check(page, 'desk-import-preview-full');

  // Untick Raphaël Bernard with the keyboard.
  const box = updates.getByRole('checkbox', { name: 'Mettre à jour Raphaël Bernard' });
  await box.focus();
  await page.keyboard.press('Space');
  await expect(box).not.toBeChecked();
  await expect(updates.getByTestId('updates-selected')).toHaveText('10 sur 11 seront mises à jour');

  const report = await runImport(page);
  await expect(report.getByTestId('count-updated').locator('dt')).toHaveText('Mises à jour');
  await expect(report.getByTestId('count-updated').locator('dd')).toHaveText('10');
  await expect(report).toContainText('1 personne décochée n’a pas été mise à jour.');
  await expect(report.getByRole('row', { name: /Raphaël Bernard/ })).toContainText('Laissée telle quelle');
  await check(page, 'desk-import-report');

  // His phone was not filled in; another person's was.
  await nav(page, 'Personnes').click();
  await page.getByRole('combobox', { name: 'Rechercher une personne' }).fill('raphael.bernard0@exemple.fr');
  await page.getByRole('option', { name: /Raphaël Bernard/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Raphaël Bernard/ })).toBeVisible();
  await expect(page.locator('.details')).not.toContainText('06 10 86 90 00');
});

test('fiche personne : le résumé d’abord, formulaires à la demande, deux écrans au plus ; choisir la personne d’une tâche au clavier', async ({
  page,
  associationDir,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize(SCREEN);
  await createAssociation(page, associationDir);
  await nav(page, 'Importer').click();
  for (const file of ['helloasso-paiements.csv', 'tableur-tresorier.csv', 'paheko-membres.csv']) await importAll(page, file);

  // — The task picker: one combobox over everyone (39 people), chosen by keyboard.
  await nav(page, 'Tâches').click();
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  await page.getByLabel('Tâche', { exact: true }).fill('Appeler pour la domiciliation');
  const picker = page.getByRole('combobox', { name: 'Personne concernée' });
  await picker.focus();
  await page.keyboard.press('ArrowDown');
  const list = page.getByRole('listbox', { name: 'Personne concernée' });
  await expect(list.getByRole('option')).toHaveCount(20);
  await expect(page.locator('.combobox-status')).toHaveText('20 premières sur 39 : précisez la recherche.');
  await expect(page.getByRole('status').filter({ hasText: '20 premières sur 39' })).toHaveCount(1);
  await expect(list).not.toContainText('Sébastien Rousseau'); // far down the list: the old select never held him
  await expect(picker).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.type('rousseau');
  await expect(list.getByRole('option').filter({ hasText: 'Sébastien Rousseau' })).toHaveCount(1);
  const found = await list.getByRole('option').count();
  expect(found).toBeLessThan(20);
  await viewportShot(page, 'desk-task-picker-open');
  await expectNoSeriousA11yViolations(page);
  // ↓ moves the active option (aria-activedescendant) until Sébastien; Enter picks him, not the form.
  for (let i = 0; i < found; i++) {
    const active = await picker.getAttribute('aria-activedescendant');
    if (active && (await page.locator(`[id="${active}"]`).innerText()).includes('Sébastien Rousseau')) break;
    await page.keyboard.press('ArrowDown');
  }
  await expect(page.locator(`[id="${await picker.getAttribute('aria-activedescendant')}"]`)).toContainText('Sébastien Rousseau');
  await page.keyboard.press('Enter');
  await expect(picker).toHaveValue('Sébastien Rousseau');
  await expect(picker).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('heading', { name: 'Nouvelle tâche', level: 2 })).toBeVisible();
  // Escape twice: the list closes, then what was typed gives way to the chosen name; « Aucune personne » clears.
  await page.keyboard.type(' x');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(picker).toHaveValue('Sébastien Rousseau');
  await page.getByRole('button', { name: 'Aucune personne' }).click();
  await expect(picker).toHaveValue('');
  await expect(picker).toBeFocused();
  await page.keyboard.type('sebastien rous');
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(picker).toHaveAttribute('aria-activedescendant', /.+/);
  await page.keyboard.press('Enter');
  await expect(picker).toHaveValue('Sébastien Rousseau');
  await page.getByLabel('Échéance').fill('01/10/2026');
  await page.getByRole('button', { name: 'Créer la tâche' }).click();
  await page.getByRole('button', { name: 'Toutes', exact: true }).click();
  await expect(page.getByTestId('tasks-table').getByRole('row', { name: /Appeler pour la domiciliation/ })).toContainText('Sébastien Rousseau');

  // — His page: forms open on demand.
  await page.getByTestId('tasks-table').getByRole('button', { name: /Sébastien Rousseau/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Sébastien Rousseau/ })).toBeVisible();
  await expect(page.getByLabel('Texte de la note')).toHaveCount(0);
  await expect(page.getByLabel('Type de pièce')).toBeHidden();

  const addNote = page.getByRole('button', { name: 'Ajouter une note' });
  for (const text of ['Premier accueil : demande de domiciliation.', 'Dossier CAF à compléter, revient mardi.']) {
    await addNote.click();
    await expect(page.getByLabel('Texte de la note')).toBeFocused();
    await page.getByLabel('Texte de la note').fill(text);
    await page.getByRole('button', { name: 'Ajouter la note' }).click();
    await expect(page.getByTestId('notes-list')).toContainText(text);
    await expect(addNote).toBeFocused();
  }
  // Escape closes a form and gives the focus back to its button; what was typed is kept for next time.
  await addNote.click();
  await page.getByLabel('Texte de la note').fill('Brouillon');
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Texte de la note')).toHaveCount(0);
  await expect(addNote).toBeFocused();
  await addNote.click();
  await expect(page.getByLabel('Texte de la note')).toHaveValue('Brouillon');
  await page.getByRole('button', { name: 'Annuler' }).click();
  await expect(addNote).toBeFocused();

  const addPaper = page.getByRole('button', { name: 'Ajouter une pièce' });
  const papers = [
    { type: 'carte_identite', expires: '01/03/2025' },
    { type: 'attestation_caf', expires: '' },
  ];
  for (const paper of papers) {
    await addPaper.click();
    await page.getByLabel('Type de pièce').selectOption(paper.type);
    await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'carte-identite-specimen.png'));
    if (paper.expires) await page.getByLabel('Expire le').fill(paper.expires);
    await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
    await expect(addPaper).toBeFocused({ timeout: 60_000 });
  }
  await expect(page.getByTestId('papers-table').locator('tbody tr')).toHaveCount(2);

  const newTask = page.getByRole('button', { name: 'Nouvelle tâche' });
  await newTask.click();
  await page.getByLabel('Nouvelle tâche').fill('Vérifier l’attestation CAF');
  await page.getByLabel('Échéance').fill('15/01/2027');
  await page.getByRole('button', { name: 'Ajouter la tâche' }).click();
  await expect(page.getByTestId('tasks-table').locator('tbody tr')).toHaveCount(2);
  await expect(newTask).toBeFocused();

  // — The summary: each item a link to its section.
  const summary = page.getByRole('navigation', { name: 'À traiter pour cette personne' });
  await expect(summary.getByRole('link')).toHaveText(['1 pièce expirée', '1 tâche en retard', 'consentement à recueillir']);
  await summary.getByRole('link', { name: '1 tâche en retard' }).click();
  await expect(page.locator('#person-tasks-title')).toBeFocused();
  await summary.getByRole('link', { name: '1 pièce expirée' }).click();
  await expect(page.locator('#papers-title')).toBeFocused();
  await summary.getByRole('link', { name: 'consentement à recueillir' }).click();
  await expect(page.locator('#consents-title')).toBeFocused();

  // — Within two screens (1280 × 800) for this typical person: 2 papers, 2 tasks, 2 notes.
  await page.evaluate(() => window.scrollTo(0, 0));
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  test.info().annotations.push({ type: 'hauteur de la fiche', description: `${height} px` });
  await viewportShot(page, 'desk-person-top');
  await check(page, 'desk-person-full');
  expect(height, `hauteur de la fiche : ${height} px`).toBeLessThanOrEqual(2 * SCREEN.height);

  // Recording the consent takes that item away.
  await page.getByRole('button', { name: 'Recueillir un consentement' }).click();
  await page.getByLabel('Finalité').fill('Suivi social');
  await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
  await expect(summary.getByRole('link')).toHaveText(['1 pièce expirée', '1 tâche en retard']);
});
