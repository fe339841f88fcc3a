/**
 * The scan session reads the MRZ, and its pages survive leaving the person's page (docs/scanning.md, docs/mrz.md),
 * through the real UI, core, OCR engine and an eSCL exchange: the test scanner's feeder holds a passport's data page
 * laid on A4 (drawn in OCR-B, tests/helpers/mrzSpecimens.ts) and a letter. Scanned at 300 ppp: the panel offers
 * « Passeport », expiring 15/04/2033, and « Appliquer » fills type and date. The social worker then goes to another
 * screen and back: « Reprendre la numérisation (2 pages) » reopens the panel on the same two pages, page 2 still
 * turned, and « Ajouter au coffre-fort » stores them as one paper. After a lock, nothing waits any more. axe on each
 * screen; screenshots in test-results/screenshots/scan-mrz/.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEFAULT_PAGES, startEsclServer, type EsclServer } from '../helpers/esclServer';
import { specimenPageSvg, td3 } from '../helpers/mrzSpecimens';
import { ROOT, expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { PASSWORD, createAssociation, createPerson, scanFromFeeder } from './flows';

/** From anywhere in the app to Awa Diallo's page, through the people search. */
async function backToAwa(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true }).click();
  await page.getByRole('combobox', { name: /Rechercher/ }).fill('Diallo');
  await page.getByRole('option', { name: /Awa Diallo/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Awa Diallo/ })).toBeVisible({ timeout: 30_000 });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'scan-mrz', `${name}.png`), fullPage: true });
}

const passport = td3({ last: 'DIALLO', first: 'AWA', birth: '880730', sex: 'F', expiry: '330415', number: '24QK9P718' });

test.describe('numérisation : bande MRZ et pages gardées', () => {
  let scanner: EsclServer;
  test.beforeEach(async () => {
    scanner = await startEsclServer({ pages: [{ svg: specimenPageSvg(passport) }, DEFAULT_PAGES[0]!] });
  });
  test.afterEach(async () => {
    await scanner.close();
  });

  test('un passeport numérisé préremplit la pièce ; ses pages attendent pendant une autre consultation, puis sont ajoutées', async ({ page, associationDir }) => {
    test.setTimeout(240_000);
    await createAssociation(page, associationDir);
    await createPerson(page, 'Awa', 'Diallo');
    await scanFromFeeder(page, scanner, 2);
    const panel = page.getByTestId('scan-panel');

    const prefill = panel.getByTestId('mrz-prefill');
    await expect(prefill).toContainText('Pièce reconnue : passeport', { timeout: 90_000, ignoreCase: true });
    await expect(prefill).toContainText('Expire le 15/04/2033');
    await expect(prefill.locator('.mrz-mismatches')).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);
    await shot(page, '01-mrz-suggestion');
    await prefill.getByRole('button', { name: 'Appliquer le type et la date d’expiration' }).click();
    await expect(panel.getByLabel('Type de pièce')).toHaveValue('passeport');
    await expect(panel.getByLabel('Expire le')).toHaveValue('15/04/2033');
    // Turn the letter (page 2): the turn is kept with the page.
    await panel.getByRole('button', { name: 'Tourner la page 2' }).click();

    // Somewhere else, then back to Awa Diallo's page.
    await page.getByRole('navigation').getByRole('button', { name: 'Pièces à renouveler', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pièces à renouveler' })).toBeVisible();
    await backToAwa(page);
    await expect(page.getByText('2 pages numérisées ne sont pas encore dans le coffre-fort')).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await shot(page, '02-pages-waiting');

    await page.getByRole('button', { name: 'Reprendre la numérisation (2 pages)' }).click();
    await expect(panel.getByTestId('scan-page')).toHaveCount(2);
    await expect(panel.getByTestId('scan-page').nth(1).locator('img')).toHaveCSS('transform', /matrix/);
    await expect(panel.getByTestId('mrz-prefill')).toContainText('Pièce reconnue : passeport', { timeout: 90_000, ignoreCase: true });
    await panel.getByTestId('mrz-prefill').getByRole('button', { name: 'Appliquer le type et la date d’expiration' }).click();
    await shot(page, '03-resumed');
    await panel.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
    const rows = page.getByTestId('papers-table').locator('tbody tr');
    await expect(rows).toHaveCount(1, { timeout: 60_000 });
    await expect(rows.first()).toContainText('Passeport');
    await expect(rows.first()).toContainText('2 pages');
    await expect(rows.first()).toContainText('15/04/2033');
    await expect(page.getByRole('button', { name: 'Numériser', exact: true })).toBeVisible();
    await expect(page.getByText('pas encore dans le coffre-fort')).toHaveCount(0);
  });

  test('un verrouillage oublie les pages numérisées qui attendaient', async ({ page, associationDir }) => {
    test.setTimeout(180_000);
    await createAssociation(page, associationDir);
    await createPerson(page, 'Awa', 'Diallo');
    await scanFromFeeder(page, scanner, 2);
    await page.getByRole('navigation').getByRole('button', { name: 'Pièces à renouveler', exact: true }).click();
    await backToAwa(page);
    await expect(page.getByRole('button', { name: 'Reprendre la numérisation (2 pages)' })).toBeVisible();
    await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
    await expect(page.getByRole('navigation')).toBeVisible({ timeout: 30_000 });
    await backToAwa(page);
    await expect(page.getByRole('button', { name: 'Numériser', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: /Reprendre la numérisation/ })).toHaveCount(0);
    await expect(page.getByText('pas encore dans le coffre-fort')).toHaveCount(0);
  });
});
