/**
 * Review checks of the desk flows, through the real UI and core (browser host):
 * - focus is never dropped to <body> by an action (adding a paper, closing the task form, leaving the duplicate
 *   warning) and « Retour » from the viewer lands on the paper's « Ouvrir » button;
 * - a task written on a person's page or with the task form shows in « Mes tâches » (the writer is the assignee);
 * - switching task views quickly: an older view's answer never replaces the newer one.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ADMIN, createAssociation, createPerson } from './flows';

const SCANS = path.resolve(process.cwd(), '../shared/fixtures/scans');

/** Fails when focus sits on <body> (lost) rather than on a control. */
async function expectFocusKept(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName ?? 'NONE')).not.toBe('BODY');
}

test('revue : le focus suit les actions, les tâches écrites sont dans « Mes tâches », une vue lente n’écrase pas la suivante', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);
  await createPerson(page, 'Ibrahima', 'Diallo');

  // A paper: focus stays on « Ajouter au coffre-fort » while it is stored, then the form closes and the focus goes
  // back to « Ajouter une pièce » (docs/ui.md « Person page »).
  const openForm = page.getByRole('button', { name: 'Ajouter une pièce' });
  await openForm.click();
  const add = page.getByRole('button', { name: 'Ajouter au coffre-fort' });
  await page.getByLabel('Type de pièce').selectOption('carte_identite');
  await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'carte-identite-specimen.png'));
  await add.click();
  await expect(page.getByTestId('papers-table')).toContainText('1 page', { timeout: 60_000 });
  await expect(openForm).toBeFocused();

  // The viewer, then « Retour »: back on the « Ouvrir » button of that paper.
  const open = page.getByRole('button', { name: /Ouvrir Carte d.identité/ });
  await open.click();
  await expect(page.getByTestId('viewer-pages').locator('canvas')).toHaveCount(1, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Retour' }).click();
  await expect(open).toBeFocused();

  // A task written on the person's page is the writer's.
  await page.getByRole('button', { name: 'Nouvelle tâche' }).click();
  await page.getByLabel('Nouvelle tâche').fill('Rappeler pour la CAF');
  await page.getByRole('button', { name: 'Ajouter la tâche' }).click();
  await expect(page.getByTestId('tasks-table').getByRole('row', { name: /Rappeler pour la CAF/ })).toContainText(ADMIN);

  const nav = page.getByRole('navigation');
  await nav.getByRole('button', { name: 'Tâches', exact: true }).click();
  const table = page.getByTestId('tasks-table');
  await expect(page.getByRole('button', { name: 'Mes tâches', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(table).toContainText('Rappeler pour la CAF');

  // The task form: assigned to me by default; focus goes back to « Nouvelle tâche » after creating and after cancelling.
  const newTask = page.getByRole('button', { name: 'Nouvelle tâche' });
  await newTask.click();
  await expect(page.getByLabel('Assignée à')).toHaveValue(/.+/);
  await page.getByLabel('Tâche', { exact: true }).fill('Préparer la distribution');
  await page.getByRole('button', { name: 'Créer la tâche' }).click();
  await expect(table).toContainText('Préparer la distribution');
  await expect(newTask).toBeFocused();
  await newTask.click();
  await page.getByRole('button', { name: 'Annuler' }).click();
  await expect(newTask).toBeFocused();

  // A slow « En retard » answer (empty) arriving after « Toutes » must not replace it.
  await page.route('**/api/invoke/tasks%3Alist', async (route) => {
    if ((route.request().postData() ?? '').includes('overdue')) await new Promise((r) => setTimeout(r, 1_500));
    await route.continue();
  });
  await page.getByRole('button', { name: 'En retard', exact: true }).click();
  await page.getByRole('button', { name: 'Toutes', exact: true }).click();
  await expect(table).toContainText('Préparer la distribution');
  await page.waitForTimeout(2_000);
  await expect(table).toContainText('Préparer la distribution');
  await expect(table).toContainText('Rappeler pour la CAF');
  await page.unroute('**/api/invoke/tasks%3Alist');

  // The duplicate warning, left with « Revenir au formulaire »: focus on the submit button that replaces it.
  await nav.getByRole('button', { name: 'Personnes', exact: true }).click();
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  await page.getByLabel('Prénom', { exact: true }).fill('Ibrahima');
  await page.getByLabel('Nom', { exact: true }).fill('Diallo');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByTestId('duplicate-warning')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Revenir au formulaire' }).click();
  await expect(page.getByRole('button', { name: 'Créer la personne' })).toBeFocused();
  await expectFocusKept(page);
});
