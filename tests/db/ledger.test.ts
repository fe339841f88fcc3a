/**
 * The cash book and the bank through the contract (docs/treasury.md « Journal et banque »): entries typed by the
 * treasurer and written for dues and gifts (756, 7541), running balances, a cheque deposit (5112 → 512) and its slip,
 * a statement imported twice (stored once), suggestions, confirm and undo, the FEC and CSV exports and the yearly
 * summary, permissions, the audit trail, and nothing in clear in the folder.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePaymentEntry } from '../../main/services/ledger/ledgerStore';
import { FEC_COLUMNS } from '../../main/services/ledger/fec';
import { newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser, expectForbidden, switchTo } from '../helpers/access';
import { leaks } from '../helpers/files';

const csv = (text: string) => new TextEncoder().encode(text);

describe('cash book, bank and exports', () => {
  let t: TestCore;
  let duesCheque: string;
  let giftCheque: string;
  let deposit: { id: string; number: string; count: number; totalCents: number };

  async function payment(kind: 'dues' | 'gift', method: 'cash' | 'cheque' | 'transfer', amountCents: number, date: string, label: string, chequeNumber = '') {
    const ctx = t.core.session()!.ctx;
    return ctx.db.transaction((trx) => writePaymentEntry(ctx, trx, { kind, sourceId: uuidv7(), method, amountCents, date, label, chequeNumber, chequeBank: chequeNumber ? 'Crédit Mutuel' : '', drawer: chequeNumber ? 'Mme Héloïse Carpentier' : '' }));
  }

  beforeAll(async () => {
    t = await newTestCore();
    await addUser(t, 'tresoriere', 'treasurer');
    await addUser(t, 'sociale', 'social_worker');
    await switchTo(t, 'tresoriere');
  }, 60_000);
  afterAll(async () => t.cleanup());

  it('writes dues and gifts on 756 and 7541 in the journal of their method, once per source', async () => {
    await payment('dues', 'cash', 2000, '2026-01-10', 'Cotisation 2026 — Ginette Lemarchand');
    duesCheque = await payment('dues', 'cheque', 4500, '2026-01-12', 'Cotisation 2026 — Héloïse Carpentier', '1234567');
    giftCheque = await payment('gift', 'cheque', 15000, '2026-01-13', 'Don — Héloïse Carpentier', '1234568');
    await payment('gift', 'transfer', 30000, '2026-01-20', 'Don — Fondation Abeille');
    const ctx = t.core.session()!.ctx;
    const again = await ctx.db.transaction(async (trx) => {
      const sourceId = uuidv7();
      const p = { kind: 'dues' as const, sourceId, method: 'cash' as const, amountCents: 100, date: '2026-01-10', label: 'x' };
      return [await writePaymentEntry(ctx, trx, p), await writePaymentEntry(ctx, trx, p)];
    });
    expect(again[0]).toBe(again[1]);
    const cheques = await t.call('ledger:journal', { journal: 'cheques' });
    expect(cheques.items.map((e) => [e.account, e.amountCents, e.chequeNumber])).toEqual([
      ['756', 4500, '1234567'],
      ['7541', 15000, '1234568'],
    ]);
    expect(cheques.balanceCents).toBe(19500);
    const cash = await t.call('ledger:journal', { journal: 'cash' });
    expect(cash.items.map((e) => [e.account, e.accountLabel, e.balanceCents])).toEqual([
      ['756', 'Cotisations', 2000],
      ['756', 'Cotisations', 2100],
    ]);
  });

  it('the treasurer types receipts and expenses with an account; running balance per journal; bad input refused in French', async () => {
    await t.call('ledger:addEntry', { journal: 'bank', date: '2026-01-05', direction: 'receipt', amountCents: 100000, account: '74', label: 'Subvention mairie' });
    await t.call('ledger:addEntry', { journal: 'bank', date: '2026-01-25', direction: 'expense', amountCents: 2390, account: '6064', label: 'Papeterie Durand', pieceRef: 'F-2026-17' });
    await t.call('ledger:addEntry', { journal: 'cash', date: '2026-01-15', direction: 'expense', amountCents: 650, account: '625', label: 'Café réunion' });
    const bank = await t.call('ledger:journal', { journal: 'bank' });
    expect(bank.items.map((e) => [e.date, e.direction, e.amountCents, e.balanceCents])).toEqual([
      ['2026-01-05', 'receipt', 100000, 100000],
      ['2026-01-20', 'receipt', 30000, 130000],
      ['2026-01-25', 'expense', 2390, 127610],
    ]);
    expect((await t.call('ledger:journal', { journal: 'cash' })).balanceCents).toBe(2000 + 100 - 650);
    await expect(t.call('ledger:addEntry', { journal: 'cash', date: '2026-01-15', direction: 'expense', amountCents: 650, account: '530', label: 'x' })).rejects.toThrow(/compte 530 est celui du journal/);
    await expect(t.call('ledger:addEntry', { journal: 'cash', date: '2026-01-15', direction: 'expense', amountCents: 650, account: '9999', label: 'x' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('ledger:addEntry', { journal: 'cash', date: '2026-02-30', direction: 'expense', amountCents: 650, account: '625', label: 'x' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('reverses a manual entry once (contre-passation), never a dues or gift entry', async () => {
    const { id } = await t.call('ledger:addEntry', { journal: 'cash', date: '2026-01-16', direction: 'expense', amountCents: 990, account: '6064', label: 'Erreur de saisie' });
    await expect(t.call('ledger:reverseEntry', { id, date: '2026-01-15' })).rejects.toThrow(/ne peut pas précéder/);
    const r = await t.call('ledger:reverseEntry', { id, date: '2026-01-16' });
    await expect(t.call('ledger:reverseEntry', { id, date: '2026-01-17' })).rejects.toThrow(/déjà contre-passée/);
    await expect(t.call('ledger:reverseEntry', { id: r.id, date: '2026-01-17' })).rejects.toThrow(/Seule une écriture saisie à la main/);
    await expect(t.call('ledger:reverseEntry', { id: duesCheque, date: '2026-01-17' })).rejects.toThrow(/Seule une écriture saisie à la main/);
    const cash = await t.call('ledger:journal', { journal: 'cash' });
    expect(cash.items.filter((e) => e.label.endsWith('Erreur de saisie')).map((e) => [e.direction, e.amountCents, e.reversed])).toEqual([
      ['expense', 990, true],
      ['receipt', 990, false],
    ]);
    expect(cash.balanceCents).toBe(2000 + 100 - 650);
  });

  it('deposits the waiting cheques (5112 → 512) and prints the slip', async () => {
    const pending = (await t.call('ledger:pendingCheques', {})).items;
    expect(pending.map((e) => e.id)).toEqual([duesCheque, giftCheque]);
    deposit = await t.call('ledger:deposit', { date: '2026-01-28', entryIds: [duesCheque, giftCheque] });
    expect(deposit).toMatchObject({ number: 'REM-20260128-001', count: 2, totalCents: 19500 });
    expect((await t.call('ledger:pendingCheques', {})).items).toEqual([]);
    expect((await t.call('ledger:journal', { journal: 'cheques' })).balanceCents).toBe(0);
    expect((await t.call('ledger:journal', { journal: 'bank' })).balanceCents).toBe(127610 + 19500);
    await expect(t.call('ledger:deposit', { date: '2026-01-29', entryIds: [duesCheque] })).rejects.toThrow(/ne sont pas en attente de remise/);
    const slip = await t.call('ledger:depositSlip', { id: deposit.id });
    const dir = tempDir('solidariciel-slip-');
    try {
      writeFileSync(join(dir, slip.fileName), slip.pdf);
      const text = execFileSync('pdftotext', ['-layout', join(dir, slip.fileName), '-'], { encoding: 'utf8' });
      expect(text).toContain('Entraide Paris 11');
      expect(text).toContain('Remise n° REM-20260128-001 du 28/01/2026');
      expect(text).toMatch(/1234567\s+Crédit Mutuel\s+Mme Héloïse Carpentier\s+45,00 €/);
      expect(text).toContain('Total : 195,00 €');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports a statement once, reconciles the unambiguous lines, suggests, confirms and undoes', async () => {
    const statement = csv(
      [
        'Compte courant n° 00012345678;;;',
        'Date;Libellé;Débit;Crédit',
        '05/01/2026;VIR MAIRIE SUBVENTION;;1 000,00',
        '20/01/2026;VIR FONDATION ABEILLE;;300,00',
        '27/01/2026;CB PAPETERIE DURAND;23,90;',
        '30/01/2026;REMISE CHEQUES REM-20260128-001;;195,00',
        '31/01/2026;FRAIS BANCAIRES;4,50;',
        '32/01/2026;LIGNE CASSÉE;;1,00',
      ].join('\r\n'),
    );
    const first = await t.call('ledger:importStatement', { fileName: 'releve-janvier.csv', data: statement });
    expect(first).toMatchObject({ lines: 5, duplicates: 0, matched: 2 });
    expect(first.errors).toEqual([{ line: 8, message: 'Ligne 8 : date illisible « 32/01/2026 » (jj/mm/aaaa attendu). Ligne ignorée.' }]);
    const again = await t.call('ledger:importStatement', { fileName: 'releve-janvier.csv', data: statement });
    expect(again).toMatchObject({ lines: 0, duplicates: 5, matched: 0 });
    const { items, suggestions } = await t.call('ledger:bankLines', {});
    expect(items).toHaveLength(5);
    const byLabel = (l: string) => items.find((i) => i.label.startsWith(l))!;
    expect(byLabel('VIR MAIRIE').entryId).not.toBeNull();
    expect(byLabel('FRAIS').entryId).toBeNull();
    expect(suggestions.find((s) => s.lineId === byLabel('FRAIS').id)).toBeUndefined();
    const papeterie = suggestions.filter((s) => s.lineId === byLabel('CB PAPETERIE').id);
    expect(papeterie).toHaveLength(1);
    expect(papeterie[0]!.reasons).toEqual(['même montant', '2 jours d’écart', 'libellé : papeterie, durand']);
    const remise = suggestions.find((s) => s.lineId === byLabel('REMISE').id)!;
    expect(remise.entryId).toBe(deposit.id);
    await t.call('ledger:confirmMatch', { lineId: remise.lineId, entryId: remise.entryId });
    await expect(t.call('ledger:confirmMatch', { lineId: byLabel('FRAIS').id, entryId: deposit.id })).rejects.toThrow(/montant/);
    await expect(t.call('ledger:confirmMatch', { lineId: remise.lineId, entryId: deposit.id })).rejects.toThrow(/déjà rapprochée/);
    expect((await t.call('ledger:journal', { journal: 'bank' })).items.find((e) => e.id === deposit.id)!.reconciled).toBe(true);
    await t.call('ledger:undoMatch', { lineId: remise.lineId });
    expect((await t.call('ledger:bankLines', {})).items.find((l) => l.id === remise.lineId)!.entryId).toBeNull();
    await t.call('ledger:confirmMatch', { lineId: remise.lineId, entryId: remise.entryId });
  });

  it('refuses a file that is no statement, and hostile requests, keeping what was stored', async () => {
    const before = (await t.call('ledger:bankLines', {})).items.length;
    await expect(t.call('ledger:importStatement', { fileName: 'adherents.csv', data: csv('Nom;Prénom\nDupont;Marie\n') })).rejects.toThrow(/Relevé « adherents.csv » non importé\. En-tête du relevé introuvable/);
    const allBad = csv(['Date;Libellé;Montant', ...Array.from({ length: 8 }, (_, i) => `3${i}/13/2026;X;1,00`)].join('\n'));
    await expect(t.call('ledger:importStatement', { fileName: 'x.csv', data: allBad })).rejects.toThrow(/Ligne 2 : date illisible.*… et 3 autre\(s\) ligne\(s\) refusée\(s\)\./);
    await expect(t.call('ledger:importStatement', { fileName: 'x.bin', data: new Uint8Array([0, 1, 2, 3, 0, 0, 7]) })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('ledger:importStatement', { fileName: 'big.csv', data: new Uint8Array(20 * 1024 * 1024 + 1) })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('ledger:confirmMatch', { lineId: 'not-an-id', entryId: deposit.id } as never)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('ledger:addEntry', { journal: 'safe', date: '2026-01-15', direction: 'expense', amountCents: -5, account: '625', label: 'x' } as never)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await t.call('ledger:bankLines', {})).items).toHaveLength(before);
  });

  it('exports the FEC: 18 columns, continuous numbers, each entry balanced, dates AAAAMMJJ, comma amounts', async () => {
    const r = await t.call('ledger:exportFec', { year: 2026, siren: '123456789' });
    expect(r.fileName).toBe('123456789FEC20261231.txt');
    const text = iconv.decode(Buffer.from(r.data), 'iso-8859-15');
    const records = text.split('\r\n');
    expect(records.pop()).toBe('');
    expect(records[0]).toBe(FEC_COLUMNS.join('\t'));
    const rows = records.slice(1).map((l) => l.split('\t'));
    expect(rows).toHaveLength(2 * r.entries);
    expect(r.entries).toBe(11);
    const sums = new Map<string, number>();
    let lastDate = '';
    for (const row of rows) {
      expect(row).toHaveLength(18);
      expect(row[3]).toMatch(/^2026\d{4}$/);
      expect(row[3]! >= lastDate).toBe(true);
      lastDate = row[3]!;
      expect(row[11]).toMatch(/^\d+,\d{2}$/);
      expect(row[12]).toMatch(/^\d+,\d{2}$/);
      const cents = (s: string) => Number(s.replace(',', ''));
      sums.set(row[2]!, (sums.get(row[2]!) ?? 0) + cents(row[11]!) - cents(row[12]!));
    }
    expect([...sums.keys()]).toEqual(Array.from({ length: 11 }, (_, i) => String(i + 1)));
    expect([...sums.values()].every((v) => v === 0)).toBe(true);
    const deposit = rows.filter((row) => row[8] === 'REM-20260128-001');
    expect(deposit.map((row) => [row[0], row[4], row[11], row[12]])).toEqual([
      ['BQ', '512', '195,00', '0,00'],
      ['BQ', '5112', '0,00', '195,00'],
    ]);
    expect(rows.some((row) => row[4] === '7541' && row[12] === '150,00' && row[0] === 'CH')).toBe(true);
    await expect(t.call('ledger:exportFec', { year: 2026, siren: '12345' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('exports the journal as CSV and gives the yearly summary', async () => {
    const r = await t.call('ledger:exportCsv', { year: 2026 });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(r.data);
    expect(text.startsWith('\ufeffDate;Journal;Pièce;Compte;Intitulé du compte;Libellé;Recette;Dépense\r\n')).toBe(true);
    expect(text).toContain('25/01/2026;Banque;F-2026-17;6064;Fournitures administratives;Papeterie Durand;;23,90');
    const s = await t.call('ledger:summary', { year: 2026 });
    expect(s.dues).toEqual({ count: 3, totalCents: 6600 });
    expect(s.gifts).toEqual({ count: 2, totalCents: 45000 });
    expect(s.accounts.map((a) => [a.account, a.receiptsCents, a.expensesCents])).toEqual([
      ['6064', 990, 3380],
      ['625', 0, 650],
      ['74', 100000, 0],
      ['7541', 45000, 0],
      ['756', 6600, 0],
    ]);
    expect(s.balances).toEqual([
      { journal: 'Caisse', account: '530', balanceCents: 1450 },
      { journal: 'Banque', account: '512', balanceCents: 147110 },
      { journal: 'Chèques à encaisser', account: '5112', balanceCents: 0 },
    ]);
    expect(s.receiptsCents - s.expensesCents).toBe(1450 + 147110);
  });

  it('every export, deposit, import and match is in the audit trail', async () => {
    await switchTo(t, 'admin');
    const { items } = await t.call('audit:list', { limit: 200 });
    const actions = new Set(items.map((i) => i.action));
    for (const a of ['ledger.entryAdd', 'ledger.entryReverse', 'ledger.deposit', 'ledger.depositPrint', 'ledger.bankImport', 'ledger.matchConfirm', 'ledger.matchUndo', 'ledger.exportFec', 'ledger.exportCsv', 'ledger.exportSummary']) expect(actions).toContain(a);
  });

  it('a social worker reaches none of it, and the folder holds no label or amount in clear', async () => {
    await switchTo(t, 'sociale');
    await expectForbidden(t.call('ledger:journal', { journal: 'bank' }), 'treasury.read');
    await expectForbidden(t.call('ledger:addEntry', { journal: 'cash', date: '2026-01-15', direction: 'expense', amountCents: 650, account: '625', label: 'x' }), 'treasury.write');
    await expectForbidden(t.call('ledger:importStatement', { fileName: 'x.csv', data: csv('Date;Libellé;Montant\n01/01/2026;x;1,00\n') }), 'treasury.write');
    await expectForbidden(t.call('ledger:exportFec', { year: 2026, siren: '123456789' }), 'treasury.export');
    await expectForbidden(t.call('ledger:summary', { year: 2026 }), 'treasury.export');
    await t.call('session:lock', { reason: 'user' });
    expect(leaks(t.dir, ['Lemarchand', 'Carpentier', 'Fondation Abeille', 'Papeterie Durand', 'VIR MAIRIE SUBVENTION'])).toEqual([]);
  });
});
