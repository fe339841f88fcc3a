/**
 * The scan folder's inbox « À classer » through the real UI and core (browser host; docs/scanning.md « Dossier de
 * numérisation »): the folder set on « À classer », two scans dropped in it appear (once stable), one is filed into
 * Awa Diallo's papers, it leaves the folder and her papers show it; the other stays. Screenshots in
 * test-results/screenshots/inbox/; axe on the inbox screen.
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT, expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

const SCANS = join(process.cwd(), '../shared/fixtures/scans');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'inbox', `${name}.png`), fullPage: true });
}

test('deux numérisations déposées dans le dossier apparaissent « À classer », une est classée chez une personne', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  const folder = await mkdtemp(join(tmpdir(), 'scan-folder-'));
  try {
    await createAssociation(page, associationDir);
    await createPerson(page, 'Awa', 'Diallo');

    await page.getByRole('navigation').getByRole('button', { name: 'Pièces à renouveler', exact: true }).click();
    await page.getByRole('button', { name: 'À classer', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'À classer' })).toBeVisible();
    await expect(page.getByText(/Aucun dossier de numérisation/)).toBeVisible();
    await page.getByLabel('Dossier de numérisation', { exact: true }).fill(folder);
    await page.getByRole('button', { name: 'Enregistrer le dossier' }).click();
    await expect(page.getByText(/Aucun fichier à classer/)).toBeVisible();

    // The copier drops two scans: offered once their size and date stay the same across two polls.
    await copyFile(join(SCANS, 'attestation-domicile-p1.jpg'), join(folder, 'scan-0001.jpg'));
    await copyFile(join(SCANS, 'carte-identite-specimen.png'), join(folder, 'scan-0002.png'));
    await expect(page.getByRole('heading', { name: '2 fichiers à classer' })).toBeVisible({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Voir scan-0002.png' }).click();
    await expect(page.getByRole('img', { name: 'Aperçu de scan-0002.png' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await shot(page, '01-two-files');
    await page.getByRole('button', { name: 'Fermer l’aperçu' }).click();

    await page.getByRole('checkbox', { name: /scan-0001\.jpg/ }).check();
    const person = page.getByRole('combobox', { name: 'Personne' });
    await person.fill('Diallo');
    await page.getByRole('option', { name: /Awa Diallo/ }).first().click();
    await page.getByLabel('Type de pièce').selectOption('attestation_domiciliation');
    await shot(page, '02-filing');
    await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();

    // Back on Awa Diallo's page: the paper is there, and the original has left the folder (the other one stays).
    await expect(page.getByRole('heading', { level: 1, name: /Awa Diallo/ })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('papers-table').locator('tbody tr')).toHaveCount(1);
    expect(await readdir(folder)).toEqual(['scan-0002.png']);
    await shot(page, '03-filed');

    await page.getByRole('navigation').getByRole('button', { name: 'Pièces à renouveler', exact: true }).click();
    await page.getByRole('button', { name: 'À classer (1)' }).click();
    await expect(page.getByRole('heading', { name: '1 fichier à classer' })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
