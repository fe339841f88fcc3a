/**
 * The scan session at the desk, through the real UI, the real core and a real eSCL exchange (docs/scanning.md
 * « La séance de numérisation »): the test scanner (tests/helpers/esclServer.ts, on 127.0.0.1, reached by the browser
 * host's core) holds three feeder pages, the second one carrying a word found nowhere else. At the desk: « Numériser »,
 * « Ajouter une adresse » with the test scanner's address, source « Chargeur », « Numériser »: three thumbnails;
 * the third is moved before the second, the first turned and viewed large; « Ajouter au coffre-fort » → one paper
 * of three pages; its deposit receipt printed and verified valid; « Pièces à renouveler » lists it. Then, with the
 * scanner's page 2 moved first, once the text is recognised in the background (« Texte reconnu », docs/ocr.md), the
 * people search finds the page-2 word inside the paper, on its page 1 (« Dans les pièces »). The camera has its own file (scan-camera.spec.ts: a test-only Chromium launch). axe on every screen;
 * screenshots in test-results/screenshots/scan/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startEsclServer, type EsclServer } from '../helpers/esclServer';
import { ROOT, expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation, createPerson, scanFromFeeder } from './flows';

/** The word of page 2 (French, unusual enough to be found only there). */
const PAGE_2_WORD = 'Coquelicot';
const PAGES = [
  { text: ['ATTESTATION DE DOMICILIATION', 'Page 1 sur 3', 'Association Entraide Paris 11', 'Madame Awa Diallo est domiciliée au 12 rue des Lilas'] },
  { text: ['ATTESTATION DE DOMICILIATION', 'Page 2 sur 3', `Résidence ${PAGE_2_WORD}, bâtiment B`, 'Courrier à retirer chaque semaine'] },
  { text: ['ATTESTATION DE DOMICILIATION', 'Page 3 sur 3', 'Fait à Paris le 2 décembre 2026', 'Signature du responsable'] },
];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'scan', `${name}.png`), fullPage: true });
}

/** dd/mm/yyyy `days` from today (local calendar). */
function inDays(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
}

/** The `src` of every thumbnail, in the order shown. */
const thumbnails = (page: Page) => page.getByTestId('scan-page').locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));

test.describe('séance de numérisation', () => {
  let scanner: EsclServer;
  test.beforeEach(async () => {
    scanner = await startEsclServer({ pages: PAGES, feeder: true, platen: true, duplex: true });
  });
  test.afterEach(async () => {
    await scanner.close();
  });

  test('trois pages du chargeur, une déplacée, ajoutées en une pièce ; attestation vérifiée ; pièces à renouveler', async ({ page, associationDir }) => {
    test.setTimeout(300_000);
    await createAssociation(page, associationDir);
    await createPerson(page, 'Awa', 'Diallo');

    await scanFromFeeder(page, scanner, 3);
    const panel = page.getByTestId('scan-panel');
    // The scanner received what was chosen (eSCL ScanSettings).
    expect(scanner.settings.at(-1)).toMatchObject({ source: 'Feeder', mode: 'Grayscale8', xResolution: 300 });
    await shot(page, '01-three-pages-scanned');
    await expectNoSeriousA11yViolations(page);

    // Move the third page before the second (button), then check the order of the thumbnails.
    const before = await thumbnails(page);
    expect(new Set(before).size).toBe(3);
    await panel.getByRole('button', { name: 'Déplacer la page 3 vers la gauche' }).click();
    expect(await thumbnails(page)).toEqual([before[0], before[2], before[1]]);
    // The same with the keyboard, from the thumbnail: Maj+→ moves it back, the focus follows the page.
    const second = panel.getByRole('button', { name: /Page 2 sur 3/ });
    await second.focus();
    await page.keyboard.press('Shift+ArrowRight');
    expect(await thumbnails(page)).toEqual(before);
    await expect(panel.getByRole('button', { name: /Page 3 sur 3/ })).toBeFocused();
    await panel.getByRole('button', { name: 'Déplacer la page 3 vers la gauche' }).click();
    expect(await thumbnails(page)).toEqual([before[0], before[2], before[1]]);

    // Turn the first page a quarter and view it large.
    await panel.getByRole('button', { name: 'Tourner la page 1 d’un quart de tour' }).click();
    await expect(panel.getByTestId('scan-page').first().locator('img')).toHaveAttribute('style', /rotate\(90deg\)/);
    await panel.getByRole('button', { name: /Page 1 sur 3/ }).click();
    const preview = page.getByRole('dialog', { name: 'Page 1' });
    await expect(preview.getByRole('img', { name: 'Page 1 numérisée' })).toBeVisible();
    await shot(page, '02-page-viewed-large');
    await expectNoSeriousA11yViolations(page);
    await preview.getByRole('button', { name: 'Fermer' }).click();
    await expect(panel.getByRole('button', { name: /Page 1 sur 3/ })).toBeFocused();
    // Turned back: the stored page is upright.
    for (let i = 0; i < 3; i++) await panel.getByRole('button', { name: 'Tourner la page 1 d’un quart de tour' }).click();

    // Without a type, nothing is sent and the type is pointed at.
    await panel.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
    await expect(panel.getByLabel('Type de pièce')).toBeFocused();
    await expect(panel.getByText('Choisissez le type de pièce.')).toBeVisible();
    await panel.getByLabel('Type de pièce').selectOption('attestation_domiciliation');
    await expect(panel.getByText('Choisissez le type de pièce.')).toHaveCount(0);
    await panel.getByLabel('Expire le').fill(inDays(25));
    await shot(page, '03-paper-described');
    await panel.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
    await expect(page.getByTestId('scan-panel')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Numériser', exact: true })).toBeFocused();
    const rows = page.getByTestId('papers-table').locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Attestation de domiciliation');
    await expect(rows.first()).toContainText('3 pages');
    await shot(page, '04-paper-added');
    await expectNoSeriousA11yViolations(page);

    // The deposit receipt of the paper just added, then verified on « Pièces à renouveler », which lists the paper.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Imprimer l’attestation de cette pièce' }).click()]);
    const receipt = join(associationDir, '..', 'attestation-numerisee.pdf');
    await download.saveAs(receipt);
    expect((await readFile(receipt)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.getByRole('navigation').getByRole('button', { name: 'Pièces à renouveler', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pièces à renouveler' })).toBeVisible();
    const renew = page.getByTestId('renew-table').locator('tbody tr');
    await expect(renew).toHaveCount(1);
    await expect(renew.first()).toContainText('Awa Diallo');
    await expect(renew.first()).toContainText('Attestation de domiciliation');
    await page.getByTestId('verify-receipt-file').setInputFiles(receipt);
    await expect(page.getByTestId('verify-result')).toContainText('Attestation valable');
    await shot(page, '05-papers-to-renew-receipt-verified');
    await expectNoSeriousA11yViolations(page);
  });

  test('le scanner qui dit « chargeur vide », puis « Arrêter » et « Numériser encore » ; fermer sans enregistrer demande confirmation', async ({ page, associationDir }) => {
    test.setTimeout(180_000);
    await createAssociation(page, associationDir);
    await createPerson(page, 'Awa', 'Diallo');
    scanner.script.empty();
    await page.getByRole('button', { name: 'Numériser', exact: true }).click();
    const panel = page.getByTestId('scan-panel');
    await panel.getByRole('button', { name: 'Ajouter une adresse' }).click();
    // A wrong address: a French sentence, nothing added.
    await panel.getByLabel('Adresse du scanner (eSCL)').fill('http://127.0.0.1:9/eSCL');
    await panel.getByRole('button', { name: 'Ajouter ce scanner' }).click();
    await expect(panel.getByRole('alert')).toBeVisible({ timeout: 30_000 });
    await panel.getByLabel('Adresse du scanner (eSCL)').fill(scanner.url);
    await panel.getByRole('button', { name: 'Ajouter ce scanner' }).click();
    await expect(panel.getByLabel('Scanner', { exact: true })).toHaveValue(`escl:${scanner.url}`);
    await panel.getByLabel('Source').selectOption('feeder');
    await panel.getByRole('button', { name: 'Numériser', exact: true }).click();
    await expect(panel.getByRole('alert')).toContainText('Le chargeur est vide', { timeout: 30_000 });
    await shot(page, '06-feeder-empty');
    await expectNoSeriousA11yViolations(page);

    // Loaded again: three pages.
    scanner.script.load(PAGES);
    await panel.getByRole('button', { name: 'Numériser', exact: true }).click();
    await expect(panel.getByTestId('scan-page')).toHaveCount(3, { timeout: 60_000 });
    // Dragged: the third page dropped onto the first takes its place.
    const before = await thumbnails(page);
    await panel.getByTestId('scan-page').nth(2).dragTo(panel.getByTestId('scan-page').nth(0));
    await expect.poll(() => thumbnails(page)).toEqual([before[2], before[0], before[1]]);

    // « Numériser encore » on a slow scanner, « Arrêter » after its first page: the pages received stay.
    const slow = await startEsclServer({ pages: PAGES, feeder: true, pageDelayMs: 2_500, makeAndModel: 'Scanner lent' });
    try {
      await panel.getByRole('button', { name: 'Ajouter une adresse' }).click();
      await panel.getByLabel('Adresse du scanner (eSCL)').fill(slow.url);
      await panel.getByRole('button', { name: 'Ajouter ce scanner' }).click();
      await expect(panel.getByLabel('Scanner', { exact: true })).toHaveValue(`escl:${slow.url}`);
      await panel.getByLabel('Source').selectOption('feeder');
      await panel.getByRole('button', { name: 'Numériser encore' }).click();
      await expect(panel.getByTestId('scan-page')).toHaveCount(4, { timeout: 60_000 });
      await panel.getByRole('button', { name: 'Arrêter' }).click();
      await expect(panel.getByTestId('scan-job')).toContainText('Numérisation arrêtée', { timeout: 30_000 });
      await expect.poll(() => slow.deleted.length, { timeout: 15_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(3_000);
      const kept = await panel.getByTestId('scan-page').count();
      expect(kept).toBeGreaterThanOrEqual(4);
      expect(kept).toBeLessThan(6);
      await shot(page, '07-stopped');
    } finally {
      await slow.close();
    }
    const count = await panel.getByTestId('scan-page').count();
    await panel.getByRole('button', { name: `Supprimer la page ${count}` }).click();
    await expect(panel.getByTestId('scan-page')).toHaveCount(count - 1);
    await expect(panel.getByRole('button', { name: new RegExp(`Page ${count - 1} sur ${count - 1}`) })).toBeFocused();

    // Closing with pages asks first; « Annuler » keeps them.
    await panel.getByRole('button', { name: 'Fermer la numérisation' }).click();
    const confirm = page.getByRole('dialog', { name: 'Fermer la numérisation ?' });
    await expect(confirm).toContainText(`Les ${count - 1} pages numérisées`);
    await confirm.getByRole('button', { name: 'Annuler' }).click();
    await expect(panel.getByTestId('scan-page')).toHaveCount(count - 1);
    await panel.getByRole('button', { name: 'Fermer la numérisation' }).click();
    await page.getByRole('dialog', { name: 'Fermer la numérisation ?' }).getByRole('button', { name: 'Fermer sans enregistrer' }).click();
    await expect(page.getByTestId('scan-panel')).toHaveCount(0);
    await expect(page.getByTestId('papers-table')).toHaveCount(0);
  });

  test('le mot de la page 2, passée en tête, est trouvé dans la pièce par la recherche une fois le texte reconnu', async ({ page, associationDir }) => {
    test.setTimeout(420_000);
    await createAssociation(page, associationDir);
    await createPerson(page, 'Awa', 'Diallo');
    await scanFromFeeder(page, scanner, 3);
    const panel = page.getByTestId('scan-panel');
    // The scanner's page 2 becomes the paper's page 1: the search says where the word was found.
    await panel.getByRole('button', { name: 'Déplacer la page 2 vers la gauche' }).click();
    await panel.getByLabel('Type de pièce').selectOption('attestation_domiciliation');
    await panel.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
    const rows = page.getByTestId('papers-table').locator('tbody tr');
    await expect(rows).toHaveCount(1, { timeout: 60_000 });
    // OCR runs in the background (docs/ocr.md): the paper says so once its text is recognised.
    await expect(rows.first()).toContainText('Texte reconnu', { timeout: 300_000 });
    await page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true }).click();
    await page.getByRole('combobox', { name: /Rechercher/ }).fill(PAGE_2_WORD.toLowerCase());
    const hit = page.getByRole('region', { name: /Dans les pièces/ }).getByRole('button', { name: /Awa Diallo/ });
    await expect(hit).toContainText(/trouvé dans : .*\(page 1\)/, { timeout: 30_000 });
    await expect(hit).toContainText(PAGE_2_WORD, { ignoreCase: true });
    await shot(page, '09-found-inside-paper');
    await expectNoSeriousA11yViolations(page);
  });
});
