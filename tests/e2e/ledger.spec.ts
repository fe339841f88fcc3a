/**
 * The cash book and the bank reconciliation through the real UI and core (browser host; docs/treasury.md « Journal et
 * banque »): the treasurer records a receipt in the bank journal (the running balance shows), imports a bank statement
 * (CSV of a French bank, with one broken line named in French), reconciles the matching line from its suggestion,
 * undoes and redoes it, and sees it reconciled in the journal. Screenshots in test-results/screenshots/ledger/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT, expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation } from './flows';

const TREASURER_PASSWORD = 'Caisse-Claire-2026!';
const SHOTS = join(ROOT, 'test-results', 'screenshots', 'ledger');
async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test('la trésorière saisit une recette, importe un relevé et rapproche une ligne', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  const year = new Date().getFullYear();
  await createAssociation(page, associationDir);
  // The administrator adds the treasurer, who then works alone.
  await page.getByRole('navigation').getByRole('button', { name: 'Utilisateurs', exact: true }).click();
  const add = page.locator('form[aria-labelledby="user-add-title"]');
  await add.getByLabel('Nom d’utilisateur').fill('tresoriere');
  await add.getByLabel('Nom affiché').fill('Claire (trésorière)');
  await add.getByLabel('Mot de passe', { exact: true }).fill(TREASURER_PASSWORD);
  await add.getByLabel(/Confirmer/).fill(TREASURER_PASSWORD);
  await add.getByLabel('Rôle').selectOption('treasurer');
  await add.getByRole('button', { name: 'Ajouter l’utilisateur' }).click();
  await expect(page.getByText('Utilisateur tresoriere ajouté.')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: /Changer d.utilisateur/ }).click();
  await page.getByLabel(/Nom d.utilisateur/).fill('tresoriere');
  await page.getByLabel('Mot de passe', { exact: true }).fill(TREASURER_PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('current-role')).toContainText('Trésorerie', { timeout: 30_000 });
  await page.getByRole('navigation').getByRole('button', { name: 'Trésorerie', exact: true }).click();
  await page.getByRole('tab', { name: 'Journal' }).click();
  await expect(page.getByRole('button', { name: 'Banque (512)' })).toHaveAttribute('aria-pressed', 'true');

  // A receipt typed by the treasurer: 250,00 € on 74 (subsidy), in the bank journal.
  const form = page.locator('form[aria-labelledby="ledger-entry-title"]');
  await form.getByLabel('Date', { exact: true }).fill(`10/03/${year}`);
  await form.getByLabel('Sens').selectOption('receipt');
  await form.getByLabel('Montant').fill('250,00');
  await form.getByLabel('Compte').fill('74');
  await form.getByLabel('Libellé').fill('Subvention mairie');
  await form.getByRole('button', { name: 'Enregistrer l’écriture' }).click();
  const journal = page.locator('table.ledger-table');
  await expect(journal.getByRole('row', { name: /Subvention mairie/ })).toContainText('250,00');
  await expect(page.getByRole('heading', { name: /Banque \d{4} — solde/ })).toContainText('250,00');
  await shot(page, 'ledger-01-journal');
  await expectNoSeriousA11yViolations(page);

  // The statement: one line two days later (a suggestion, not reconciled at once), a fee, and a broken line.
  await page.getByRole('tab', { name: 'Rapprochement' }).click();
  const csv = ['Date;Libellé;Débit;Crédit', `12/03/${year};VIR MAIRIE SUBVENTION;;250,00`, `14/03/${year};FRAIS TENUE DE COMPTE;3,50;`, `31/02/${year};LIGNE CASSEE;;1,00`].join('\r\n');
  await page.getByLabel('Relevé (CSV ou OFX)').setInputFiles({ name: 'releve-mars.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') });
  await expect(page.getByText('releve-mars.csv : 2 ligne(s) nouvelle(s), 0 déjà présente(s), 0 rapprochée(s) d’office.')).toBeVisible();
  await expect(page.getByText('Ligne 4 : date illisible « 31/02/' + year + ' »')).toBeVisible();
  const line = page.getByRole('row', { name: /VIR MAIRIE SUBVENTION/ });
  await expect(line).toContainText('même montant');
  await expect(page.getByRole('row', { name: /FRAIS TENUE DE COMPTE/ })).toContainText('Aucune écriture correspondante');
  await shot(page, 'ledger-02-suggestions');
  await expectNoSeriousA11yViolations(page);

  await line.getByRole('button', { name: /^Rapprocher/ }).click();
  await expect(line).toContainText('Rapprochée avec');
  await line.getByRole('button', { name: 'Annuler le rapprochement' }).click();
  await expect(line.getByRole('button', { name: /^Rapprocher/ })).toBeVisible();
  await line.getByRole('button', { name: /^Rapprocher/ }).click();
  await expect(line).toContainText('Rapprochée avec');
  await expect(line.getByRole('button', { name: 'Annuler le rapprochement' })).toBeVisible();
  // The bank fee has no entry: recorded from its line on 627 (the account offered) and reconciled at once.
  const fee = page.getByRole('row', { name: /FRAIS TENUE DE COMPTE/ });
  await fee.getByRole('button', { name: 'Saisir dans le journal la ligne « FRAIS TENUE DE COMPTE »' }).click();
  await expect(fee.getByLabel('Compte', { exact: true })).toHaveValue('627');
  await fee.getByRole('button', { name: 'Enregistrer et rapprocher' }).click();
  await expect(fee).toContainText('Rapprochée avec');
  await expect(page.getByRole('heading', { name: /Lignes du relevé : 2 \(0 à rapprocher\)/ })).toBeVisible();
  await shot(page, 'ledger-03-reconciled');
  await expectNoSeriousA11yViolations(page);

  // Back in the journal, the entry shows as reconciled.
  await page.getByRole('tab', { name: 'Journal' }).click();
  await expect(page.locator('table.ledger-table').getByRole('row', { name: /Subvention mairie/ })).toContainText('Rapprochée');
  await expect(page.locator('table.ledger-table').getByRole('row', { name: /FRAIS TENUE DE COMPTE/ })).toContainText('627 Services bancaires et assimilés');
  await expect(page.getByRole('heading', { name: /Banque \d{4} — solde/ })).toContainText('246,50');
  await shot(page, 'ledger-04-journal-reconciled');

  // Exports: a SIREN of 8 digits is refused next to its field; the yearly summary shows the account.
  await page.getByRole('tab', { name: 'Exports' }).click();
  await page.getByLabel('Année').fill(String(year));
  await page.getByLabel('SIREN de l’association').fill('12345678');
  await page.getByRole('button', { name: 'Télécharger le FEC' }).click();
  await expect(page.getByText('SIREN : 9 chiffres.')).toBeVisible();
  await page.getByLabel('SIREN de l’association').fill('123456789');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le FEC' }).click()]);
  expect(download.suggestedFilename()).toBe(`123456789FEC${year}1231.txt`);
  await page.getByRole('button', { name: 'Voir le bilan annuel' }).click();
  await expect(page.getByRole('row', { name: /74 Subventions d’exploitation/ })).toContainText('250,00');
  await shot(page, 'ledger-05-exports');
  await expectNoSeriousA11yViolations(page);
});
