/**
 * Papers to renew and the deposit receipt through the real UI and core (browser host; docs/deposit-receipt.md,
 * docs/papers-expiry.md): two papers added, « Imprimer l'attestation de dépôt » offered at once, the signed PDF
 * downloaded; the person's badge « 1 pièce à renouveler »; « Pièces à renouveler » lists the paper in the 30-day
 * window; the downloaded receipt verified valid on that screen, and refused once one byte is changed.
 * Screenshots in test-results/screenshots/papers/.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT, expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

const SCANS = join(process.cwd(), '../shared/fixtures/scans');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'papers', `${name}.png`), fullPage: true });
}

/** dd/mm/yyyy `days` from today (local calendar). */
function inDays(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
}

test('ajouter des pièces, imprimer et vérifier l’attestation de dépôt, voir les pièces à renouveler', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await createAssociation(page, associationDir);
  await createPerson(page, 'Awa', 'Diallo');

  const addPaper = page.getByRole('button', { name: 'Ajouter une pièce' });
  for (const paper of [
    { type: 'carte_identite', expires: inDays(20) },
    { type: 'attestation_caf', expires: '' },
  ]) {
    await addPaper.click();
    await page.getByLabel('Type de pièce').selectOption(paper.type);
    await page.locator('#paper-files').setInputFiles(join(SCANS, 'carte-identite-specimen.png'));
    if (paper.expires) await page.getByLabel('Expire le').fill(paper.expires);
    await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
    await expect(addPaper).toBeFocused({ timeout: 60_000 });
  }
  await expect(page.getByTestId('papers-table').locator('tbody tr')).toHaveCount(2);
  // The referent, who will receive the renewal task.
  const referentLine = page.locator('.referent-line');
  await expect(referentLine).toHaveText(/Référent·e : Aucun·e/);
  await referentLine.getByRole('button', { name: 'Changer' }).click();
  const referent = page.getByLabel('Référent·e de la personne');
  await expect(referent).toBeFocused();
  await referent.selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Enregistrer le référent' }).click();
  await expect(page.getByRole('button', { name: 'Enregistrer le référent' })).toHaveCount(0);
  await expect(referent).toHaveCount(0);
  await expect(referentLine).not.toContainText('Aucun·e');
  await expect(page.getByTestId('renew-badge')).toHaveText('1 pièce à renouveler');
  // Just after adding, the papers' header offers to print their receipt in one click.
  await expect(page.getByRole('button', { name: 'Imprimer l’attestation de ces 2 pièces' })).toBeVisible();
  await shot(page, '01-papers-added');

  // The receipt of the papers just added: one click prints (downloads) the signed PDF.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Imprimer l’attestation de ces 2 pièces' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^DIALLO_Awa_attestation-depot_\d{4}-\d{2}-\d{2}\.pdf$/);
  const receipt = join(associationDir, '..', 'attestation.pdf');
  await download.saveAs(receipt);
  const bytes = await readFile(receipt);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expect(page.locator('#papers-title')).toBeFocused();
  await expect(page.getByText(/Attestations déjà remises/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Réimprimer' })).toHaveCount(1);

  // From the papers list: choose the papers (all ticked), print; a reprint downloads the same deposit again.
  await page.getByRole('button', { name: 'Imprimer l’attestation de dépôt' }).click();
  const panel = page.getByRole('group', { name: 'Attestation de dépôt' });
  await expect(panel.getByRole('checkbox')).toHaveCount(2);
  for (const box of await panel.getByRole('checkbox').all()) await expect(box).toBeChecked();
  await panel.getByRole('checkbox', { name: /Attestation CAF/ }).uncheck();
  await shot(page, '02-receipt-panel');
  await expectNoSeriousA11yViolations(page);
  const [second] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Imprimer l’attestation' }).click()]);
  expect(second.suggestedFilename()).toMatch(/attestation-depot/);
  await expect(page.getByRole('button', { name: 'Réimprimer' })).toHaveCount(2);
  const [reprint] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Réimprimer' }).first().click()]);
  expect(reprint.suggestedFilename()).toMatch(/attestation-depot/);

  // « Pièces à renouveler »: the identity card expiring in 20 days.
  await page.getByRole('navigation').getByRole('button', { name: 'Pièces à renouveler', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pièces à renouveler' })).toBeVisible();
  const rows = page.getByTestId('renew-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Awa Diallo');
  await expect(rows.first()).toContainText('Carte d’identité');
  await expect(rows.first()).toContainText('Dans 20 jours');
  await page.getByRole('button', { name: '90 jours' }).click();
  await expect(page.getByRole('button', { name: '90 jours' })).toHaveAttribute('aria-pressed', 'true');

  // Verification on this PC: valid, then one byte changed.
  await page.getByTestId('verify-receipt-file').setInputFiles(receipt);
  await expect(page.getByTestId('verify-result')).toContainText('Attestation valable');
  await expect(page.getByTestId('verify-result')).toContainText('Awa Diallo');
  await shot(page, '03-papers-to-renew-verified');
  await expectNoSeriousA11yViolations(page);
  const altered = Buffer.from(bytes);
  altered[Math.floor(altered.length / 2)] = altered[Math.floor(altered.length / 2)]! ^ 0x01;
  const alteredPath = join(associationDir, '..', 'attestation-modifiee.pdf');
  await writeFile(alteredPath, altered);
  await page.getByTestId('verify-receipt-file').setInputFiles(alteredPath);
  await expect(page.getByTestId('verify-result')).toContainText('Attestation non valable');
  await shot(page, '04-altered-receipt');
});
