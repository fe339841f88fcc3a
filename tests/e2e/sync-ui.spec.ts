/**
 * The sync screens on one PC without a hub (browser host, real core): the status line of the window (« Pas de
 * synchronisation », a link to the devices screen for an administrator), « Postes et synchronisation » before a hub is
 * joined (the address checked next to its field, an unreachable hub said plainly), the conflicts screen's empty state
 * (with and without resolved ones), and « Rejoindre une association » on the start screen (a wrong code refused with
 * the core's French message). Then one PC with a real hub (`cli hub start`): joining it, the status line online,
 * « Synchroniser maintenant », the devices list, an invitation code, and removing a device after the confirmation.
 * Every screen is checked with axe and saved under test-results/screenshots/sync-*.png. (Two PCs syncing through
 * the hub: tests/e2e/sync.spec.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, screenshot, expectNoSeriousA11yViolations, ROOT } from './fixtures';
import { ADMIN, PASSWORD, createAssociation } from './flows';

interface Hub {
  url: string;
  stop(): Promise<void>;
}

/** `cli hub start --port 0 --json` in its own process group, on SQLite in a temporary folder; resolves with its address. */
async function startHub(): Promise<Hub> {
  const data = await mkdtemp(join(tmpdir(), 'solidariciel-e2e-hub-'));
  const child: ChildProcess = spawn('npx', ['tsx', 'main/cli/index.ts', 'hub', 'start', '--port', '0', '--data', data, '--json'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('le hub n’a pas donné son adresse en 60 s')), 60_000);
    function fail(error: Error) {
      clearTimeout(timer);
      kill('SIGKILL');
      reject(new Error(`${error.message}\n${output}`));
    }
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /"url"\s*:\s*"([^"]+)"/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => fail(new Error(`le hub s’est arrêté (code ${code})`)));
  });
  child.removeAllListeners('exit');
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        kill('SIGTERM');
        const timer = setTimeout(() => kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(data, { recursive: true, force: true });
    },
  };
}

async function check(page: Page, name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('button', { name, exact: true });
}

test('synchronisation sans hub : état, postes, conflits, rejoindre une association', async ({ page, associationDir }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await createAssociation(page, associationDir);

  // — The status line: no hub yet, a discreet link to the devices screen for the administrator.
  const bar = page.getByTestId('sync-bar');
  const off = bar.getByRole('button', { name: 'Pas de synchronisation' });
  await expect(off).toBeVisible({ timeout: 30_000 });
  await expect(bar.getByRole('button', { name: 'Synchroniser maintenant' })).toHaveCount(0);
  await check(page, 'sync-status-off');

  // — Devices screen, not configured: the hub form.
  await off.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Postes et synchronisation' })).toBeFocused();
  await expect(nav(page, 'Paramètres')).toHaveAttribute('aria-current', 'page');
  const hubUrl = page.getByLabel('Adresse du hub', { exact: true });
  await expect(hubUrl).toBeVisible();
  await expect(page.getByLabel('Nom de ce poste', { exact: true })).toBeVisible();
  await check(page, 'sync-devices-not-configured');

  // A malformed address is refused next to its field.
  await hubUrl.fill('pas une adresse');
  await page.getByRole('button', { name: 'Relier au hub' }).click();
  await expect(hubUrl).toHaveAttribute('aria-invalid', 'true');
  await expect(hubUrl).toHaveAccessibleDescription(/Adresse du hub invalide/);
  await check(page, 'sync-devices-invalid-url');

  // A hub that does not answer: a plain error, the screen stays usable.
  await hubUrl.fill('http://127.0.0.1:9');
  await page.getByLabel('Nom de ce poste', { exact: true }).fill('Accueil');
  await page.getByRole('button', { name: 'Relier au hub' }).click();
  await expect(page.getByRole('alert')).not.toBeEmpty({ timeout: 30_000 });
  await expect(hubUrl).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Relier au hub' })).toBeVisible();
  await check(page, 'sync-devices-unreachable');

  // — Conflicts: no such item before the association syncs (docs/ui.md « Header »).
  await expect(nav(page, 'Conflits')).toHaveCount(0);

  // — The devices screen is also reached from Paramètres.
  await nav(page, 'Paramètres').click();
  await page.getByRole('button', { name: 'Gérer les postes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Postes et synchronisation' })).toBeFocused();

  // — The start screen: « Rejoindre une association » next to the two modes.
  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await page.getByRole('button', { name: 'Rejoindre une association' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rejoindre une association' })).toBeVisible();
  const folder = page.getByLabel(/Dossier où installer/);
  await expect(folder).toHaveValue('');
  await folder.fill(`${associationDir}-poste2`);
  await page.getByLabel('Adresse du hub', { exact: true }).fill('http://127.0.0.1:9');
  await page.getByLabel('Code d’invitation', { exact: true }).fill('ABCDE-12345');
  await check(page, 'sync-join-form');
  await page.getByRole('button', { name: 'Rejoindre l’association' }).click();
  await expect(page.getByRole('alert')).not.toBeEmpty({ timeout: 30_000 });
  await check(page, 'sync-join-refused');

  // Back to unlocking: the association is still there.
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).first().click();
  await expect(page.getByLabel(/Dossier de l.association/)).toHaveValue(associationDir);

  expect(pageErrors, 'erreurs JavaScript').toEqual([]);
});

test('synchronisation avec un hub : relier le poste, inviter, rejoindre sur un second dossier, retirer un poste', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const hub = await startHub();
  try {
    await createAssociation(page, associationDir);
    await nav(page, 'Paramètres').click();
    await page.getByRole('button', { name: 'Gérer les postes' }).click();
    await page.getByLabel('Adresse du hub', { exact: true }).fill(hub.url);
    await page.getByLabel('Nom de ce poste', { exact: true }).fill('Accueil');
    await page.getByRole('button', { name: 'Relier au hub' }).click();

    // — Configured: this device, the list, the status line online after « Synchroniser maintenant ».
    await expect(page.getByTestId('hub-url')).toHaveText(hub.url, { timeout: 30_000 });
    const devices = page.getByTestId('devices-table');
    await expect(devices.getByRole('row', { name: /Accueil/ })).toContainText('(ce poste)');
    const bar = page.getByTestId('sync-bar');
    const now = bar.getByRole('button', { name: 'Synchroniser maintenant' });
    await now.click();
    await expect(bar.getByTestId('sync-state')).toContainText('En ligne', { timeout: 30_000 });
    await expect(bar.getByTestId('sync-state')).toContainText('Synchronisation terminée');
    await expect(bar).toContainText(/Dernière synchronisation : (à l’instant|il y a)/);
    await check(page, 'sync-devices-configured');

    // — An invitation: the code in 4 groups of 5, 15 minutes, 5 attempts, and what to do on the new device.
    await page.getByLabel('Nom du nouveau poste', { exact: true }).fill('Portable du foyer');
    await page.getByRole('button', { name: 'Inviter un poste' }).click();
    const shown = page.getByTestId('pairing-code');
    await expect(shown).toHaveText(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/, { timeout: 30_000 });
    const code = (await shown.textContent()) ?? '';
    await expect(page.getByTestId('invite-panel')).toContainText(/Valable jusqu’à \d\d:\d\d \(15 minutes\), 5 essais au plus/);
    await expect(page.getByTestId('invite-panel')).toContainText(hub.url);
    await check(page, 'sync-devices-invite-code');
    await page.getByRole('button', { name: 'Terminé' }).click();
    await expect(page.getByLabel('Nom du nouveau poste', { exact: true })).toBeFocused();

    // — « Rejoindre une association » with that code, into a second folder (the new device), then its unlock form.
    await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
    await page.getByRole('button', { name: 'Rejoindre une association' }).click();
    const second = `${associationDir}-portable`;
    await page.getByLabel(/Dossier où installer/).fill(second);
    await page.getByLabel('Adresse du hub', { exact: true }).fill(hub.url);
    await page.getByLabel('Code d’invitation', { exact: true }).fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Rejoindre l’association' }).click();
    await expect(page.getByText('Ce poste a rejoint « Entraide Paris 11 »')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByLabel(/Dossier de l.association/)).toHaveValue(second);
    await expect(page.getByLabel(/Nom d.utilisateur/)).toBeFocused();
    await check(page, 'sync-join-done');
    await page.getByLabel(/Nom d.utilisateur/).fill(ADMIN);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
    await expect(page.getByTestId('association-name')).toHaveText('Entraide Paris 11', { timeout: 30_000 });

    // — On the new device: two devices; removing « Accueil » asks first (Échap cancels), then shows « Retiré ».
    await nav(page, 'Paramètres').click();
    await page.getByRole('button', { name: 'Gérer les postes' }).click();
    await expect(devices.getByRole('row', { name: /Portable du foyer/ })).toContainText('(ce poste)', { timeout: 30_000 });
    const first = devices.getByRole('row', { name: /Accueil/ });
    const remove = first.getByRole('button', { name: /Retirer/ });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: /Retirer le poste « Accueil »/ });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Annuler' })).toBeFocused();
    await check(page, 'sync-devices-revoke-dialog');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(remove).toBeFocused();
    await remove.click();
    await dialog.getByRole('button', { name: 'Retirer le poste' }).click();
    await expect(first).toContainText('Retiré le', { timeout: 30_000 });
    await expect(first.getByRole('button', { name: /Retirer/ })).toHaveCount(0);
    await check(page, 'sync-devices-revoked');

    await nav(page, 'Conflits').click();
    await expect(page.getByTestId('conflicts-empty')).toHaveText('Aucun conflit : toutes les modifications concordent.');
    await check(page, 'sync-conflicts-empty');
    await page.getByLabel('Afficher les conflits résolus').check();
    await expect(page.getByTestId('conflicts-empty')).toHaveText('Aucun conflit, résolu ou non.');
  } finally {
    await hub.stop();
  }
  expect(pageErrors, 'erreurs JavaScript').toEqual([]);
});
