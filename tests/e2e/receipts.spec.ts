/**
 * Gifts and tax receipts through the real UI and core (browser host; docs/treasury.md « Dons et reçus fiscaux »):
 * the administrator (who holds the treasury permissions, as the treasurer does) fills the receipt settings, records a
 * cheque gift from a donor with an address, issues its receipt and prints it; the PDF downloaded is read back with
 * pdftotext (number, amount in figures and words, donor); then cancels it with a reason (the number stays, the row
 * says « Annulé »). axe on each screen. Screenshots in test-results/screenshots/receipts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation } from './flows';

const SHOTS = join(process.cwd(), 'test-results', 'screenshots', 'receipts');
const YEAR = new Date().getFullYear();

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test('le trésorier enregistre un don, émet et imprime le reçu fiscal, puis l’annule', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await createAssociation(page, associationDir);

  // A donor with an address (the receipt prints it).
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  await page.getByLabel('Prénom', { exact: true }).fill('Lucienne');
  await page.getByLabel('Nom', { exact: true }).fill('Marchetti');
  await page.getByLabel('Adresse', { exact: true }).fill('4 impasse des Lilas');
  await page.getByLabel('Code postal', { exact: true }).fill('93100');
  await page.getByLabel('Ville', { exact: true }).fill('Montreuil');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Lucienne Marchetti/ })).toBeVisible({ timeout: 30_000 });

  await page.getByRole('navigation').getByRole('button', { name: 'Trésorerie', exact: true }).click();
  await page.getByRole('tab', { name: 'Dons et reçus' }).click();
  await expect(page.getByRole('heading', { name: 'Enregistrer un don' })).toBeVisible();

  // The receipt settings, once.
  await page.getByText('Réglages des reçus fiscaux').click();
  const settings = page.getByRole('form', { name: 'Réglages des reçus fiscaux' });
  await settings.getByLabel('Nom de l’association').fill('Entraide Paris 11');
  await settings.getByLabel('SIREN ou RNA').fill('W751234567');
  await settings.getByLabel('Adresse', { exact: true }).fill('12 rue de la Roquette');
  await settings.getByLabel('Code postal', { exact: true }).fill('75011');
  await settings.getByLabel('Commune').fill('Paris');
  await settings.getByLabel('Objet').fill('Aide alimentaire et accompagnement des familles');
  await settings.getByLabel('Signataire', { exact: true }).fill('Claire Fontaine');
  await settings.getByLabel('Qualité du signataire').fill('Trésorière');
  await settings.getByLabel('Lieu de signature').fill('Paris');
  await settings.getByRole('button', { name: 'Enregistrer les réglages' }).click();
  await expect(page.getByText('Réglages des reçus enregistrés.').first()).toBeVisible();
  await shot(page, '01-settings');
  await expectNoSeriousA11yViolations(page);

  // A gift by cheque, 280,50 €.
  const donor = page.getByRole('combobox', { name: 'Donateur' });
  await donor.fill('Marchetti');
  await page.getByRole('listbox', { name: 'Donateur' }).getByRole('option').filter({ hasText: 'Lucienne Marchetti' }).click();
  await page.getByLabel('Montant', { exact: true }).fill('280,50');
  await page.getByLabel('Date du don', { exact: true }).fill(`12/03/${YEAR}`);
  await page.getByLabel('Mode de versement').selectOption('cheque');
  await page.getByRole('button', { name: 'Enregistrer le don' }).click();
  await expect(page.getByText('Don de Lucienne Marchetti enregistré.').first()).toBeVisible();
  const giftRow = page.getByRole('row').filter({ hasText: `12/03/${YEAR}` });
  await expect(giftRow).toContainText('280,50');
  await shot(page, '02-gift-recorded');

  // Issue the receipt, then print it.
  await giftRow.getByRole('button', { name: 'Émettre le reçu' }).click();
  const issued = page.getByText(new RegExp(`Reçu fiscal ${YEAR}-[0-9A-Z]{8}-0001 émis\\.`)).first();
  await expect(issued).toBeVisible();
  const number = /(\d{4}-[0-9A-Z]{8}-\d{4})/.exec((await issued.textContent()) ?? '')![1]!;
  const receipts = page.getByRole('region', { name: `Reçus fiscaux ${YEAR}` });
  await expect(receipts.getByRole('row').filter({ hasText: number })).toContainText('Émis');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Imprimer le reçu ${number}` }).click()]);
  expect(download.suggestedFilename()).toBe(`recu-fiscal-${number}.pdf`);
  const text = execFileSync('pdftotext', ['-layout', await download.path(), '-'], { encoding: 'utf8' });
  expect(text).toContain(`Numéro d'ordre du reçu : ${number}`);
  expect(text).toContain('deux cent quatre-vingts euros et cinquante centimes');
  expect(text).toContain('Marchetti');
  expect(text).toContain('W751234567');
  await shot(page, '03-receipt-issued');
  await expectNoSeriousA11yViolations(page);

  // Cancel it: a reason is asked; the number stays, marked « Annulé ».
  await page.getByRole('button', { name: `Annuler le reçu ${number}` }).click();
  const dialog = page.getByRole('dialog', { name: `Annuler le reçu ${number} ?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Annuler le reçu' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Motif : obligatoire.');
  await dialog.getByLabel('Motif de l’annulation').fill('Montant erroné');
  await shot(page, '04-cancel-dialog');
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole('button', { name: 'Annuler le reçu' }).click();
  await expect(dialog).toBeHidden();
  await expect(receipts.getByRole('row').filter({ hasText: number })).toContainText('Annulé le');
  await expect(page.getByText(`${YEAR} : 0 reçu(s) émis`)).toBeVisible();
  await shot(page, '05-receipt-cancelled');
});
