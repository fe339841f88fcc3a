/**
 * Text recognised in papers, at the desk (docs/ocr.md): a generated 300-dpi page added as a paper is recognised in
 * the background after it is stored (« Reconnaissance… » then « Texte reconnu » in the person's papers); the people
 * search then finds a word of the page under « Dans les pièces » (« trouvé dans : … » with a snippet), opens the
 * paper, and « Exporter en PDF interrogeable » downloads a copy whose text pdftotext reads. axe: no serious or
 * critical violation. Screenshots in test-results/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderPage } from '../helpers/ocrPages';
import { expect, expectNoSeriousA11yViolations, screenshot, test } from './fixtures';
import { createAssociation, createPerson } from './flows';

test('OCR : texte reconnu en arrière-plan, trouvé par la recherche, exporté en PDF interrogeable', async ({ page, associationDir }) => {
  test.setTimeout(240_000);
  const work = mkdtempSync(path.join(tmpdir(), 'ocr-e2e-'));
  try {
    const scan = path.join(work, 'avis.png');
    writeFileSync(scan, renderPage(['AVIS D\'IMPÔT 2025', 'Madame Hélène Lefèvre', 'Quittance de loyer acquittée', 'Revenu fiscal de référence : 18 452 €'], { height: 1400 }));
    await createAssociation(page, associationDir);
    await createPerson(page, 'Hélène', 'Lefèvre');
    const papers = page.getByTestId('papers-table');
    await page.getByRole('button', { name: 'Ajouter une pièce' }).click();
    await page.getByLabel('Type de pièce').selectOption('avis_imposition');
    await page.locator('#paper-files').setInputFiles(scan);
    await page.getByRole('button', { name: 'Ajouter au coffre-fort' }).click();
    const row = papers.getByRole('row', { name: /Avis d.imposition/i });
    await expect(row).toContainText('1 page', { timeout: 60_000 });
    // Recognised in the background, the desk still usable meanwhile.
    await expect(row.getByText('Texte reconnu')).toBeVisible({ timeout: 120_000 });
    await screenshot(page, 'ocr-person-papers');

    await page.getByRole('navigation').getByRole('button', { name: 'Personnes', exact: true }).click();
    await page.getByLabel('Rechercher une personne').fill('quittance');
    const section = page.getByRole('region', { name: /Dans les pièces/ });
    await expect(section.getByRole('heading', { name: 'Dans les pièces : 1 résultat' })).toBeVisible({ timeout: 30_000 });
    const hit = section.getByRole('button', { name: /Hélène Lefèvre — trouvé dans : avis d.imposition \(page 1\)/i });
    await expect(hit).toContainText('Quittance de loyer');
    await screenshot(page, 'ocr-search');
    await expectNoSeriousA11yViolations(page);

    await hit.click();
    await expect(page.getByRole('heading', { level: 1, name: /DUPONT|LEFÈVRE|Lefèvre/i })).toBeVisible({ timeout: 30_000 });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exporter en PDF interrogeable' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\(interrogeable\)\.pdf$/);
    const saved = path.join(work, 'interrogeable.pdf');
    await file.saveAs(saved);
    expect(execFileSync('pdftotext', [saved, '-'], { encoding: 'utf8' })).toContain('Quittance');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
