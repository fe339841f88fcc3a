/**
 * Two computers of one association syncing through a real hub (issue 4), through the real UI of two browser hosts
 * (two host processes, each with its own preferences and association folder) and a hub process on SQLite:
 *
 * A creates the association, joins the hub (« Postes ») and invites a device; B « Rejoindre une association » with the
 * code and unlocks; A imports a CSV and « Synchroniser maintenant »; B syncs and its open people list shows them
 * without leaving the screen. The hub stops: A and B change the same person's phone to different values (both
 * « Hors ligne », changes waiting). The hub comes back on the same folder and port: A, B, A sync; A's open page of
 * that person shows the later value by itself, both show it and both « Conflits » screens list the pair (kept and
 * replaced value); « Rétablir » on A, A and B sync, B's open conflicts list empties by itself, both show the restored
 * value.
 * axe runs on the sync screens; every step is saved under test-results/screenshots/sync-*.png.
 */
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Browser, Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, openApp, screenshot, startHostProcess, stopHostProcess, tempAssociationDir, test, type HostProcess } from './fixtures';
import { ADMIN, PASSWORD, createAssociation } from './flows';
import { freePort, startHubProcess, stopHubProcess, type HubProcess } from './syncHelpers';

const IMPORTS = path.resolve(process.cwd(), '../shared/fixtures/imports');
const ASSOCIATION = 'Entraide Paris 11';
/** paheko-membres.csv: 20 rows, 19 people (expected.json); Björn Garnier's phone there is 06 41 50 10 31. */
const IMPORTED = 19;
const PHONE_A = '06 11 11 11 11';
const PHONE_B = '07 22 22 22 22';
const SYNC_TIMEOUT = 60_000;

/** The hub, restartable on its folder and port; stopped at the end of the test whatever happened. */
interface HubControl {
  url(): string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Host B: its own host process (own preferences), its own browser context and association folder. */
interface SecondDevice {
  host: HostProcess;
  page: Page;
  dir: string;
}

/** A page in its own browser context on `host`, past the host's launch URL (fixtures.ts `openApp`). */
async function newPageOn(browser: Browser, host: HostProcess): Promise<Page> {
  const context = await browser.newContext({
    baseURL: host.url,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  await openApp(page, host);
  return page;
}

const syncTest = test.extend<{ hub: HubControl; deviceB: SecondDevice }>({
  hub: async ({}, use, testInfo) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'solidariciel-e2e-hub-'));
    const port = await freePort();
    let current: HubProcess | null = await startHubProcess({ dataDir, port });
    const outputs: string[] = [];
    const control: HubControl = {
      url: () => `http://127.0.0.1:${port}`,
      async stop() {
        if (!current) return;
        await stopHubProcess(current);
        outputs.push(current.output());
        current = null;
      },
      async start() {
        if (!current) current = await startHubProcess({ dataDir, port });
      },
    };
    try {
      await use(control);
    } finally {
      await control.stop();
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('hub-output', { body: outputs.join('\n---\n'), contentType: 'text/plain' });
      await rm(dataDir, { recursive: true, force: true });
    }
  },
  deviceB: async ({ browser }, use, testInfo) => {
    const host = await startHostProcess();
    const { dir, cleanup } = await tempAssociationDir();
    const page = await newPageOn(browser, host);
    try {
      await use({ host, page, dir });
    } finally {
      await page.context().close();
      await stopHostProcess(host);
      await cleanup();
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('host-b-output', { body: host.output(), contentType: 'text/plain' });
    }
  },
});

async function check(page: Page, name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, name);
}

function nav(page: Page, name: string | RegExp) {
  return page.getByRole('navigation').getByRole('button', typeof name === 'string' ? { name, exact: true } : { name });
}

function syncState(page: Page) {
  return page.getByTestId('sync-bar').getByTestId('sync-state');
}

/**
 * Clicks « Synchroniser maintenant » and returns the core's answer to that click's `sync:now` (the envelope
 * `{ ok, value | error }`). A click while a background run goes on is ignored by the bar (the button reads
 * « Synchronisation… » then): no request leaves, so the click is tried again.
 */
async function pressSyncNow(page: Page): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  const button = page.getByTestId('sync-bar').getByRole('button', { name: 'Synchroniser maintenant' });
  for (let attempt = 1; ; attempt++) {
    await expect(button).toBeVisible({ timeout: SYNC_TIMEOUT });
    const request = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/invoke/sync%3Anow'), { timeout: 5_000 });
    await button.click();
    const sent = await request.catch(() => null);
    if (!sent) {
      if (attempt >= 5) throw new Error('« Synchroniser maintenant » n’a envoyé aucune requête sync:now en 5 essais');
      continue;
    }
    const response = await sent.response();
    if (!response) throw new Error('sync:now sans réponse');
    return JSON.parse(await response.text()) as { ok: boolean; error?: { code: string; message: string } };
  }
}

/** « 1 modification en attente », « 12 modifications en attente » (not « Aucune modification en attente »). */
const PENDING = /\d+ modifications? en attente/;

/** The bar once a sync went through: online, no change waiting, not running. */
async function expectSynced(page: Page): Promise<void> {
  const state = syncState(page);
  await expect(state).toContainText('En ligne', { timeout: SYNC_TIMEOUT });
  await expect(state).not.toContainText(PENDING, { timeout: SYNC_TIMEOUT });
  await expect(state).not.toContainText('en cours', { timeout: SYNC_TIMEOUT });
}

/** « Synchroniser maintenant », which must succeed; then the bar: this run's result, online, nothing waiting. */
async function syncNow(page: Page): Promise<void> {
  const answer = await pressSyncNow(page);
  expect(answer.ok, `sync:now : ${JSON.stringify(answer.error)}`).toBe(true);
  await expect(syncState(page)).toContainText('Synchronisation terminée', { timeout: SYNC_TIMEOUT });
  await expectSynced(page);
}

/** « Postes et synchronisation », from Paramètres → « Gérer les postes ». */
async function openDevices(page: Page): Promise<void> {
  await nav(page, 'Paramètres').click();
  await page.getByRole('button', { name: 'Gérer les postes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Postes et synchronisation' })).toBeVisible();
}

/** Unlock form (folder already filled in) → the people screen. */
async function unlock(page: Page): Promise<void> {
  await page.getByLabel(/Nom d.utilisateur/).fill(ADMIN);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Déverrouiller', exact: true }).last().click();
  await expect(page.getByTestId('association-name')).toHaveText(ASSOCIATION, { timeout: 30_000 });
}

/** Search from the people screen, open the only match, wait for the person's page. */
async function openPerson(page: Page, query: string, name: RegExp): Promise<void> {
  await nav(page, 'Personnes').click();
  const search = page.getByRole('combobox', { name: 'Rechercher une personne' });
  await search.fill(query);
  await expect(page.getByRole('listbox', { name: 'Résultats de la recherche' }).getByRole('option')).toHaveCount(1);
  await search.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** The phone as the person's page shows it (the « Téléphone » line of « Informations »). */
function phoneOnPage(page: Page) {
  return page.locator('.details > div').filter({ has: page.locator('dt', { hasText: /^Téléphone$/ }) }).locator('dd');
}

/** « Modifier » → the phone field → « Enregistrer » → back on the person's page with the new value. */
async function editPhone(page: Page, phone: string): Promise<void> {
  await page.getByRole('main').getByRole('button', { name: 'Modifier', exact: true }).click();
  const field = page.getByLabel('Téléphone', { exact: true });
  await expect(field).toBeVisible();
  await field.fill(phone);
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await expect(phoneOnPage(page)).toHaveText(phone);
}

/** The person's page opened afresh through the search, and its phone. */
async function expectPhone(page: Page, phone: string): Promise<void> {
  await openPerson(page, 'bjorn', /Björn/i);
  await expect(phoneOnPage(page)).toHaveText(phone);
}

syncTest('deux postes synchronisés par un hub : import, hub arrêté, conflit, rétablir', async ({ page, associationDir, hub, deviceB }) => {
  syncTest.setTimeout(420_000);
  const pageB = deviceB.page;
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`A : ${e.message}`));
  pageB.on('pageerror', (e) => pageErrors.push(`B : ${e.message}`));

  // — 1. A: the association, then « Postes et synchronisation » → « Relier au hub ».
  await createAssociation(page, associationDir, ASSOCIATION);
  // The sync line says there is no hub yet and leads an administrator to « Postes et synchronisation ».
  await page.getByTestId('sync-bar').getByRole('button', { name: 'Pas de synchronisation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Postes et synchronisation' })).toBeVisible();
  await page.getByLabel('Adresse du hub').fill(hub.url());
  await page.getByLabel('Nom de ce poste').fill('Accueil');
  await check(page, 'sync-a-join-hub');
  await page.getByRole('button', { name: 'Relier au hub' }).click();
  await expect(page.getByTestId('hub-url')).toHaveText(hub.url(), { timeout: 30_000 });
  await expectSynced(page);

  // — A invites B: a pairing code, shown once.
  await page.getByLabel('Nom du nouveau poste').fill('Portable du foyer');
  await page.getByRole('button', { name: 'Inviter un poste' }).click();
  const codeText = page.getByTestId('pairing-code');
  await expect(codeText).toBeVisible({ timeout: 30_000 });
  const code = ((await codeText.textContent()) ?? '').trim();
  expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  await check(page, 'sync-a-invite-code');
  await page.getByRole('button', { name: 'Terminé' }).click();

  // — B: « Rejoindre une association » on the start screen, then the usual unlock.
  await pageB.goto('/');
  await expect(pageB.getByRole('heading', { level: 1, name: 'Ouvrir une association' })).toBeVisible();
  await pageB.getByRole('button', { name: 'Rejoindre une association' }).click();
  await expect(pageB.getByRole('heading', { level: 1, name: 'Rejoindre une association' })).toBeVisible();
  await pageB.getByLabel(/Dossier où installer/).fill(deviceB.dir);
  await pageB.getByLabel('Adresse du hub').fill(hub.url());
  await pageB.getByLabel(/Code d.invitation/).fill(code);
  await check(pageB, 'sync-b-join');
  await pageB.getByRole('button', { name: /Rejoindre l.association/ }).click();
  await expect(pageB.getByText(`Ce poste a rejoint « ${ASSOCIATION} »`)).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expect(pageB.getByLabel(/Dossier de l.association/)).toHaveValue(deviceB.dir);
  await check(pageB, 'sync-b-joined');
  await unlock(pageB);
  await expect(syncState(pageB)).toBeVisible();

  // — A's « Postes »: B is listed once it joined (an invited device is not, until then).
  await openDevices(page);
  await expect(page.getByTestId('devices-table')).toContainText('Portable du foyer', { timeout: 30_000 });
  await check(page, 'sync-a-devices');

  // — 2. A imports a CSV and syncs; B syncs and finds the people.
  await nav(page, 'Importer').click();
  await page.getByLabel('Fichier à importer').setInputFiles(path.join(IMPORTS, 'paheko-membres.csv'));
  await expect(page.getByRole('heading', { name: /Associer les colonnes/ })).toBeVisible();
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.getByTestId('dry-run-report')).toBeVisible();
  await page.getByRole('main').getByRole('button', { name: 'Importer', exact: true }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(report.getByTestId('count-imported').locator('dd')).toHaveText(String(IMPORTED));
  await syncNow(page);
  await screenshot(page, 'sync-a-imported-synced');

  // B has been on its (empty) people screen since it unlocked: the sync that brings the people reloads it.
  await expect(pageB.getByRole('heading', { level: 1, name: 'Personnes' })).toBeVisible();
  await syncNow(pageB);
  await expect(pageB.locator('.result-count')).toHaveText(`${IMPORTED} personnes`, { timeout: 30_000 });
  await screenshot(pageB, 'sync-b-people-received');
  await expectPhone(pageB, '06 41 50 10 31');

  // — 3. The hub stops; A, then B, change the same phone. Both offline, with their change waiting.
  await hub.stop();
  await openPerson(page, 'bjorn', /Björn/i);
  await editPhone(page, PHONE_A);
  await editPhone(pageB, PHONE_B);
  for (const [p, name] of [
    [page, 'sync-a-offline-pending'],
    [pageB, 'sync-b-offline-pending'],
  ] as const) {
    const answer = await pressSyncNow(p);
    expect(answer.error?.code).toBe('HUB_UNREACHABLE');
    await expect(syncState(p)).toContainText('Hors ligne', { timeout: SYNC_TIMEOUT });
    await expect(syncState(p)).toContainText(PENDING, { timeout: SYNC_TIMEOUT });
    await expect(p.getByTestId('sync-bar').getByRole('button', { name: 'Synchroniser maintenant' })).toBeVisible({ timeout: SYNC_TIMEOUT });
    await screenshot(p, name);
  }

  // — 4. The hub comes back (same folder, same port). A, B, A sync: the later change (B's) wins on both.
  await hub.start();
  await syncNow(page);
  await syncNow(pageB);
  await syncNow(page);
  // A is still on Björn's page: it shows the value it just received.
  await expect(phoneOnPage(page)).toHaveText(PHONE_B);
  await expectPhone(page, PHONE_B);
  await expectPhone(pageB, PHONE_B);

  // Both « Conflits » screens list the pair: kept B's value, replaced A's.
  for (const [p, name] of [
    [page, 'sync-a-conflicts'],
    [pageB, 'sync-b-conflicts'],
  ] as const) {
    await expect(p.getByTestId('nav-conflicts-count')).toHaveText(/1$/, { timeout: 30_000 });
    await nav(p, /^Conflits/).click();
    await expect(p.getByRole('heading', { level: 1, name: 'Conflits' })).toBeVisible();
    const row = p.getByTestId('conflicts-table').getByRole('row', { name: /Björn/i });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').nth(0)).toHaveText('Téléphone');
    await expect(row.getByRole('cell').nth(1)).toContainText(PHONE_B);
    await expect(row.getByRole('cell').nth(2)).toContainText(PHONE_A);
    await check(p, name);
  }

  // « Rétablir » on A: A's value is current again, and reaches B at the next syncs.
  await page.getByTestId('conflicts-table').getByRole('row', { name: /Björn/i }).getByRole('button', { name: /^Rétablir/ }).click();
  await expect(page.getByTestId('conflicts-empty')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Afficher les conflits résolus').check();
  await expect(page.getByTestId('conflicts-table').getByRole('row', { name: /Björn/i })).toContainText('Résolu le');
  await screenshot(page, 'sync-a-restored');
  await syncNow(page);
  await syncNow(pageB);
  // B is still on its conflicts screen: the restore settled the pair there too.
  await expect(pageB.getByTestId('conflicts-empty')).toBeVisible();
  await expectPhone(page, PHONE_A);
  await expectPhone(pageB, PHONE_A);
  await screenshot(page, 'sync-a-final');
  await screenshot(pageB, 'sync-b-final');

  expect(pageErrors, 'erreurs JavaScript').toEqual([]);
});
