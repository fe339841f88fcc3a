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
