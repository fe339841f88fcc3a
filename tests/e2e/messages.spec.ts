/**
 * Internal messages through the real UI and core (browser host), on one office PC: the administrator adds a colleague,
 * writes to her; « Changer d'utilisateur » → the colleague sees the unread badge in the nav and on the conversation,
 * opens it (the count goes down to nothing), replies; back to the administrator, who sees the reply unread, then adds
 * a volunteer to the conversation without its history: the volunteer reads what was written after, not before. An
 * empty message is refused in French. Screenshots in test-results/screenshots/ (messages-*).
 */
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { ADMIN, PASSWORD, createAssociation } from './flows';

const COLLEAGUE = 'nadia';
const COLLEAGUE_PASSWORD = 'Nadia-bureau-2026!';
const LATECOMER = 'bruno';
const nav = (page: Page, name: RegExp | string) => page.getByRole('navigation').getByRole('button', { name, exact: typeof name === 'string' });

async function switchTo(page: Page, user: string, password: string): Promise<void> {
  await page.getByRole('button', { name: /Changer d.utilisateur/ }).click();
  const userName = page.getByLabel(/Nom d.utilisateur/);
  await expect(userName).toBeFocused();
  await userName.fill(user);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toBeVisible({ timeout: 30_000 });
}

test('un message écrit à une collègue, lu après changement d’utilisateur, le compteur de non-lus baisse', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);

  // Two colleagues: a social worker and a volunteer.
  await nav(page, 'Utilisateurs').click();
  for (const [user, shown, role] of [[COLLEAGUE, 'Nadia K.', 'social_worker'], [LATECOMER, 'Bruno L.', 'volunteer']] as const) {
    await page.getByLabel('Nom d’utilisateur', { exact: true }).fill(user);
    await page.getByLabel('Nom affiché').fill(shown);
    await page.getByLabel('Mot de passe', { exact: true }).fill(COLLEAGUE_PASSWORD);
    await page.getByLabel('Confirmer le mot de passe').fill(COLLEAGUE_PASSWORD);
    await page.getByLabel('Rôle', { exact: true }).selectOption(role);
    await page.getByRole('button', { name: 'Ajouter l’utilisateur' }).click();
    await expect(page.getByText(shown).first()).toBeVisible();
  }

  // The administrator writes to her; an empty message is refused first.
  await nav(page, 'Messages').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Messages' })).toBeVisible();
  await expect(page.getByTestId('no-conversations')).toBeVisible();
  const newMessage = page.locator('form.new-message');
  await newMessage.getByLabel('Destinataire').selectOption({ label: 'Nadia K.' });
  await newMessage.getByRole('button', { name: 'Envoyer' }).click();
  await expect(newMessage.getByLabel('Message', { exact: true })).toHaveAccessibleDescription(/écrivez un message/i);
  await newMessage.getByLabel('Message', { exact: true }).fill('Bonjour Nadia, le dossier Martin est complet.');
  await newMessage.getByRole('button', { name: 'Envoyer' }).click();
  const thread = page.getByTestId('thread');
  await expect(thread).toContainText('Bonjour Nadia, le dossier Martin est complet.');
  await expect(page.getByRole('heading', { level: 2, name: 'Nadia K.' })).toBeVisible();
  await screenshot(page, 'messages-01-sent');
  await expectNoSeriousA11yViolations(page);

  // Nadia: one unread in the nav and on the conversation; opening it reads it.
  await switchTo(page, COLLEAGUE, COLLEAGUE_PASSWORD);
  await expect(page.getByTestId('nav-unread-count')).toHaveText(/1$/);
  await nav(page, /^Messages/).click();
  const item = page.getByTestId('conversation-list').getByRole('button', { name: /accueil/ });
  await expect(item.getByTestId('conversation-unread')).toHaveText(/1$/);
  await screenshot(page, 'messages-02-unread');
  await expectNoSeriousA11yViolations(page);
  await item.click();
  await expect(thread).toContainText('Bonjour Nadia, le dossier Martin est complet.');
  await expect(page.getByTestId('nav-unread-count')).toHaveCount(0);
  await expect(item.getByTestId('conversation-unread')).toHaveCount(0);

  // Her reply, with the keyboard only.
  await page.getByLabel('Répondre').fill('Merci, je passe le voir jeudi.');
  await page.getByLabel('Répondre').press('Tab');
  await page.keyboard.press('Enter');
  await expect(thread).toContainText('Merci, je passe le voir jeudi.');
  await screenshot(page, 'messages-03-thread');
  await expectNoSeriousA11yViolations(page);

  // Back to the administrator: the reply waits, unread.
  await switchTo(page, ADMIN, PASSWORD);
  await expect(page.getByTestId('nav-unread-count')).toHaveText(/1$/);
  await nav(page, /^Messages/).click();
  await page.getByTestId('conversation-list').getByRole('button', { name: /Nadia K\./ }).click();
  await expect(thread).toContainText('Merci, je passe le voir jeudi.');
  await expect(page.getByTestId('nav-unread-count')).toHaveCount(0);
  await screenshot(page, 'messages-04-reply-read');

  // Bruno joins the conversation (without its history): he reads what is written after, not before.
  await page.getByText('Ajouter à la conversation').click();
  await expect(page.getByText('Les personnes ajoutées lisent les messages écrits après leur arrivée.')).toBeVisible();
  await page.getByLabel('Personne à ajouter').selectOption({ label: 'Bruno L.' });
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await expect(page.getByText('Membres : accueil, Bruno L., Nadia K.')).toBeVisible();
  await page.getByLabel('Répondre').fill('Bruno nous rejoint pour les visites.');
  await page.getByRole('button', { name: 'Envoyer' }).last().click();
  await expect(thread).toContainText('Bruno nous rejoint pour les visites.');
  await screenshot(page, 'messages-05-member-added');
  await expectNoSeriousA11yViolations(page);
  await switchTo(page, LATECOMER, COLLEAGUE_PASSWORD);
  await nav(page, /^Messages/).click();
  await page.getByTestId('conversation-list').getByRole('button', { name: /accueil, Nadia K\./ }).click();
  await expect(thread).toContainText('Bruno nous rejoint pour les visites.');
  await expect(thread).not.toContainText('Bonjour Nadia');
  await expect(page.getByTestId('nav-unread-count')).toHaveCount(0);
  await screenshot(page, 'messages-06-latecomer');
  await expectNoSeriousA11yViolations(page);
});
