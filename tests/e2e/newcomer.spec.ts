/**
 * The desk as a newcomer feels it (docs/ui.md « Dates » and « Session and locking »): an impossible date or an
 * implausible phone is refused next to its field and nothing is saved without it; dates are typed and shown as
 * jj/mm/aaaa even in a browser set to English; the recovery code cannot be left without confirming it was kept; a
 * reload never opens the association without a password; after a lock the last user's name is filled in and the
 * password field focused, after a wrong password it is emptied and focused. Screens are checked with axe and saved
 * under test-results/screenshots/newcomer-*.png.
 */
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { ADMIN, PASSWORD, createAssociation, createPerson, storeRecoveryCode, submitNewAssociation } from './flows';

// A browser in English: the date fields must still read and show jj/mm/aaaa (a native date field would not).
test.use({ locale: 'en-US' });

async function check(page: Page, name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

/** The unlock form: heading shown, no navigation, nothing of the association. */
async function expectUnlockForm(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Ouvrir une association' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByTestId('association-name')).toHaveCount(0);
}

test('une date impossible ou un téléphone « abc » sont refusés à côté du champ, rien n’est enregistré sans eux', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await createAssociation(page, associationDir);
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  await page.getByLabel('Prénom', { exact: true }).fill('Awa');
  await page.getByLabel('Nom', { exact: true }).fill('Diallo');
  const birth = page.getByLabel('Date de naissance');
  await birth.pressSequentially('31022026');
  await expect(birth).toHaveValue('31/02/2026');
  const phone = page.getByLabel('Téléphone', { exact: true });
  await phone.fill('abc');
  await page.getByRole('button', { name: 'Créer la personne' }).click();

  // Both refused next to their field, in French; the form stays with what was typed.
  await expect(birth).toHaveAttribute('aria-invalid', 'true');
  await expect(birth).toHaveAccessibleDescription(/Date de naissance.*n’existe pas/);
  await expect(phone).toHaveAttribute('aria-invalid', 'true');
  await expect(phone).toHaveAccessibleDescription(/Téléphone.*numéro/);
  await expect(birth).toBeFocused();
  await expect(birth).toHaveValue('31/02/2026');
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle personne' })).toBeVisible();
  await check(page, 'newcomer-date-refused');

  // Corrected: saved with its date, shown and edited as jj/mm/aaaa.
  await birth.fill('09/12/1944');
  await phone.fill('06 12 34 56 78');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Awa Diallo/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('09/12/1944').first()).toBeVisible();
  await page.getByRole('button', { name: /Modifier/ }).first().click();
  await expect(page.getByLabel('Date de naissance')).toHaveValue('09/12/1944');
  await check(page, 'newcomer-date-edit');
});

test('le code de secours ne se quitte pas sans confirmer qu’il est rangé, et un rechargement ne l’ouvre pas', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await submitNewAssociation(page, associationDir);
  // The other choices of the start screen cannot be taken while the code is shown.
  await expect(page.getByRole('button', { name: 'Déverrouiller', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Rejoindre une association' })).toBeDisabled();
  // The button says what is missing until the box is ticked.
  await page.getByRole('button', { name: /J.ai rangé le code/ }).click();
  await expect(page.getByTestId('recovery-panel')).toBeVisible();
  const kept = page.getByRole('checkbox', { name: /J’ai noté ou imprimé ce code/ });
  await expect(kept).toBeFocused();
  await expect(kept).toHaveAccessibleDescription(/Cochez/);
  await check(page, 'newcomer-recovery-locked');

  // A reload while the code is on screen: the association is locked, the unlock form asks for the password.
  await page.reload();
  await expectUnlockForm(page);
  await expect(page.getByLabel(/Nom d.utilisateur/)).toHaveValue(ADMIN);
  await expect(page.getByLabel('Mot de passe', { exact: true })).toBeFocused();
  await check(page, 'newcomer-recovery-reload');

  // A new code from the users page: the navigation waits until it is confirmed kept.
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toBeVisible({ timeout: 30_000 });
  const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
  await nav('Utilisateurs').click();
  await page.getByRole('button', { name: 'Nouveau code de secours' }).click();
  await page.getByRole('button', { name: /Confirmer : remplacer le code/ }).click();
  await expect(page.getByTestId('recovery-code')).toBeVisible({ timeout: 30_000 });
  await expect(nav('Personnes')).toBeDisabled();
  await check(page, 'newcomer-recovery-renew-held');
  await page.getByRole('checkbox', { name: /J’ai noté ou imprimé ce code/ }).check();
  await page.getByRole('button', { name: /J.ai rangé le code/ }).click();
  await expect(page.getByTestId('recovery-code')).toHaveCount(0);
  await expect(nav('Personnes')).toBeEnabled();
});

test('un rechargement après verrouillage montre le déverrouillage, nom prérempli et mot de passe focalisé', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  await submitNewAssociation(page, associationDir);
  await storeRecoveryCode(page);
  await createPerson(page, 'Hélène', 'Martin');

  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  await expectUnlockForm(page);
  const userName = page.getByLabel(/Nom d.utilisateur/);
  const password = page.getByLabel('Mot de passe', { exact: true });
  await expect(userName).toHaveValue(ADMIN);
  await expect(password).toBeFocused();

  // The reload after the lock: still the unlock form, nothing of the person.
  await page.reload();
  await expectUnlockForm(page);
  await expect(page.getByText('Martin')).toHaveCount(0);
  await expect(userName).toHaveValue(ADMIN);
  await expect(password).toBeFocused();
  await check(page, 'newcomer-reload-after-lock');

  // A wrong password: refused, the field emptied and focused.
  await password.fill('pas-le-bon-mot-de-passe');
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.locator('#unlock-error')).toBeVisible({ timeout: 30_000 });
  await expect(password).toHaveValue('');
  await expect(password).toBeFocused();
  await check(page, 'newcomer-wrong-password');

  await password.fill(PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toBeVisible({ timeout: 30_000 });

  // A reload while unlocked (Ctrl+R, a crashed tab reopened): the core locks, the unlock form comes back.
  await page.reload();
  await expectUnlockForm(page);
  await expect(page.getByLabel(/Nom d.utilisateur/)).toHaveValue(ADMIN);
});
