/**
 * Two users on one PC, each sees only what they may (issue 3), through the real UI and the real core:
 * the administrator creates the association (recovery code shown once), a group and two people; a newcomer requests
 * an account on the unlock screen; the administrator approves them as a volunteer of the group, puts one person in
 * the group and writes an « only me » note and a note for the group; « Changer d'utilisateur » → the volunteer sees
 * the person of their group and the group note only, no administration, and does not find the other person; back
 * to the administrator: the audit trail shows the unlocks and verifies intact; the recovery code resets a password.
 * axe runs on every new screen and each is saved under test-results/screenshots/.
 */
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { ADMIN, PASSWORD, createPerson, storeRecoveryCode, submitNewAssociation } from './flows';

const VOLUNTEER = 'lea.b';
const VOLUNTEER_PASSWORD = 'Benevole-Nord-2026';
const GROUP = 'Antenne Nord';
const PRIVATE_NOTE = 'Note privée : situation à vérifier avec la CAF';
const GROUP_NOTE = "Note pour l'antenne : colis le mardi";

async function check(page: Page, name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('button', { name, exact: true });
}

/** « Changer d'utilisateur », then unlock as `user`: the association is prefilled, the user-name field empty and focused. */
async function switchTo(page: Page, dir: string, user: string, password: string): Promise<void> {
  await page.getByRole('button', { name: /Changer d.utilisateur/ }).click();
  const userName = page.getByLabel(/Nom d.utilisateur/);
  await expect(userName).toBeFocused();
  await expect(userName).toHaveValue('');
  await expect(page.getByLabel(/Dossier de l.association/)).toHaveValue(dir);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await userName.fill(user);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toBeVisible({ timeout: 30_000 });
}

async function openPerson(page: Page, query: string, name: RegExp): Promise<void> {
  await nav(page, 'Personnes').click();
  const search = page.getByRole('combobox', { name: 'Rechercher une personne' });
  await search.fill(query);
  await expect(page.getByRole('listbox', { name: 'Résultats de la recherche' }).getByRole('option')).toHaveCount(1);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('deux utilisateurs sur un poste : chacun ne voit que ce qu’il peut voir', async ({ page, associationDir }) => {
  test.setTimeout(300_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  // — Creation: the recovery code is shown once, with its printable sheet.
  const code = await submitNewAssociation(page, associationDir);
  expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  await expect(page.getByTestId('recovery-panel')).toContainText('rangez-la dans le coffre du bureau');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Imprimer la feuille (PDF)' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.pdf$/);
  await check(page, 'access-recovery-code');
  await storeRecoveryCode(page);
  await expect(page.getByTestId('current-role')).toContainText('Administrateur');

  // — A group and two people.
  await nav(page, 'Groupes').click();
  await page.getByLabel('Nom du groupe').fill(GROUP);
  await page.getByRole('button', { name: 'Créer le groupe' }).click();
  await expect(page.getByTestId('groups-table')).toContainText(GROUP);
  await check(page, 'access-groups');
  await nav(page, 'Personnes').click();
  await createPerson(page, 'Amina', 'Keita');
  await nav(page, 'Personnes').click();
  await createPerson(page, 'Bruno', 'Martin');

  // — A newcomer requests an account on the unlock screen.
  await page.getByRole('button', { name: /Changer d.utilisateur/ }).click();
  await expect(page.getByText('Amina')).toHaveCount(0);
  await page.getByRole('button', { name: 'Demander un compte' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Demander un compte' })).toBeVisible();
  await expect(page.getByLabel(/Dossier de l.association/)).toHaveValue(associationDir);
  await page.getByLabel(/^Nom d.utilisateur$/).fill(VOLUNTEER);
  await page.getByLabel('Nom affiché').fill('Léa B.');
  await page.getByLabel('Mot de passe', { exact: true }).fill(VOLUNTEER_PASSWORD);
  await page.getByLabel('Confirmer le mot de passe').fill(VOLUNTEER_PASSWORD);
  await check(page, 'access-request-account');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByText(/Demande envoyée : un administrateur doit l.approuver/)).toBeVisible({ timeout: 30_000 });
  // Not approved yet: the core refuses to unlock, with its own message.
  await page.getByRole('button', { name: 'Retour au déverrouillage' }).click();
  await page.getByLabel(/Nom d.utilisateur/).fill(VOLUNTEER);
  await page.getByLabel('Mot de passe', { exact: true }).fill(VOLUNTEER_PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByRole('alert')).not.toBeEmpty({ timeout: 30_000 });
  await check(page, 'access-pending-approval');

  // — The administrator approves them as a volunteer of the group.
  await page.getByLabel(/Nom d.utilisateur/).fill(ADMIN);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toBeVisible({ timeout: 30_000 });
  await nav(page, 'Utilisateurs').click();
  const requests = page.getByRole('region', { name: /demande de compte en attente/ });
  await expect(requests).toContainText('Léa B.');
  await requests.getByLabel('Rôle de Léa B.').selectOption('volunteer');
  await requests.getByRole('group', { name: 'Groupes de Léa B.' }).getByLabel(GROUP).check();
  await check(page, 'access-users-request');
  await requests.getByRole('button', { name: /Approuver/ }).click();
  const lea = page.getByTestId('users-table').getByRole('row', { name: /Léa B\./ });
  await expect(lea).toContainText('Bénévole', { timeout: 30_000 });
  await expect(lea).toContainText(GROUP);
  await expect(lea).toContainText('Actif');
  await lea.getByRole('button', { name: /Modifier/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Modifier — Léa B\./ })).toBeFocused();
  await check(page, 'access-users');
  await page.getByRole('button', { name: 'Fermer' }).click();

  // — Roles: the matrix. The association lets its coordinators read the audit trail (a default role edited and saved).
  // Volunteers keep their defaults: they read their own notes and those addressed to them or their groups.
  await nav(page, 'Rôles').click();
  await expect(page.getByTestId('roles-matrix')).toContainText('Bénévole');
  const auditForCoordinators = page.getByRole('checkbox', { name: /^Consulter le journal des opérations — Coordination$/ });
  await expect(auditForCoordinators).not.toBeChecked();
  await auditForCoordinators.check();
  await expect(page.getByTestId('roles-matrix')).toContainText('Non enregistré');
  await check(page, 'access-roles');
  await page.getByRole('button', { name: 'Enregistrer Coordination' }).click();
  await expect(page.getByText('Rôle « Coordination » enregistré.').first()).toBeAttached();
  await expect(page.getByTestId('roles-matrix')).not.toContainText('Non enregistré');
  await expect(auditForCoordinators).toBeChecked();

  // — A default right taken from a built-in role (or missing since an earlier version) is offered back, not forced.
  const defaults = page.getByRole('region', { name: 'Droits par défaut absents' });
  await expect(defaults).toHaveCount(0);
  const agendaForReception = page.getByRole('checkbox', { name: /^Voir l’agenda — Accueil$/ });
  await agendaForReception.uncheck();
  await page.getByRole('button', { name: 'Enregistrer Accueil' }).click();
  await expect(defaults).toContainText('Accueil : voir l’agenda');
  await check(page, 'access-role-defaults');
  await defaults.getByRole('button', { name: 'Ajouter ces droits' }).click();
  await expect(defaults).toHaveCount(0);
  await expect(agendaForReception).toBeChecked();

  // — Amina goes in the group; two notes: « only me » and for the group; her consent.
  await openPerson(page, 'Amina', /Amina Keita/);
  await page.getByRole('group', { name: 'Groupes de la personne' }).getByLabel(GROUP).check();
  await page.getByRole('button', { name: 'Enregistrer les groupes' }).click();
  await expect(page.getByText('Groupes de la personne enregistrés.')).toBeVisible();
  const noteForm = page.getByRole('form', { name: 'Nouvelle note' });
  await page.getByRole('button', { name: 'Ajouter une note' }).click();
  await noteForm.getByLabel('Texte de la note').fill(PRIVATE_NOTE);
  await noteForm.getByLabel('Moi seul·e').check();
  await noteForm.getByRole('button', { name: 'Ajouter la note' }).click();
  const notes = page.getByTestId('notes-list');
  await expect(notes).toContainText(PRIVATE_NOTE, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Ajouter une note' }).click();
  await noteForm.getByLabel('Texte de la note').fill(GROUP_NOTE);
  await noteForm.getByLabel('Des groupes').check();
  await noteForm.getByRole('group', { name: 'Quels groupes ?' }).getByLabel(GROUP).check();
  await noteForm.getByRole('button', { name: 'Ajouter la note' }).click();
  await expect(notes).toContainText(GROUP_NOTE, { timeout: 30_000 });
  await expect(notes.getByTestId('note').filter({ hasText: GROUP_NOTE })).toContainText(GROUP);
  await expect(notes.getByTestId('note').filter({ hasText: PRIVATE_NOTE })).toContainText('Moi seul·e');
  await page.getByRole('button', { name: 'Recueillir un consentement' }).click();
  await page.getByLabel('Finalité').fill('Suivi social');
  await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
  await expect(page.getByTestId('consents-table')).toContainText('Suivi social');
  await check(page, 'access-person-admin');

  // — Quick switch to the volunteer: nothing of the administrator's session remains.
  await switchTo(page, associationDir, VOLUNTEER, VOLUNTEER_PASSWORD);
  await expect(page.getByTestId('current-role')).toContainText('Bénévole');
  for (const hidden of ['Utilisateurs', 'Rôles', 'Groupes', 'Journal', 'Importer']) await expect(nav(page, hidden)).toHaveCount(0);
  await expect(page.getByText(PRIVATE_NOTE)).toHaveCount(0);
  await openPerson(page, 'Amina', /Amina Keita/);
  await expect(page.getByTestId('notes-list')).toContainText(GROUP_NOTE);
  await expect(page.getByText(PRIVATE_NOTE)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Pièces (coffre-fort)' })).toHaveCount(0);
  await check(page, 'access-person-volunteer');
  await nav(page, 'Personnes').click();
  await page.getByRole('combobox', { name: 'Rechercher une personne' }).fill('Bruno');
  await expect(page.getByText(/Aucune personne ne correspond à « Bruno »/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Nouvelle personne' })).toHaveCount(0);
  await check(page, 'access-search-volunteer');

  // — Back to the administrator: the audit trail shows the unlocks and verifies intact.
  await switchTo(page, associationDir, ADMIN, PASSWORD);
  await expect(page.getByText(GROUP_NOTE)).toHaveCount(0);
  await nav(page, 'Journal').click();
  const audit = page.getByTestId('audit-table');
  await expect(audit).toContainText('Déverrouillage');
  await expect(audit).toContainText(VOLUNTEER);
  await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Déverrouillage' });
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(audit.getByRole('row').filter({ hasNotText: 'Déverrouillage' })).toHaveCount(1); // the header row only
  await expect(audit.getByRole('row').filter({ hasText: VOLUNTEER })).toHaveCount(1);
  await page.getByRole('button', { name: 'Vérifier l’intégrité' }).click();
  await expect(page.getByRole('main').getByText(/Journal intègre \(\d+ entrées\)/)).toBeVisible();
  await check(page, 'access-audit');

  // — Forgotten password: the recovery code gives the administrator a new one.
  await page.getByRole('button', { name: 'Verrouiller' }).click();
  await page.getByRole('button', { name: /Mot de passe oublié/ }).click();
  await expect(page.getByLabel(/Dossier de l.association/)).toHaveValue(associationDir);
  await page.getByLabel(/^Nom d.utilisateur$/).fill(ADMIN);
  await page.getByRole('textbox', { name: 'Code de secours' }).fill(code);
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('Nouveau-secret-2026');
  await page.getByLabel('Confirmer le nouveau mot de passe').fill('Nouveau-secret-2026');
  await check(page, 'access-reset-password');
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await page.getByRole('button', { name: 'Aller au déverrouillage' }).click({ timeout: 30_000 });
  await page.getByLabel(/Nom d.utilisateur/).fill(ADMIN);
  await page.getByLabel('Mot de passe', { exact: true }).fill('Nouveau-secret-2026');
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('current-role')).toContainText('Administrateur', { timeout: 30_000 });

  // — The new screens in English too.
  await nav(page, 'Paramètres').click();
  await page.getByLabel('Langue', { exact: true }).selectOption('en');
  await nav(page, 'Roles').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Rights by role' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Read the audit trail — Coordination' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Read case notes — Bénévole' })).not.toBeChecked();
  await check(page, 'access-roles-en');
  await nav(page, 'Audit trail').click();
  await page.getByRole('button', { name: 'Verify integrity' }).click();
  await expect(page.getByRole('main').getByText(/Audit trail intact \(\d+ entries\)/)).toBeVisible();
  await check(page, 'access-audit-en');
  await nav(page, 'Settings').click();
  await page.getByLabel('Language', { exact: true }).selectOption('fr');

  expect(pageErrors, 'erreurs JavaScript').toEqual([]);
});
