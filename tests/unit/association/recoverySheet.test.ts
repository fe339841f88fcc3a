/**
 * The recovery sheet prints what the screen says (main/services/association/recovery.ts): its arrow (›), guillemets
 * and typographic apostrophes are drawn, not replaced by « ? ».
 */
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { drawableWith, recoverySheetPdf } from '../../../main/services/association/recovery';

async function textOf(pdf: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: pdf, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const page = await doc.getPage(1);
  const content = await page.getTextContent();
  const text = content.items.map((i) => ('str' in i ? i.str : '')).join('\n');
  await doc.destroy();
  return text;
}

describe('recovery sheet', () => {
  it('keeps what the standard font can draw and replaces only the rest', async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const drawable = drawableWith(font);
    expect(drawable('Utilisateurs › Nouveau « code » l’ancien — fin…')).toBe('Utilisateurs › Nouveau « code » l’ancien — fin…');
    expect(drawable('→ 漢')).toBe('? ?');
  });

  it('prints its arrow, guillemets and apostrophes', async () => {
    const text = await textOf(await recoverySheetPdf('Entraide « Paris 11 »', 'ABCDE-FGHJK-MNPQR-STVWX-YZ012', new Date('2026-12-06T10:00:00Z')));
    expect(text).toContain('Utilisateurs › Nouveau code de secours');
    expect(text).toContain('« Mot de passe oublié ? »');
    expect(text).toContain('n’importe quel utilisateur');
    expect(text).toContain('Entraide « Paris 11 »');
    expect(text).not.toMatch(/Utilisateurs \? Nouveau/);
  });
});
