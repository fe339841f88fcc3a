/** The cheque deposit slip PDF (main/services/ledger/depositSlip.ts) read back with pdftotext (poppler-utils). */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { depositSlipPdf, euros } from '../../../main/services/ledger/depositSlip';
import { tempDir } from '../../helpers/core';

describe('bordereau de remise de chèques', () => {
  it('lists every cheque with the count and the total; pdftotext reads it back', async () => {
    const cheques = Array.from({ length: 45 }, (_, i) => ({ chequeNumber: String(1000001 + i), chequeBank: i % 2 ? 'Crédit Agricole' : 'La Banque Postale', drawer: `Tireur n°${i + 1} Éloïse`, amountCents: 1000 + i }));
    const pdf = await depositSlipPdf({ associationName: 'Entraide Paris 11', accountLabel: 'FR76 3000 4000 0100 0123 4567 890', number: '2026-003', date: '2026-11-12', cheques });
    const dir = tempDir('solidariciel-slip-');
    try {
      const file = join(dir, 'slip.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const pages = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(pages).toMatch(/Pages:\s+2/);
      expect(text).toContain('Bordereau de remise de chèques');
      expect(text).toContain('Entraide Paris 11');
      expect(text).toContain('Remise n° 2026-003 du 12/11/2026');
      for (const c of cheques) expect(text).toContain(c.chequeNumber);
      expect(text).toContain('Tireur n°45 Éloïse');
      expect(text).toContain('Nombre de chèques : 45');
      const total = cheques.reduce((s, c) => s + c.amountCents, 0);
      expect(text).toContain(`Total : ${euros(total)}`);
      expect(euros(total)).toBe('459,90 €');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats euros with a comma and spaced thousands', () => {
    expect(euros(123456789)).toBe('1 234 567,89 €');
    expect(euros(-5)).toBe('-0,05 €');
  });
});
