/**
 * MRZ prefill through the real UI, core and OCR engine (browser host; docs/mrz.md): a passport specimen drawn in
 * OCR-B at 300 dpi is chosen in « Ajouter une pièce »; the form offers « Passeport » expiring 15/04/2033 and fills
 * type and date on « Appliquer »; for a person whose record has another name, the difference is named. axe: no
 * serious or critical violation. Screenshots in test-results/screenshots/mrz/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT, expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation, createPerson } from './flows';
import { specimenPng, td3 } from '../helpers/mrzSpecimens';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'mrz', `${name}.png`), fullPage: true });
}

test('la bande MRZ d’un passeport préremplit le type et la date d’expiration, et signale un nom différent', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  const passport = join(mkdtempSync(join(tmpdir(), 'mrz-e2e-')), 'passeport.png');
  specimenPng(td3({ last: 'DIALLO', first: 'AMINATA', birth: '880730', sex: 'F', expiry: '330415', number: '24QK9P718' }), passport);
  await createAssociation(page, associationDir);

  await createPerson(page, 'Aminata', 'Diallo');
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.locator('#paper-files').setInputFiles(passport);
  const prefill = page.getByTestId('mrz-prefill');
  await expect(prefill).toContainText('Pièce reconnue : passeport', { timeout: 90_000, ignoreCase: true });
  await expect(prefill).toContainText('Expire le 15/04/2033');
  await expect(prefill.locator('.mrz-mismatches')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  await shot(page, '01-suggestion');
  await prefill.getByRole('button', { name: 'Appliquer le type et la date d’expiration' }).click();
  await expect(page.getByLabel('Type de pièce')).toHaveValue('passeport');
  await expect(page.getByLabel('Expire le')).toHaveValue('15/04/2033');
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(page.getByTestId('papers-table').locator('tbody tr')).toHaveCount(1, { timeout: 60_000 });

  await page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true }).click();
  await createPerson(page, 'Aminata', 'Sow');
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.locator('#paper-files').setInputFiles(passport);
  await expect(page.getByTestId('mrz-prefill')).toContainText('Le nom lu sur la pièce (DIALLO) diffère de celui de la fiche (Sow).', { timeout: 90_000 });
  await expectNoSeriousA11yViolations(page);
  await shot(page, '02-name-differs');
});
