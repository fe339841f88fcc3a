/**
 * The camera in the scan session (docs/scanning.md « La caméra »): Chromium's fake camera (a moving test pattern) and
 * no permission prompt, for this file only (`--use-fake-device-for-media-stream --use-fake-ui-for-media-stream`).
 * « Photographier une pièce », « Prendre la photo », margins cut, a quarter turn (the preview's size checked each
 * time), « Ajouter à la séance » → a page as tall as the turned preview; « Ajouter au coffre-fort » → a paper of one
 * page. Screenshot in test-results/screenshots/scan/.
 */
import { join } from 'node:path';
import { CHROMIUM_ARGS } from './playwright.config';
import { ROOT, expect, expectNoSeriousA11yViolations, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] } });

test('une photo recadrée et tournée devient une page, puis une pièce', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);
  await createPerson(page, 'Awa', 'Diallo');
  await page.getByRole('button', { name: 'Numériser', exact: true }).click();
  const panel = page.getByTestId('scan-panel');
  await panel.getByRole('button', { name: 'Photographier une pièce' }).click();
  const take = panel.getByRole('button', { name: 'Prendre la photo' });
  await expect(take).not.toHaveAttribute('aria-disabled', 'true', { timeout: 30_000 });
  await take.click();
  const preview = panel.getByTestId('camera-preview');
  await expect(preview).toBeVisible();
  const size = () => preview.evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
  const [w0, h0] = await size();
  await panel.getByLabel('Gauche').fill('10');
  await panel.getByLabel('Droite').fill('10');
  await expect.poll(size).toEqual([Math.round(w0! * 0.9) - Math.round(w0! * 0.1), h0]);
  await panel.getByRole('button', { name: 'Tourner d’un quart de tour' }).click();
  await expect.poll(size).toEqual([h0, Math.round(w0! * 0.9) - Math.round(w0! * 0.1)]);
  await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'scan', '08-camera-cropped.png'), fullPage: true });
  await expectNoSeriousA11yViolations(page);
  await panel.getByRole('button', { name: 'Ajouter à la séance' }).click();
  await expect(panel.getByTestId('scan-page')).toHaveCount(1, { timeout: 30_000 });
  // The page kept the turned shape: taller than wide, as the preview showed.
  const img = panel.getByTestId('scan-page').first().locator('img');
  await expect.poll(() => img.evaluate((i) => (i as HTMLImageElement).naturalHeight > (i as HTMLImageElement).naturalWidth)).toBe(true);
  await panel.getByRole('button', { name: 'Fermer la caméra' }).click();
  await panel.getByLabel('Type de pièce').selectOption('carte_identite');
  await panel.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  const rows = page.getByTestId('papers-table').locator('tbody tr');
  await expect(rows).toHaveCount(1, { timeout: 60_000 });
  await expect(rows.first()).toContainText('1 page');
});
