/**
 * The viewer (docs/ui.md "The viewer"): titled with the paper type and the person, exported under
 * `DUPONT_Marie_<type>_<day>.pdf`; zoom by buttons, + and − keys and Ctrl + wheel; fit width and fit page; rotation by
 * quarter turns; page thumbnails with the current page marked, by click and arrow keys; « page 2 sur 2 »; the file
 * replaced by a new scan; the paper removed after a confirmation.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

const SCANS = path.resolve(process.cwd(), '../shared/fixtures/scans');

async function box(locator: Locator): Promise<{ width: number; height: number }> {
  const b = await locator.boundingBox();
  expect(b).not.toBeNull();
  return { width: Math.round(b!.width), height: Math.round(b!.height) };
}

/** The zoom percentage shown in the toolbar. */
async function percent(page: Page): Promise<number> {
  return Number((await page.getByTestId('zoom-level').innerText()).replace(/\D/g, ''));
}

test('visionneuse : zoom, rotation, miniatures, remplacement et retrait d’une pièce', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);
  await createPerson(page, 'Marie', 'Dupont');
  const papers = page.getByTestId('papers-table');
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.getByLabel('Type de pièce').selectOption('attestation_caf');
  await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'attestation-caf-2pages.pdf'));
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(papers.getByRole('row', { name: /Attestation CAF/i })).toContainText('2 pages', { timeout: 60_000 });

  await page.getByRole('button', { name: /Ouvrir Attestation CAF/i }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Attestation CAF — DUPONT Marie' })).toBeVisible();
  const pages = page.getByTestId('viewer-pages').locator('canvas');
  await expect(pages).toHaveCount(2, { timeout: 30_000 });
  await expect(page.getByTestId('viewer-pages')).toHaveAttribute('aria-busy', 'false');
  const position = page.getByTestId('page-position');
  await expect(position).toHaveText('page 1 sur 2');
  await screenshot(page, 'viewer-after');
  await expectNoSeriousA11yViolations(page);

  // Exported copy named by the person and the type.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter', exact: true }).click();
  expect((await download).suggestedFilename()).toMatch(/^DUPONT_Marie_attestation-caf_\d{4}-\d{2}-\d{2}\.pdf$/);

  // Thumbnails: every page, the current one marked; a click and the arrow keys go to a page.
  const thumbs = page.getByRole('navigation', { name: 'Miniatures des pages' }).getByRole('button');
  await expect(thumbs).toHaveCount(2);
  await expect(thumbs.nth(0)).toHaveAttribute('aria-current', 'page');
  await thumbs.nth(1).click();
  await expect(position).toHaveText('page 2 sur 2');
  await expect(thumbs.nth(1)).toHaveAttribute('aria-current', 'page');
  await expect(thumbs.nth(0)).not.toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('ArrowUp');
  await expect(position).toHaveText('page 1 sur 2');
  await expect(thumbs.nth(0)).toBeFocused();
  await page.keyboard.press('End');
  await expect(position).toHaveText('page 2 sur 2');
  await page.keyboard.press('Home');
  await expect(position).toHaveText('page 1 sur 2');

  // Zoom: fit width (the default), whole page, then + and − keys and Ctrl + wheel.
  const first = pages.first();
  await expect(page.getByRole('button', { name: 'Pleine largeur' })).toHaveAttribute('aria-pressed', 'true');
  const wide = await box(first);
  await page.getByRole('button', { name: 'Page entière' }).click();
  await expect(page.getByRole('button', { name: 'Page entière' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await box(first)).width).toBeLessThan(wide.width);
  const view = await box(page.getByTestId('viewer-pages'));
  expect((await box(first)).height).toBeLessThanOrEqual(view.height);
  const fitted = await percent(page);
  const fittedWidth = (await box(first)).width;
  await page.keyboard.press('+');
  await expect.poll(() => percent(page)).toBeGreaterThan(fitted);
  const zoomed = await percent(page);
  await expect.poll(async () => (await box(first)).width).toBeGreaterThan(fittedWidth);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  await expect.poll(() => percent(page)).toBeLessThan(fitted);
  const small = await percent(page);
  await page.getByTestId('viewer-pages').hover();
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -120);
  await page.keyboard.up('Control');
  await expect.poll(() => percent(page)).toBeGreaterThan(small);
  await page.getByRole('button', { name: 'Zoom avant' }).click();
  await expect.poll(() => percent(page)).toBeGreaterThan(zoomed - 1);
  await page.getByRole('button', { name: 'Pleine largeur' }).click();
  await expect.poll(async () => (await box(first)).width).toBe(wide.width);

  // Rotation: a quarter turn makes the portrait page landscape, and back.
  const upright = await box(first);
  expect(upright.height).toBeGreaterThan(upright.width);
  await page.getByRole('button', { name: 'Pivoter d’un quart de tour à droite' }).click();
  await expect.poll(async () => {
    const b = await box(first);
    return b.width > b.height;
  }).toBe(true);
  await screenshot(page, 'viewer-rotated');
  await page.getByRole('button', { name: 'Pivoter d’un quart de tour à gauche' }).click();
  await expect.poll(async () => {
    const b = await box(first);
    return b.height > b.width;
  }).toBe(true);

  // Replace: a new one-page scan becomes the paper; type and person kept.
  await page.getByRole('button', { name: 'Remplacer le fichier' }).click();
  const replaceDialog = page.getByRole('dialog', { name: /Remplacer le fichier/ });
  await expect(replaceDialog).toBeVisible();
  await replaceDialog.getByRole('button', { name: 'Remplacer', exact: true }).click();
  await expect(replaceDialog.getByRole('alert')).toContainText('Choisissez le nouveau fichier');
  await replaceDialog.getByLabel('Choisir le nouveau fichier').setInputFiles(path.join(SCANS, 'carte-identite-specimen.png'));
  await expect(replaceDialog).toContainText('carte-identite-specimen.png');
  await screenshot(page, 'viewer-replace-dialog');
  await replaceDialog.getByRole('button', { name: 'Remplacer', exact: true }).click();
  await expect(replaceDialog).toBeHidden({ timeout: 60_000 });
  await expect(pages).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('live-status')).toContainText('Fichier remplacé (1 page)');
  await expect(page.getByRole('heading', { level: 1, name: 'Attestation CAF — DUPONT Marie' })).toBeVisible();
  await expect(position).toHaveText('page 1 sur 1');

  // Remove: a confirmation first (cancel keeps it), then the paper is gone from the person's page.
  await page.getByRole('button', { name: 'Retirer la pièce' }).click();
  const removeDialog = page.getByRole('dialog', { name: /Retirer la pièce/ });
  await expect(removeDialog).toContainText('son fichier détruit');
  await expect(removeDialog.getByRole('button', { name: 'Annuler' })).toBeFocused();
  await screenshot(page, 'viewer-remove-dialog');
  await removeDialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(removeDialog).toBeHidden();
  await expect(pages).toHaveCount(1);
  await page.getByRole('button', { name: 'Retirer la pièce' }).click();
  await page.getByRole('dialog', { name: /Retirer la pièce/ }).getByRole('button', { name: 'Retirer définitivement' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Marie Dupont/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('papers-table')).toHaveCount(0);
  await expect(page.getByTestId('live-status')).toContainText('Pièce retirée : Attestation CAF — DUPONT Marie.');
});

test('visionneuse : une pièce endommagée peut être remplacée par un nouveau scan', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);
  await createPerson(page, 'Awa', 'Diallo');
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.getByLabel('Type de pièce').selectOption('carte_identite');
  await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'carte-identite-specimen.png'));
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(page.getByTestId('papers-table').getByRole('row', { name: /Carte d’identité/ })).toContainText('1 page', { timeout: 60_000 });

  // One byte of the encrypted file changed on disk: the paper cannot be read any more.
  const root = path.join(associationDir, 'vault');
  const [blob] = readdirSync(root, { recursive: true })
    .map((f) => path.join(root, String(f)))
    .filter((f) => statSync(f).isFile() && !f.includes('.partial'));
  const bytes = readFileSync(blob!);
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  writeFileSync(blob!, bytes);

  await page.getByRole('button', { name: /Ouvrir Carte d’identité/ }).click();
  await expect(page.getByRole('alert')).toContainText('illisible', { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Carte d’identité' })).toBeVisible();
  await expect(page.getByTestId('viewer-pages')).toBeHidden();
  await page.getByRole('button', { name: 'Remplacer le fichier' }).click();
  const dialog = page.getByRole('dialog', { name: /Remplacer le fichier/ });
  await dialog.getByLabel('Choisir le nouveau fichier').setInputFiles(path.join(SCANS, 'attestation-caf-2pages.pdf'));
  await dialog.getByRole('button', { name: 'Remplacer', exact: true }).click();
  await expect(page.getByTestId('viewer-pages').locator('canvas')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Carte d’identité — DIALLO Awa' })).toBeVisible();
  await expect(page.getByTestId('page-position')).toHaveText('page 1 sur 2');
});
