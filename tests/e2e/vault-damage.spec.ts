/**
 * Papers added by drag and drop; a damaged vault file: the viewer names the document and its id, the page keeps
 * working, and the other paper of the same person stays readable.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

const SCANS = path.resolve(process.cwd(), '../shared/fixtures/scans');

function vaultBlobs(dir: string): string[] {
  const root = path.join(dir, 'vault');
  return readdirSync(root, { recursive: true })
    .map((f) => path.join(root, String(f)))
    .filter((f) => statSync(f).isFile());
}

test('coffre-fort : dépôt par glisser-déposer, pièce endommagée signalée, les autres restent lisibles', async ({ page, associationDir }) => {
  test.setTimeout(180_000);
  await createAssociation(page, associationDir);
  await createPerson(page, 'Ibrahima', 'Diallo');
  const papers = page.getByTestId('papers-table');

  // First paper by the file input: the CAF certificate (PDF).
  await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
  await page.getByLabel('Type de pièce').selectOption('attestation_caf');
  await page.locator('#paper-files').setInputFiles(path.join(SCANS, 'attestation-caf-2pages.pdf'));
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(papers.getByRole('row', { name: /Attestation CAF/i })).toContainText('2 pages', { timeout: 60_000 });
  const [cafBlob] = vaultBlobs(associationDir);
  expect(cafBlob).toBeTruthy();

  // Second paper dropped onto the page: two JPEG pages become one document.
  const pages = ['attestation-domicile-p1.jpg', 'attestation-domicile-p2.jpg'].map((f) => readFileSync(path.join(SCANS, f)).toString('base64'));
  const dataTransfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    files.forEach((b64, i) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], `page-${i + 1}.jpg`, { type: 'image/jpeg' }));
    });
    return dt;
  }, pages);
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await page.getByLabel('Type de pièce').selectOption('attestation_domiciliation');
  await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
  await expect(papers.getByRole('row', { name: /Attestation de domiciliation/ })).toContainText('2 pages', { timeout: 60_000 });

  // Damage the CAF certificate's file on disk (one byte in the middle of the ciphertext).
  const bytes = readFileSync(cafBlob!);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  writeFileSync(cafBlob!, bytes);

  await page.getByRole('button', { name: /Ouvrir Attestation CAF/i }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('illisible', { timeout: 30_000 });
  await expect(alert).toContainText(/id [0-9a-f-]{36}/);
  await expectNoSeriousA11yViolations(page);
  await screenshot(page, 'viewer-damaged');
  await page.getByRole('button', { name: 'Retour' }).click();

  // The other paper still opens and renders its two pages.
  await page.getByRole('button', { name: /Ouvrir Attestation de domiciliation/ }).click();
  await expect(page.getByTestId('viewer-pages').locator('canvas')).toHaveCount(2, { timeout: 30_000 });
});
