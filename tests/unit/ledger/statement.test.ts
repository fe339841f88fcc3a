/**
 * Bank statements (main/services/ledger/statement*.ts) on the shapes French banks export: Crédit Agricole-like
 * (preamble, Windows-1252, Débit/Crédit columns, a label over two lines), Société Générale-like (BOM, signed
 * « Montant de l'opération », detail column), BNP-like (no preamble, « +300,00 ») and OFX 1 SGML. Bad lines are
 * named, the rest is read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStatementCsv, statementAmount, statementDate } from '../../../main/services/ledger/statementCsv';
import { parseStatement, parseStatementOfx } from '../../../main/services/ledger/statementOfx';
import { chequeNumberIn } from '../../../main/services/ledger/statementText';

const bank = (name: string) => new Uint8Array(readFileSync(join(__dirname, '../../fixtures/bank', name)));

describe('amounts and dates as banks write them', () => {
  it.each([
    ['1 234,56', 123456],
    ['-1 234,56', -123456],
    ['1.234,56', 123456],
    ['+12,5', 1250],
    ['12,50 €', 1250],
    ['1234.56', 123456],
    ['87,3', 8730],
    ['', 0],
    ['1\u00a0050,00', 105000],
  ])('%s → %d cents', (text, cents) => expect(statementAmount(text)).toBe(cents));
  it.each(['12,3,4', 'abc', '1,234', '--5', '1.2.3'])('refuses « %s »', (text) => expect(statementAmount(text)).toBeNull());
  it('dates dd/mm/yyyy, dd/mm/yy, ISO; refuses impossible days', () => {
    expect(statementDate('03/11/2026')).toBe('2026-11-03');
    expect(statementDate('3/11/26')).toBe('2026-11-03');
    expect(statementDate('2026-11-03')).toBe('2026-11-03');
    expect(statementDate('31/11/2026')).toBeNull();
    expect(statementDate('11/2026')).toBeNull();
  });
  it('finds cheque numbers in labels', () => {
    expect(chequeNumberIn('CHEQUE 1234567')).toBe('1234567');
    expect(chequeNumberIn('CHQ. N° 0001234')).toBe('0001234');
    expect(chequeNumberIn('REMISE CHEQUES 0000042')).toBe('0000042');
    expect(chequeNumberIn('VIR SEPA 1234567')).toBe('');
  });
});

describe('CSV statements', () => {
  it('Crédit Agricole shape: preamble skipped, Windows-1252, debit/credit, quoted two-line label, bad lines named', () => {
    const r = parseStatementCsv(bank('credit-agricole.csv'));
    expect(r.lines.map((l) => [l.date, l.amountCents])).toEqual([
      ['2026-11-03', 4500],
      ['2026-11-10', -12050],
      ['2026-11-12', 105000],
      ['2026-11-15', -8730],
      ['2026-11-20', -300],
    ]);
    expect(r.lines[0]!.label).toBe('VIREMENT EN VOTRE FAVEUR MME DUPONT COTISATION');
    expect(r.lines[0]!.line).toBe(9);
    expect(r.lines[1]!.chequeNumber).toBe('1234567');
    expect(r.lines[2]!.chequeNumber).toBe('0000042');
    expect(r.errors).toEqual([
      { line: 14, message: 'Ligne 14 : date illisible « 31/11/2026 » (jj/mm/aaaa attendu). Ligne ignorée.' },
      { line: 15, message: 'Ligne 15 : montant illisible « 12,3,4 » (ex. 1 234,56 attendu). Ligne ignorée.' },
    ]);
  });

  it('Société Générale shape: BOM, signed amount, label and detail joined', () => {
    const r = parseStatementCsv(bank('societe-generale.csv'));
    expect(r.errors).toEqual([]);
    expect(r.lines).toEqual([
      { line: 4, date: '2026-11-05', amountCents: 15000, label: 'VIR RECU 1234 DE: M JEAN MARTIN MOTIF: DON NOVEMBRE', chequeNumber: '', bankId: '' },
      { line: 5, date: '2026-11-07', amountCents: -2390, label: 'CARTE X1234 06/11 PAPETERIE', chequeNumber: '', bankId: '' },
      { line: 6, date: '2026-11-08', amountCents: -120000, label: 'PRELEVEMENT ASSURANCE MAIF', chequeNumber: '', bankId: '' },
    ]);
  });

  it('BNP shape: « Montant operation » with a plus sign', () => {
    const r = parseStatement(bank('bnp.csv'));
    expect(r.lines.map((l) => [l.date, l.amountCents, l.label])).toEqual([
      ['2026-11-02', 30000, 'VIR SEPA RECU /DE ASSOCIATION AMIE'],
      ['2026-11-04', -800, 'COMMISSION'],
    ]);
  });

  it('Crédit Mutuel shape (value date and balance columns, negative debits) and Boursorama shape (dateOp, label, amount)', () => {
    const cm = parseStatementCsv(new TextEncoder().encode('Date;Date de valeur;Débit;Crédit;Libellé;Solde\n02/11/2026;03/11/2026;-45,00;;PRLV ASSURANCE;1 000,00\n04/11/2026;04/11/2026;;60,00;VIR COTISATIONS;1 060,00\n'));
    expect(cm.lines.map((l) => [l.date, l.amountCents, l.label])).toEqual([
      ['2026-11-02', -4500, 'PRLV ASSURANCE'],
      ['2026-11-04', 6000, 'VIR COTISATIONS'],
    ]);
    const bo = parseStatementCsv(new TextEncoder().encode('dateOp;dateVal;label;category;amount;accountNum\n2026-11-05;2026-11-06;"CARTE 05/11 LIBRAIRIE";Loisirs;-18,40;00012345\n'));
    expect(bo.lines.map((l) => [l.date, l.amountCents, l.label])).toEqual([['2026-11-05', -1840, 'CARTE 05/11 LIBRAIRIE']]);
  });

  it('a file without a statement header is refused with one clear message', () => {
    const r = parseStatementCsv(new TextEncoder().encode('Nom;Prénom\nDupont;Marie\n'));
    expect(r.lines).toEqual([]);
    expect(r.errors[0]!.message).toMatch(/En-tête du relevé introuvable/);
  });
});

describe('OFX statements', () => {
  it('reads SGML OFX 1.02 with comma and dot amounts, FITID and CHECKNUM', () => {
    const r = parseStatement(bank('releve.ofx'));
    expect(r.errors).toEqual([]);
    expect(r.lines).toEqual([
      { line: 40, date: '2026-11-03', amountCents: 4500, label: 'VIR SEPA MME DUPONT COTISATION 2026', chequeNumber: '', bankId: '2026110300001' },
      { line: 48, date: '2026-11-10', amountCents: -12050, label: 'CHEQUE 1234567', chequeNumber: '1234567', bankId: '2026111000002' },
    ]);
  });

  it('names the line of a bad transaction and keeps the others', () => {
    const text = new TextDecoder().decode(bank('releve.ofx')).replace('<TRNAMT>-120.50', '<TRNAMT>douze');
    const r = parseStatementOfx(new TextEncoder().encode(text));
    expect(r.lines).toHaveLength(1);
    expect(r.errors).toEqual([{ line: 48, message: 'Ligne 48 : montant illisible « douze ». Opération ignorée.' }]);
  });

  it('a broken OFX file gives one French error', () => {
    const r = parseStatementOfx(new TextEncoder().encode('OFXHEADER:100\n<OFX><BANKMSGSRSV1><STMTTRN>'));
    expect(r.lines).toEqual([]);
    expect(r.errors[0]!.message).toMatch(/^Fichier OFX illisible/);
  });
});
