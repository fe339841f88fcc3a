/**
 * « Sauvegardes » (docs/backup.md) in the browser host with the real core: reached from Paramètres, the status line
 * before any backup (warning), the destination of this PC, « Sauvegarder maintenant », the history with « Vérifier »,
 * and « Restaurer dans un nouveau dossier » (a folder that is not empty refused with the core's French message).
 * Keyboard only for the main path; axe on each state; screenshots under test-results/screenshots/backup-*.png.
 * The host is started with `--export-dir`: the browser host writes backup folders only directly inside it
 * (docs/backup.md "Browser host"), and a folder elsewhere is refused with its French message.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshot, expectNoSeriousA11yViolations, openHostWithExportDir } from './fixtures';
import { createAssociation, createPerson } from './flows';

/** A message on the page (the announcer's live region repeats it for screen readers). */
const notice = (page: Page, text: string | RegExp) => page.locator('.alert', { hasText: text });
const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

test('sauvegardes : dossier du poste, sauvegarder maintenant, vérifier, restaurer dans un nouveau dossier', async ({ browser, associationDir }) => {
  test.setTimeout(240_000); // three Argon2id unlocks of the calibrated cost, two backups, a restore, axe thrice
  const work = await mkdtemp(join(tmpdir(), 'solidariciel-e2e-backup-'));
  const opened = await openHostWithExportDir(browser, work);
  const page = opened.page;
  try {
    await createAssociation(page, associationDir);
    await createPerson(page, 'Zoubida', 'Marchetti');
    // The header warns the administrator: no backup yet on this PC.
    await expect(page.getByTestId('backup-line')).toHaveText('Aucune sauvegarde sur ce poste');
    await nav(page, 'Paramètres').click();
    await page.getByRole('button', { name: 'Ouvrir les sauvegardes' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sauvegardes' })).toBeVisible();
    await expect(nav(page, 'Paramètres')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('backup-status')).toContainText('Aucune sauvegarde réussie');
    await expect(page.getByTestId('backup-status')).toContainText('Plus de 7 jours');
    await expect(page.getByRole('button', { name: 'Sauvegarder maintenant' })).toBeDisabled();
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'backup-empty');

    // A folder outside the host's --export-dir is refused, nothing saved.
    await page.getByLabel('Dossier (clé USB, disque externe, partage réseau)').fill(join(tmpdir(), 'ailleurs-solidariciel'));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert')).toContainText('directement dans le dossier d’export');
    await expect(page.getByRole('button', { name: 'Sauvegarder maintenant' })).toBeDisabled();

    // Keyboard: type the folder, Enter saves it; then « Sauvegarder maintenant ».
    const destination = join(work, 'Clé USB');
    await page.getByLabel('Dossier (clé USB, disque externe, partage réseau)').fill(destination);
    await page.keyboard.press('Enter');
    await expect(notice(page, 'Dossier de sauvegarde enregistré pour ce poste.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sauvegarder maintenant' })).toBeEnabled();
    await page.getByRole('button', { name: 'Sauvegarder maintenant' }).focus();
    await page.keyboard.press('Enter');
    await expect(notice(page, /Sauvegarde faite/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('backup-status')).toContainText('Dernière sauvegarde réussie');
    await nav(page, 'Personnes').click();
    await expect(page.getByTestId('backup-line')).toHaveCount(0);
    await nav(page, 'Paramètres').click();
    await page.getByRole('button', { name: 'Ouvrir les sauvegardes' }).click();
    const rows = page.getByTestId('backup-history').locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Pas encore');
    await rows.first().getByRole('button', { name: /^Vérifier la sauvegarde du/ }).click();
    await expect(notice(page, /Sauvegarde vérifiée/)).toBeVisible({ timeout: 30_000 });
    await expect(rows.first()).toContainText('Oui');
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'backup-done');

    // Restore: a folder that is not empty is refused; a new one gets the association, verified.
    const busy = join(work, 'occupé');
    await rm(busy, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(busy));
    await writeFile(join(busy, 'lettre.txt'), 'à garder');
    await page.getByLabel('Nouveau dossier', { exact: true }).fill(busy);
    await page.getByRole('button', { name: 'Restaurer dans un nouveau dossier' }).click();
    await expect(page.getByRole('alert')).toContainText('n’est pas vide', { timeout: 30_000 });
    await page.getByLabel('Nouveau dossier', { exact: true }).fill(join(work, 'Restaurée.solidariciel'));
    await page.getByRole('button', { name: 'Restaurer dans un nouveau dossier' }).click();
    await expect(notice(page, /Association restaurée et vérifiée/)).toBeVisible({ timeout: 30_000 });
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'backup-restored');
  } finally {
    await opened.close();
    await rm(work, { recursive: true, force: true });
  }
});
