/**
 * « Sauvegardes » folder pickers (docs/backup.md "Browser host", renderer/features/session/FolderField.tsx): where the
 * host has native dialogs (Electron's `window.bridge`), « Parcourir… » next to the destination, the backup to restore
 * and the new folder asks `os:chooseFolder` and fills the field; the browser host shows no such button (typed path).
 * Electron's dialog is stood in for by a bridge installed in the page that answers `os:chooseFolder` itself and
 * forwards every other channel to the browser host (started with `--export-dir`, where the chosen folders lie).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshot, openHostWithExportDir } from './fixtures';
import { createAssociation } from './flows';

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

async function openBackups(page: Page): Promise<void> {
  await nav(page, 'Paramètres').click();
  await page.getByRole('button', { name: 'Ouvrir les sauvegardes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sauvegardes' })).toBeVisible();
}

/** A stand-in for Electron's bridge: `os:chooseFolder` answers the next of `paths` (and is recorded). */
async function installDialogBridge(page: Page, paths: string[]): Promise<void> {
  await page.evaluate((chosen) => {
    const asked: unknown[] = [];
    (window as unknown as { asked: unknown[] }).asked = asked;
    (window as unknown as { bridge: unknown }).bridge = {
      async invoke(channel: string, payload: unknown) {
        if (channel === 'os:chooseFolder') {
          asked.push(payload);
          return { ok: true, value: { path: chosen.shift() ?? null } };
        }
        const token = window.sessionStorage.getItem('solidariciel-host-token') ?? '';
        const res = await fetch(`/api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-solidariciel-token': token },
          body: JSON.stringify(payload),
        });
        return res.json();
      },
      on: () => () => undefined,
    };
  }, paths);
}

test('sauvegardes : « Parcourir… » choisit les dossiers là où il y a des boîtes de dialogue, pas dans le navigateur', async ({ browser, associationDir }) => {
  test.setTimeout(180_000);
  const work = await mkdtemp(join(tmpdir(), 'solidariciel-e2e-backup-picker-'));
  const opened = await openHostWithExportDir(browser, work);
  const page = opened.page;
  try {
    await createAssociation(page, associationDir);
    await openBackups(page);
    // Browser host: typed paths only.
    await expect(page.getByRole('button', { name: 'Parcourir…' })).toHaveCount(0);

    await nav(page, 'Personnes').click();
    const destination = join(work, 'Clé USB');
    const into = join(work, 'Restaurée.solidariciel');
    await installDialogBridge(page, [destination, into]);
    await openBackups(page);
    const browse = page.getByRole('button', { name: 'Parcourir…' });
    await expect(browse).toHaveCount(3);

    const destinationForm = page.locator('form', { has: page.getByRole('heading', { name: 'Dossier de sauvegarde de ce poste' }) });
    await destinationForm.getByRole('button', { name: 'Parcourir…' }).click();
    await expect(page.getByLabel('Dossier (clé USB, disque externe, partage réseau)')).toHaveValue(destination);
    await page.getByRole('button', { name: 'Enregistrer le dossier' }).click();
    await expect(page.locator('.alert', { hasText: 'Dossier de sauvegarde enregistré pour ce poste.' })).toBeVisible();
    await page.getByRole('button', { name: 'Sauvegarder maintenant' }).click();
    await expect(page.locator('.alert', { hasText: /Sauvegarde faite/ })).toBeVisible({ timeout: 30_000 });

    const restoreForm = page.locator('form', { has: page.getByLabel('Nouveau dossier', { exact: true }) });
    await restoreForm.getByRole('button', { name: 'Parcourir…' }).last().click();
    await expect(page.getByLabel('Nouveau dossier', { exact: true })).toHaveValue(into);
    expect(await page.evaluate(() => (window as unknown as { asked: unknown[] }).asked)).toEqual([
      { title: 'Dossier (clé USB, disque externe, partage réseau)', create: true },
      { title: 'Nouveau dossier', create: true },
    ]);
    await screenshot(page, 'backup-picker');
  } finally {
    await opened.close();
    await rm(work, { recursive: true, force: true });
  }
});
