/**
 * Dues through the real UI and core (browser host; docs/treasury.md): the administrator adds a treasurer and a social
 * worker; the treasurer opens « Trésorerie › Cotisations », creates a fee type, records a cheque for a member's dues
 * and sees the amount in the member's payments; the social worker has no « Trésorerie » in the navigation and sees the
 * member's status on their page, never the amount. Screenshots in test-results/screenshots/dues/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

const SHOTS = join(process.cwd(), 'test-results', 'screenshots', 'dues');
const TREASURER_PASSWORD = 'Tresorerie-2026!';
const SOCIAL_PASSWORD = 'Travail-social-2026!';

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

async function addUser(page: Page, name: string, password: string, role: string): Promise<void> {
  await nav(page, 'Utilisateurs').click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Ajouter un utilisateur' }) });
  await form.getByLabel('Nom d’utilisateur', { exact: true }).fill(name);
  await form.getByLabel('Mot de passe', { exact: true }).fill(password);
  await form.getByLabel('Confirmer le mot de passe').fill(password);
  await form.getByLabel('Rôle').selectOption({ label: role });
  await form.getByRole('button', { name: 'Ajouter l’utilisateur' }).click();
  await expect(page.getByTestId('users-table')).toContainText(name);
}

async function switchTo(page: Page, user: string, password: string): Promise<void> {
  await page.getByRole('button', { name: /Changer d.utilisateur/ }).click();
  await page.getByLabel(/Nom d.utilisateur/).fill(user);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toBeVisible({ timeout: 30_000 });
}

test('la trésorière encaisse un chèque de cotisation ; la travailleuse sociale voit le statut, jamais le montant', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await createAssociation(page, associationDir);
  await createPerson(page, 'Aminata', 'Diallo');
  await addUser(page, 'tresoriere', TREASURER_PASSWORD, 'Trésorerie');
  await addUser(page, 'sociale', SOCIAL_PASSWORD, 'Travailleur social');

  // — The treasurer: Trésorerie › Cotisations.
  await switchTo(page, 'tresoriere', TREASURER_PASSWORD);
  await nav(page, 'Trésorerie').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Trésorerie' })).toBeVisible();
  const tab = page.getByRole('tab', { name: 'Cotisations' });
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const feeForm = page.locator('form', { has: page.getByRole('heading', { name: 'Nouveau type de cotisation' }) });
  await feeForm.getByLabel('Nom', { exact: true }).fill('Adhésion 2026');
  await feeForm.getByLabel('Montant').fill('1.234,50');
  await feeForm.getByRole('button', { name: 'Ajouter le type de cotisation' }).click();
  await expect(feeForm.getByText(/n'est pas un montant en euros/)).toBeVisible();
  await feeForm.getByLabel('Montant').fill('20,00');
  await feeForm.getByRole('button', { name: 'Ajouter le type de cotisation' }).click();
  await expect(page.getByTestId('fee-types')).toContainText('Adhésion 2026 — Année civile — Plein tarif 20,00');

  const pay = page.getByTestId('dues-pay-form');
  await pay.getByRole('combobox', { name: 'Personne' }).fill('Aminata');
  await pay.getByRole('option', { name: /Aminata Diallo/ }).click();
  await expect(pay.getByLabel('Montant')).toHaveValue('20,00');
  await pay.getByLabel('Montant').fill('987,65');
  await pay.getByLabel('Moyen de paiement').selectOption({ label: 'Chèque' });
  await pay.getByLabel('Numéro du chèque').fill('4471902');
  await pay.getByLabel('Banque').fill('Crédit Mutuel Solidaire');
  await shot(page, 'dues-01-record-cheque');
  await pay.getByRole('button', { name: 'Enregistrer le paiement' }).click();
  const table = page.getByTestId('dues-table');
  await expect(table).toContainText('Aminata Diallo');
  await expect(table).toContainText(/À jour|Échéance proche/);
  await page.getByRole('button', { name: 'Paiements de Aminata Diallo' }).click();
  const payments = page.getByTestId('dues-person-payments');
  await expect(payments).toContainText('987,65');
  await expect(payments).toContainText('Chèque n° 4471902 (Crédit Mutuel Solidaire)');
  await shot(page, 'dues-02-payments');
  await expectNoSeriousA11yViolations(page);
  // Exempt, then back: the status follows.
  await page.getByRole('button', { name: 'Exempter de cotisation' }).click();
  await expect(table).toContainText('Exempté');
  await page.getByRole('button', { name: 'Mettre fin à l’exemption' }).click();
  await expect(table).toContainText(/À jour|Échéance proche/);
  // The « échéance proche » setting: 0 days makes the member up to date until the end of the year.
  await page.getByLabel(/Échéance proche » à partir de/).fill('0');
  await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
  await expect(table).toContainText('À jour');
  await page.getByLabel(/Échéance proche » à partir de/).fill('30');
  await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
  // Keyboard: the tab list answers the arrow keys; Home comes back to the first tab.
  await tab.focus();
  await page.keyboard.press('ArrowRight');
  const gifts = page.getByRole('tab', { name: 'Dons et reçus' });
  await expect(gifts).toBeFocused();
  await expect(gifts).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(tab).toBeFocused();
  await expect(tab).toHaveAttribute('aria-selected', 'true');

  // — The social worker: no Trésorerie, the status on the person page, no amount anywhere.
  await switchTo(page, 'sociale', SOCIAL_PASSWORD);
  await expect(nav(page, 'Personnes')).toBeVisible();
  await expect(nav(page, 'Trésorerie')).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Rechercher une personne' }).fill('Aminata');
  await page.locator('#main').getByText('Aminata Diallo', { exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Aminata Diallo/ })).toBeVisible();
  await expect(page.getByTestId('dues-status')).toContainText(/À jour|Échéance proche/);
  await expect(page.locator('body')).not.toContainText('987,65');
  await shot(page, 'dues-03-social-worker-person');
  await expectNoSeriousA11yViolations(page);
});
