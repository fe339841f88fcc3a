import { describe, expect, it } from 'vitest';
import { detectShape, normalizeRecords, suggestMapping } from '../../../main/services/imports';
import type { RawTable } from '../../../main/services/imports';

describe('detectShape', () => {
  it('recognises each tool', () => {
    expect(detectShape(['Référence commande', 'Date du paiement', 'Nom payeur', 'Prénom payeur', 'Email payeur'])).toBe('helloasso');
    expect(detectShape(['Nom', 'Prénom', 'Nom payeur', 'Prénom payeur'])).toBe('helloasso');
    expect(detectShape(['Numéro de membre', 'Nom & prénom', 'Adresse E-Mail'])).toBe('paheko');
    expect(detectShape(['nom_adh', 'prenom_adh', 'email_adh', 'ddn_adh'])).toBe('galette');
    expect(detectShape(['Nom', 'Prénom', 'Pseudo', 'Courriel'])).toBe('galette');
    expect(detectShape(['NOM', 'Prénom', 'Né(e) le'])).toBe('spreadsheet');
    expect(detectShape([])).toBe('spreadsheet');
  });
});

describe('suggestMapping', () => {
  it('maps a treasurer spreadsheet by synonyms', () => {
    const headers = ['NOM', 'Prénom', 'Né(e) le', 'Tél', 'Portable', 'Mail', 'Adresse', 'CP', 'Ville', 'Cotisation €', 'Observations', 'Civilité', 'N° adhérent', "Date d'adhésion", 'Date du paiement', 'Divers'];
    expect(suggestMapping(headers, 'spreadsheet')).toEqual([
      'lastName', 'firstName', 'birthDate', 'phone', 'phone2', 'email', 'addressLine', 'postalCode', 'city', 'amount', 'notes', 'civility', 'memberNumber', 'membershipStart', 'paymentDate', null,
    ]);
  });
  it('maps English-ish and accented variants', () => {
    expect(suggestMapping(['Last name', 'First name', 'E-mail', 'Téléphone mobile', 'Code postal', 'Date de naissance', 'Courriel'], 'spreadsheet')).toEqual([
      'lastName', 'firstName', 'email', 'phone', 'postalCode', 'birthDate', null,
    ]);
  });
  it('never maps two columns to the same field (first wins)', () => {
    expect(suggestMapping(['Nom', 'Nom de famille', 'Montant total', 'Montant du tarif'], 'spreadsheet')).toEqual(['lastName', null, 'amount', null]);
  });
  it('prefers the HelloAsso payer columns over the participant columns', () => {
    const headers = ['Nom', 'Prénom', 'Email', 'Nom payeur', 'Prénom payeur', 'Email payeur', 'Campagne', 'Statut du paiement', 'Moyen de paiement'];
    expect(suggestMapping(headers, 'helloasso')).toEqual([null, null, null, 'lastName', 'firstName', 'email', null, null, null]);
  });
  it('maps Paheko and Galette exports', () => {
    expect(suggestMapping(['Numéro de membre', 'Nom & prénom', 'Adresse E-Mail', 'Adresse postale', 'Numéro de téléphone', 'Date de naissance complète', "Date d'inscription"], 'paheko')).toEqual([
      'memberNumber', 'fullNameLastFirst', 'email', 'addressLine', 'phone', 'birthDate', 'membershipStart',
    ]);
    expect(suggestMapping(['id_adh', 'nom_adh', 'prenom_adh', 'pseudo_adh', 'email_adh', 'ddn_adh', 'adresse_adh', 'cp_adh', 'ville_adh', 'tel_adh', 'gsm_adh', 'date_crea_adh'], 'galette')).toEqual([
      null, 'lastName', 'firstName', null, 'email', 'birthDate', 'addressLine', 'postalCode', 'city', 'phone', 'phone2', 'membershipStart',
    ]);
  });
});

describe('normalizeRecords on a hand-made table', () => {
  const table: RawTable = {
    format: 'csv',
    encoding: 'utf-8',
    separator: ';',
    headers: ['Nom & prénom', 'Nom', 'Né le', 'Mail', 'Civilité', 'Inscrit le', 'Montant'],
    rows: [
      { line: 2, cells: ['DA SILVA Maria', '', '01/01/30', 'MARIA@Exemple.fr', 'Madame', '01/09/25', '20'] },
      { line: 3, cells: ['', 'DURAND', '01/01/2030', '', 'Docteur', '31/09/2025', 'vingt'] },
      { line: 5, cells: ['  ', ' ', '', 'x@exemple.fr', '', '', ''] },
      { line: 6, cells: ['MARTIN Léa', '', '', '', '', '', ''] },
    ],
  };
  const columns = suggestMapping(table.headers, 'spreadsheet');
  const r = normalizeRecords(table, columns, { today: '2026-11-21', defaultKinds: ['volunteer', 'volunteer'] });

  it('builds valid people, payments and kinds', () => {
    expect(columns).toEqual(['fullNameLastFirst', 'lastName', 'birthDate', 'email', 'civility', 'membershipStart', 'amount']);
    expect(r.rows).toBe(4);
    expect(r.records[0]).toMatchObject({
      line: 2,
      person: { lastName: 'Da Silva', firstName: 'Maria', birthDate: '1930-01-01', email: 'maria@exemple.fr', civility: 'Mme', membershipStart: '2025-09-01', kinds: ['volunteer'] },
      payment: { date: null, amountCents: 2000 },
    });
    expect(r.records[2]).toMatchObject({ line: 6, payment: null, person: { lastName: 'Martin', firstName: 'Léa' } });
  });
  it('reports one error per nameless row and one warning per emptied value', () => {
    expect(r.errors).toEqual([{ line: 5, message: 'Ligne 5 : nom et prénom absents, ligne ignorée.' }]);
    expect(r.warnings.map((w) => [w.line, w.field])).toEqual([
      [3, 'civility'],
      [3, 'birthDate'],
      [3, 'membershipStart'],
      [3, 'amount'],
    ]);
    expect(r.warnings[1]?.message).toBe('Ligne 3 : date de naissance « 01/01/2030 » dans le futur, champ laissé vide.');
    expect(r.records[1]?.person).toMatchObject({ lastName: 'Durand', birthDate: null, civility: null, membershipStart: null });
  });
  it('refuses a mapping of the wrong length or a bad today', () => {
    expect(() => normalizeRecords(table, [null], { today: '2026-11-21' })).toThrow(/colonnes/);
    expect(() => normalizeRecords(table, columns, { today: '21/11/2026' })).toThrow(/AAAA-MM-JJ/);
  });
});
