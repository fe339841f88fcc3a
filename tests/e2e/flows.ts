/** Steps shared by several end-to-end specs, written as a desk worker would do them. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const ADMIN = 'accueil';
export const PASSWORD = 'Solidarite-2026!';

/**
 * Fills and submits the "Créer une association" form, waits for the recovery code panel shown once after creation
 * and returns the code as shown (5 groups of 5 characters). The app is entered with `storeRecoveryCode`.
 */
export async function submitNewAssociation(page: Page, dir: string, name = 'Entraide Paris 11'): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Créer une association' }).click();
  await page.getByLabel(/Dossier où créer/).fill(dir);
  await page.getByLabel(/Nom de l.association/).fill(name);
  await page.getByLabel(/Votre nom d.utilisateur/).fill(ADMIN);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmer le mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: /Créer l.association/ }).click();
  const code = page.getByTestId('recovery-code');
  await expect(code).toBeVisible({ timeout: 30_000 });
  return (await code.textContent()) ?? '';
}

/** Ticks « J’ai noté ou imprimé ce code… » then « J'ai rangé le code »: leaves the recovery code panel for the people screen. */
export async function storeRecoveryCode(page: Page, name = 'Entraide Paris 11'): Promise<void> {
  await page.getByRole('checkbox', { name: /J’ai noté ou imprimé ce code/ }).check();
  await page.getByRole('button', { name: /J.ai rangé le code/ }).click();
  await expect(page.getByTestId('association-name')).toHaveText(name, { timeout: 30_000 });
}

/** Creates an association through the "Créer une association" form, past the recovery code, to the people screen. */
export async function createAssociation(page: Page, dir: string, name = 'Entraide Paris 11'): Promise<void> {
  await submitNewAssociation(page, dir, name);
  await storeRecoveryCode(page, name);
}

/** Creates a person from the people screen and waits for their page. */
export async function createPerson(page: Page, firstName: string, lastName: string): Promise<void> {
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  await page.getByLabel('Prénom', { exact: true }).fill(firstName);
  await page.getByLabel('Nom', { exact: true }).fill(lastName);
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`${firstName} ${lastName}`) })).toBeVisible({ timeout: 30_000 });
}

/** Opens the scan session, adds the test scanner by its address, chooses the feeder and scans its pages. */
export async function scanFromFeeder(page: Page, scanner: { url: string }, pages: number): Promise<void> {
  await page.getByRole('button', { name: 'Numériser', exact: true }).click();
  const panel = page.getByTestId('scan-panel');
  await expect(panel.getByRole('heading', { name: 'Numériser une pièce' })).toBeFocused();
  await panel.getByRole('button', { name: 'Ajouter une adresse' }).click();
  await panel.getByLabel('Adresse du scanner (eSCL)').fill(scanner.url);
  await panel.getByRole('button', { name: 'Ajouter ce scanner' }).click();
  await expect(panel.getByLabel('Scanner', { exact: true })).toHaveValue(`escl:${scanner.url}`);
  await panel.getByLabel('Source').selectOption('feeder');
  await panel.getByLabel('Mode').selectOption('gray');
  await panel.getByLabel('Résolution').selectOption('300');
  await panel.getByRole('button', { name: 'Numériser', exact: true }).click();
  await expect(panel.getByTestId('scan-page')).toHaveCount(pages, { timeout: 60_000 });
  await expect(panel.getByTestId('scan-job')).toContainText(`Numérisation terminée : ${pages} pages reçues.`, { timeout: 30_000 });
}
