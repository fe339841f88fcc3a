/**
 * Errors in people's words (docs/ui.md « Errors in people's words »): every form walked with empty, too long and
 * malformed input. The test fails when the page shows zod's English, a channel name or a field path; each error must
 * sit next to its field (aria-invalid + aria-describedby), all at once, with focus on the first one. Also: the
 * paper form says when no file is chosen and refuses a wrong file when chosen; the role editor greys out the
 * administrator's protected rights; « Conflits » is absent before any hub; the application icon is served (no 404).
 * Screenshots: test-results/screenshots/forms-*.png and test-results/screenshots/newcomer/after-*.png (the copies in
 * docs/screenshots/newcomer/ are taken from there by hand).
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ROOT, expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { ADMIN, PASSWORD, storeRecoveryCode } from './flows';

const AFTER = join(ROOT, 'test-results', 'screenshots', 'newcomer');
/** zod's English and developer wording. */
const ENGLISH = /\b(expected|Too big|Too small|Invalid|Required|received|undefined|NaN|string|number)\b|[<>]=\d/;
/** A channel name (`people:findDuplicates`) or a request path (`person.lastName`). */
const CHANNEL = /\b[a-z]+:[a-z][a-zA-Z]+\b/;
const PATH = /\b[a-z]+\.[a-z]+[A-Z][a-zA-Z]*\b/;

/** Fails when the visible page holds developer wording. */
async function expectPeopleWords(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text, 'anglais de zod').not.toMatch(ENGLISH);
  expect(text, 'nom de canal').not.toMatch(CHANNEL);
  expect(text, 'chemin de champ').not.toMatch(PATH);
}

/** The field is refused with `message` tied to it. */
async function expectRefused(field: Locator, message: RegExp): Promise<void> {
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(message);
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('button', { name, exact: true });
}

async function check(page: Page, name: string): Promise<void> {
  await expectPeopleWords(page);
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

test('formulaires : erreurs en français à côté des champs, toutes à la fois, focus sur la première', async ({ page, associationDir }) => {
  test.setTimeout(300_000);
  const missing: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });

  // — Create an association: empty, then malformed, then right.
  await page.goto('/');
  await page.getByRole('button', { name: 'Créer une association' }).click();
  await page.getByRole('button', { name: /Créer l.association/ }).click();
  const folder = page.getByLabel(/Dossier où créer/);
  const name = page.getByLabel(/Nom de l.association/);
  const admin = page.getByLabel(/Votre nom d.utilisateur/);
  const password = page.getByLabel('Mot de passe', { exact: true });
  const confirm = page.getByLabel('Confirmer le mot de passe');
  await expectRefused(folder, /Champ obligatoire/);
  await expectRefused(name, /Champ obligatoire/);
  await expectRefused(admin, /Champ obligatoire/);
  await expectRefused(password, /10 caractères au moins/);
  await expect(folder).toBeFocused();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await check(page, 'forms-create-empty');

  await expect(name).toHaveAttribute('maxlength', '200');
  await name.fill('E'.repeat(250));
  expect((await name.inputValue()).length).toBeLessThanOrEqual(200);
  await admin.fill('a b');
  await password.fill('court');
  await confirm.fill('autre');
  await page.getByRole('button', { name: /Créer l.association/ }).click();
  await expectRefused(admin, /Seuls les lettres, chiffres.*sans espace/);
  await expectRefused(password, /10 caractères au moins/);
  await expectRefused(confirm, /pas identiques/);
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await expect(folder).toBeFocused();
  await check(page, 'forms-create-malformed');
  await page.screenshot({ path: join(AFTER, 'after-create-association.png') });

  await folder.fill(associationDir);
  await name.fill('Entraide Paris 11');
  await admin.fill(ADMIN);
  await password.fill(PASSWORD);
  await confirm.fill(PASSWORD);
  await page.getByRole('button', { name: /Créer l.association/ }).click();
  await expect(page.getByTestId('recovery-code')).toBeVisible({ timeout: 30_000 });
  await storeRecoveryCode(page);

  // — The header: no « Conflits » before any hub; the icon is served.
  await expect(nav(page, 'Conflits')).toHaveCount(0);
  for (const icon of ['icon.svg', 'icon.png']) expect((await page.request.get(icon)).status(), icon).toBe(200);

  // — A refusal by the core names the field in French, never the channel or the path (here sent past the form).
  const refusal = await page.evaluate(async () => {
    const token = sessionStorage.getItem('solidariciel-host-token') ?? '';
    const r = await fetch('/api/invoke/people:findDuplicates', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-solidariciel-token': token },
      body: JSON.stringify({ person: { lastName: 'D'.repeat(201) } }),
    });
    return (await r.json()) as { ok: boolean; error?: { message: string; fields?: { path: string; message: string }[] } };
  });
  expect(refusal.ok).toBe(false);
  expect(refusal.error?.message).toBe('Nom : 200 caractères au plus.');
  expect(refusal.error?.fields).toEqual([{ path: 'person.lastName', message: '200 caractères au plus.' }]);

  // — The person form: too long is held by maxLength; malformed refused all at once, first one focused.
  await page.getByRole('button', { name: 'Nouvelle personne' }).first().click();
  const lastName = page.getByLabel('Nom', { exact: true });
  await expect(lastName).toHaveAttribute('maxlength', '200');
  await expect(page.getByLabel('Code postal')).toHaveAttribute('maxlength', '20');
  await page.getByLabel('Prénom', { exact: true }).fill('Awa');
  await lastName.fill('D'.repeat(250));
  expect((await lastName.inputValue()).length).toBe(200);
  const birth = page.getByLabel('Date de naissance');
  await birth.pressSequentially('31022026');
  const email = page.getByLabel('E-mail', { exact: true });
  await email.fill('awa-at-example');
  const phone = page.getByLabel('Téléphone', { exact: true });
  await phone.fill('abc');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expectRefused(birth, /n’existe pas/);
  await expectRefused(email, /Adresse e-mail invalide/);
  await expectRefused(phone, /numéro de téléphone/);
  await expect(birth).toBeFocused();
  await check(page, 'forms-person-malformed');
  await page.screenshot({ path: join(AFTER, 'after-person-form.png') });
  await lastName.fill('Diallo');
  await birth.fill('');
  await email.fill('awa@example.org');
  await phone.fill('');
  await page.getByRole('button', { name: 'Créer la personne' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Awa Diallo/ })).toBeVisible({ timeout: 30_000 });

  // — The note form (opened on demand): empty.
  await page.getByRole('button', { name: 'Ajouter une note' }).click();
  await page.getByRole('button', { name: 'Ajouter la note' }).click();
  const noteText = page.getByLabel('Texte de la note');
  await expectRefused(noteText, /Champ obligatoire/);
  await expect(noteText).toBeFocused();

  // — The paper form (opened on demand): says no file is chosen, refuses a wrong file when chosen, and everything
  //   missing at once.
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await expect(page.getByText('Aucun fichier choisi.')).toBeVisible();
  const files = page.locator('#paper-files');
  await files.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('bonjour') });
  await expect(files).toHaveAttribute('aria-invalid', 'true');
  await expect(files).toHaveAccessibleDescription(/Format non pris en charge : notes\.txt/);
  await files.setInputFiles({ name: 'vide.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) });
  await expect(files).toHaveAccessibleDescription(/vide\.pdf est vide/);
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(files).toHaveAccessibleDescription(/Choisissez au moins un fichier/);
  await expectRefused(page.getByLabel('Type de pièce'), /Choisissez le type de pièce/);
  await check(page, 'forms-paper-empty');

  // — The task form: empty title.
  await nav(page, 'Tâches').click();
  await page.getByRole('button', { name: 'Nouvelle tâche' }).first().click();
  await page.getByRole('button', { name: 'Créer la tâche' }).click();
  const taskTitle = page.getByLabel('Tâche', { exact: true });
  await expectRefused(taskTitle, /Champ obligatoire/);
  await expect(taskTitle).toHaveAttribute('maxlength', '300');
  await check(page, 'forms-task-empty');

  // — Add a user: empty, then malformed.
  await nav(page, 'Utilisateurs').click();
  await page.getByRole('button', { name: 'Ajouter l’utilisateur' }).click();
  const userName = page.getByLabel('Nom d’utilisateur', { exact: true });
  await expectRefused(userName, /Champ obligatoire/);
  await expect(userName).toBeFocused();
  await userName.fill('jean dupont');
  await page.getByRole('button', { name: 'Ajouter l’utilisateur' }).click();
  await expectRefused(userName, /sans espace/);
  await check(page, 'forms-add-user');

  // — Roles: the administrator's protected rights are greyed out with the reason; a new role needs a name.
  await nav(page, 'Rôles').click();
  const protectedRight = page.getByRole('checkbox', { name: /Gérer les utilisateurs.*Administrateur/ });
  await expect(protectedRight).toBeDisabled();
  await expect(protectedRight).toBeChecked();
  await expect(protectedRight).toHaveAccessibleDescription(/ne peuvent pas lui être retirés/);
  await page.screenshot({ path: join(AFTER, 'after-roles.png') });
  await page.getByRole('button', { name: 'Créer le rôle' }).click();
  await expectRefused(page.getByLabel('Nom du rôle'), /Champ obligatoire/);
  await check(page, 'forms-roles');

  // — Groups: empty name.
  await nav(page, 'Groupes').click();
  await page.getByRole('button', { name: 'Créer le groupe' }).click();
  await expectRefused(page.getByLabel('Nom du groupe'), /Champ obligatoire/);
  await expectPeopleWords(page);

  // — Settings: out of range, empty; the password form all at once.
  await nav(page, 'Paramètres').click();
  const minutes = page.getByLabel('Verrouiller après (minutes d’inactivité)');
  await minutes.fill('500');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expectRefused(minutes, /au plus 240/);
  await minutes.fill('');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expectRefused(minutes, /Champ obligatoire/);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  const current = page.getByLabel('Mot de passe actuel');
  await expectRefused(current, /Champ obligatoire/);
  await expectRefused(page.getByLabel('Nouveau mot de passe', { exact: true }), /10 caractères au moins/);
  await expect(current).toBeFocused();
  await check(page, 'forms-settings');

  // — Join a hub: empty, malformed.
  await page.getByRole('button', { name: 'Gérer les postes' }).click();
  const hubUrl = page.getByLabel('Adresse du hub', { exact: true });
  await page.getByRole('button', { name: 'Relier au hub' }).click();
  await expectRefused(hubUrl, /Champ obligatoire/);
  await hubUrl.fill('pas une adresse');
  await page.getByRole('button', { name: 'Relier au hub' }).click();
  await expectRefused(hubUrl, /Adresse du hub invalide/);
  await check(page, 'forms-join-hub');

  // — Unlock: empty password refused next to it; request an account and reset a password, all at once.
  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  const unlockPassword = page.getByLabel('Mot de passe', { exact: true });
  await expect(unlockPassword).toBeFocused({ timeout: 30_000 });
  await page.getByRole('form', { name: 'Déverrouiller l’association' }).getByRole('button', { name: 'Déverrouiller' }).click();
  await expectRefused(unlockPassword, /Champ obligatoire/);
  await check(page, 'forms-unlock-empty');

  await page.getByRole('button', { name: 'Demander un compte' }).click();
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expectRefused(page.getByLabel('Nom d’utilisateur', { exact: true }), /Champ obligatoire/);
  await expectRefused(page.getByLabel('Mot de passe', { exact: true }), /10 caractères au moins/);
  await check(page, 'forms-request-empty');

  await page.goto('/');
  await page.getByRole('button', { name: /Mot de passe oublié/ }).click();
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expectRefused(page.getByRole('textbox', { name: 'Code de secours' }), /Champ obligatoire/);
  await expectRefused(page.getByLabel('Nouveau mot de passe', { exact: true }), /10 caractères au moins/);
  await check(page, 'forms-reset-empty');

  expect(missing, 'adresses en 404').toEqual([]);
});
